"""D4–D6, D10: append-only table, keyed chain, verification, checkpoints and purge."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit import chaine, points, purge, verification
from audit.models import HASH_INITIAL, EvenementAcces, TeteChaine
from tests.audit.outils import TABLE, ligne, remplir, sans_declencheur, sql

pytestmark = pytest.mark.django_db


def test_D6_seq_contiguous_and_linked():
    evenements = remplir(5)
    assert [e.seq for e in evenements] == [1, 2, 3, 4, 5]
    assert evenements[0].hash_precedent == HASH_INITIAL
    for avant, apres in itertools.pairwise(evenements):
        assert apres.hash_precedent == avant.hash
    assert TeteChaine.objects.get().seq == 5


def test_D5_hash_is_keyed_hmac_of_canonical_row():
    evenement = remplir(1)[0]
    stocke = EvenementAcces.objects.values(*chaine.CHAMPS).get(seq=evenement.seq)
    assert chaine.empreinte(stocke) == evenement.hash
    assert chaine.empreinte(stocke, cle=b"\x00" * 32) != evenement.hash


def test_D5_ip_round_trip_is_canonical():
    evenement = chaine.ajouter([ligne(adresse_ip="2001:DB8:0:0::1")])[0]
    stocke = EvenementAcces.objects.get(seq=evenement.seq)
    assert stocke.adresse_ip == "2001:db8::1"
    assert verification.verifier().ok


def test_D6_rolled_back_read_leaves_no_hole():
    remplir(2)
    with transaction.atomic():
        remplir(3)
        transaction.set_rollback(True)
    remplir(1)
    assert list(EvenementAcces.objects.values_list("seq", flat=True)) == [1, 2, 3]
    assert verification.verifier().ok


@pytest.mark.parametrize(
    "requete",
    [
        f"UPDATE {TABLE} SET motif = 'controle' WHERE seq = 1",  # noqa: S608
        f"DELETE FROM {TABLE} WHERE seq = 1",  # noqa: S608
    ],
)
def test_D4_trigger_refuses_update_delete_truncate(requete):
    remplir(2)
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        sql(requete)
    assert EvenementAcces.objects.count() == 2


def test_D4_truncate_refused_for_a_non_superuser_role_even_with_the_privilege():
    remplir(2)
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        sql("CREATE ROLE audit_essai_application NOLOGIN")
        sql(f"GRANT ALL ON {TABLE} TO audit_essai_application")
        sql("SET LOCAL ROLE audit_essai_application")
        sql(f"TRUNCATE {TABLE}")
    assert EvenementAcces.objects.count() == 2


def test_D4_orm_delete_refused_too():
    remplir(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        EvenementAcces.objects.all().delete()
    assert EvenementAcces.objects.count() == 1


def test_D4_purge_setting_does_not_allow_recent_rows():
    remplir(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("SELECT set_config('audit.purge_jusqu_a', '3', true)")
        sql(f"DELETE FROM {TABLE}")  # noqa: S608
    assert EvenementAcces.objects.count() == 3


def test_D5_verify_clean_chain_and_empty_log():
    assert verification.verifier().ok
    remplir(7)
    points.ecrire_tete()
    rapport = verification.verifier(taille_lot=3)
    assert rapport.ok and rapport.verifies == 7 and rapport.dernier_seq == 7


def test_D5_truncation_detected_by_checkpoint():
    remplir(4)
    points.ecrire_tete()
    with sans_declencheur():
        sql(f"DELETE FROM {TABLE} WHERE seq >= 3")  # noqa: S608
        sql("UPDATE audit_tetechaine SET seq = 2")
    rapport = verification.verifier()
    assert not rapport.ok
    assert (rapport.premier_seq_invalide, rapport.raison) == (3, "troncature")


def test_D5_truncation_detected_by_head_without_checkpoint():
    remplir(4)
    with sans_declencheur():
        sql(f"DELETE FROM {TABLE} WHERE seq = 4")  # noqa: S608
    rapport = verification.verifier()
    assert (rapport.ok, rapport.premier_seq_invalide) == (False, 4)


def test_D5_forged_checkpoint_file_fails(points_de_controle):
    remplir(2)
    points.ecrire_tete()
    fichier = points.chemin()
    donnees = json.loads(fichier.read_text())
    donnees["seq"] = 1
    fichier.write_text(json.dumps(donnees) + "\n")
    rapport = verification.verifier()
    assert (rapport.ok, rapport.raison) == (False, "point_de_controle_invalide")


def test_D5_checkpoint_line_is_signed_json(points_de_controle):
    remplir(3)
    point = points.ecrire_tete()
    donnees = json.loads(points.chemin().read_text().splitlines()[-1])
    assert donnees["seq"] == point.seq == 3
    assert donnees["hash"] == EvenementAcces.objects.get(seq=3).hash
    assert len(donnees["signature"]) == 64


def test_D10_purge_keeps_verify_green(settings):
    ancien = timezone.now() - timedelta(days=400)
    remplir(5, horodatage=ancien)
    remplir(3)
    points.ecrire_tete()
    assert purge.purger(essai=True).supprimes == 5
    assert EvenementAcces.objects.count() == 8
    resultat = purge.purger()
    assert (resultat.supprimes, resultat.jusqu_a) == (5, 5)
    assert list(EvenementAcces.objects.values_list("seq", flat=True)) == [6, 7, 8]
    assert verification.verifier().ok
    assert purge.purger().supprimes == 0  # idempotent
    remplir(2)
    assert verification.verifier().ok


def test_D10_purge_never_touches_events_younger_than_six_months(settings):
    remplir(3, horodatage=timezone.now() - timedelta(days=170))
    settings.AUDIT_RETENTION_JOURS = 30
    with pytest.raises(Exception, match="AUDIT_RETENTION_JOURS"):
        purge.purger()
    settings.AUDIT_RETENTION_JOURS = 365
    assert purge.purger().supprimes == 0
    assert EvenementAcces.objects.count() == 3


def test_D10_deleting_head_without_seal_is_detected():
    remplir(3, horodatage=timezone.now() - timedelta(days=400))
    with sans_declencheur():
        sql(f"DELETE FROM {TABLE} WHERE seq <= 2")  # noqa: S608
    rapport = verification.verifier()
    assert (rapport.ok, rapport.premier_seq_invalide, rapport.raison) == (
        False,
        1,
        "debut_supprime",
    )
