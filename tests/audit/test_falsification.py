"""D5: any single tampering of the stored chain is found, and named by its first bad seq.

Chains of N events are built, a checkpoint of the head is written, then one mutation is applied
with raw SQL as a superuser would (trigger disabled). Each example runs in a savepoint that is
rolled back, with its own checkpoint directory.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import points, verification
from tests.audit.outils import TABLE, remplir, sans_declencheur, sql

pytestmark = pytest.mark.django_db

REGLAGES = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHAMPS_MODIFIABLES = {
    "horodatage": "horodatage = horodatage + interval '1 second'",
    "utilisateur_id": "utilisateur_id = %s",
    "roles": "roles = 'auditeur'",
    "action": "action = 'export'",
    "objet_id": "objet_id = %s",
    "motif": "motif = 'controle'",
    "motif_detail": "motif_detail = 'ajout'",
    "resultat": "resultat = 'refuse'",
    "request_id": "request_id = 'autre'",
    "adresse_ip": "adresse_ip = '198.51.100.1'",
    "nombre": "nombre = 7",
    "hash": "hash = md5(hash) || md5(hash)",
    "hash_precedent": "hash_precedent = md5(hash) || md5(hash_precedent)",
}


def _modifier(n: int, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, n))
    champ = data.draw(st.sampled_from(sorted(CHAMPS_MODIFIABLES)))
    expression = CHAMPS_MODIFIABLES[champ]
    parametres = [str(uuid.uuid4())] if "%s" in expression else []
    sql(f"UPDATE {TABLE} SET {expression} WHERE seq = %s", [*parametres, seq])  # noqa: S608
    return seq


def _supprimer(n: int, data: st.DataObject) -> int:
    seq = data.draw(st.integers(1, n))
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [seq])  # noqa: S608
    return seq


def _inserer(n: int, data: st.DataObject) -> int:
    """A forged row at position k+1, the following rows renumbered (the head too).

    Its previous hash cannot repeat row k's: the unique constraint refuses a second successor.
    """
    k = data.draw(st.integers(0, n))
    sql(f"UPDATE {TABLE} SET seq = -seq WHERE seq > %s", [k])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = -seq + 1 WHERE seq < 0")  # noqa: S608
    sql(
        f"INSERT INTO {TABLE} (seq, horodatage, roles, action, type_objet, objet_id, motif,"  # noqa: S608
        " motif_detail, resultat, raison, request_id, hash_precedent, hash)"
        " VALUES (%s, now(), '', 'consultation', 'cellules.situation', %s, 'controle', '',"
        " 'autorise', '', '', md5(random()::text) || md5(random()::text),"
        " md5(random()::text) || md5(random()::text))",
        [k + 1, str(uuid.uuid4())],
    )
    sql("UPDATE audit_tetechaine SET seq = seq + 1")
    return k + 1


def _permuter(n: int, data: st.DataObject) -> int:
    i = data.draw(st.integers(1, n - 1))
    j = data.draw(st.integers(i + 1, n))
    sql(f"UPDATE {TABLE} SET seq = -1 WHERE seq = %s", [i])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [i, j])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = -1", [j])  # noqa: S608
    return i


def _tronquer(n: int, data: st.DataObject) -> int:
    k = data.draw(st.integers(0, n - 1))
    sql(f"DELETE FROM {TABLE} WHERE seq > %s", [k])  # noqa: S608
    sql("UPDATE audit_tetechaine SET seq = %s", [k])
    return k + 1


MUTATIONS = {
    "modifier": _modifier,
    "supprimer": _supprimer,
    "inserer": _inserer,
    "permuter": _permuter,
    "tronquer": _tronquer,
}


def _dans_un_point_de_sauvegarde(corps):  # type: ignore[no-untyped-def]
    with (
        tempfile.TemporaryDirectory() as dossier,
        override_settings(AUDIT_POINTS_DE_CONTROLE_DIR=Path(dossier)),
        transaction.atomic(),
    ):
        try:
            return corps()
        finally:
            transaction.set_rollback(True)


@REGLAGES
@given(n=st.integers(2, 25), mutation=st.sampled_from(sorted(MUTATIONS)), data=st.data())
def test_D5_single_mutation_detected_with_first_bad_seq(n, mutation, data):
    def corps() -> None:
        remplir(n)
        points.ecrire_tete()
        with sans_declencheur():
            attendu = MUTATIONS[mutation](n, data)
        rapport = verification.verifier(taille_lot=7)
        assert not rapport.ok, mutation
        assert rapport.premier_seq_invalide == attendu, (mutation, rapport)

    _dans_un_point_de_sauvegarde(corps)


@REGLAGES
@given(n=st.integers(0, 40), points_avant=st.integers(0, 3))
def test_D5_no_false_positive_on_clean_chains(n, points_avant):
    def corps() -> None:
        for _ in range(points_avant):
            remplir(1)
            points.ecrire_tete()
        remplir(n)
        if n % 2:
            points.ecrire_tete()
        rapport = verification.verifier(taille_lot=5)
        assert rapport.ok, rapport
        assert rapport.dernier_seq == n + points_avant

    _dans_un_point_de_sauvegarde(corps)
