"""Blind-index key rotation (C9): dual read, resumable recomputation, retirement of a version."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from acces.crypto import registre
from acces.crypto.index import index_aveugle, indexes_aveugles, versions_index
from acces.crypto.models import RotationIndex
from acces.enums import Role
from cellules.dossiers import selectors
from cellules.dossiers.models import Personne
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

INDEX = "cellules.personne.index_identite"
V1 = settings.INDEX_AVEUGLE_CLE
V2 = base64.b64encode(hashlib.sha256(b"nouvelle-cle-index-aveugle").digest()).decode()
PENDANT = {"INDEX_AVEUGLE_CLE": f"1:{V1},2:{V2}"}
APRES = {"INDEX_AVEUGLE_CLE": f"2:{V2}"}


@dataclasses.dataclass
class Monde:
    delegue: Any
    cellule: Any
    identites: list[f_dossiers.Identite]
    personnes: list[Personne]
    purgee: Personne


@pytest.fixture
def monde() -> Monde:
    cellule = f_composition.cellule()
    identites = [f_dossiers.identite() for _ in range(7)]
    # Two homonyms with the same birth date: one search, two ids.
    identites.append(dataclasses.replace(f_dossiers.identite(), nom=identites[0].nom))
    identites[-1] = dataclasses.replace(
        identites[-1], prenom=identites[0].prenom, date_naissance=identites[0].date_naissance
    )
    personnes = [f_dossiers.personne(ident) for ident in identites]
    purgee = f_dossiers.personne()
    Personne.objects.filter(pk=purgee.pk).update(index_identite=b"")
    for personne in [*personnes, purgee]:
        f_dossiers.situation(cellule, personne)
    return Monde(f_composition.agent(Role.DELEGUE_PROCUREUR), cellule, identites, personnes, purgee)


def recherches(monde: Monde) -> dict[int, set[uuid.UUID]]:
    return {
        i: {
            p.pk
            for p in selectors.personnes_recherche(
                monde.delegue, ident.nom.upper(), f" {ident.prenom}", ident.date_naissance
            )
        }
        for i, ident in enumerate(monde.identites)
    }


def stockes() -> dict[uuid.UUID, bytes]:
    return {pk: bytes(v) for pk, v in Personne.objects.values_list("pk", "index_identite")}


@pytest.fixture
def explosif() -> Iterator[list[int]]:
    """Make the declared recomputation fail on its 4th call only (the job dies mid-run)."""
    declare = {d.nom: d for d in registre.index_declares()}[INDEX]
    appels: list[int] = []

    def recalculer(ligne: Any, version: str) -> bytes:
        appels.append(1)
        if len(appels) == 4:
            raise RuntimeError("interruption simulée")
        return declare.recalculer(ligne, version)

    registre._registre[INDEX] = dataclasses.replace(declare, recalculer=recalculer)
    yield appels
    registre._registre[INDEX] = declare


def test_C9_personne_declaree_au_registre() -> None:
    (declare,) = [d for d in registre.index_declares() if d.nom == INDEX]
    assert declare.modele is Personne
    assert declare.champ == "index_identite"


def test_C9_anneau_de_cles_d_index() -> None:
    assert versions_index() == ("1",)
    with override_settings(**PENDANT):
        assert versions_index() == ("2", "1")
        avec = indexes_aveugles("Martin", "Élodie", f_dossiers.identite().date_naissance)
        assert len(avec) == 2 and len(set(avec)) == 2
    with override_settings(**PENDANT, INDEX_AVEUGLE_CLE_ACTIVE="1"):
        assert versions_index() == ("1", "2")


def test_C9_rotation_interrompue_puis_reprise(monde: Monde, explosif: list[int]) -> None:
    attendu = recherches(monde)
    assert all(attendu.values())
    assert len(attendu[0]) == 2
    avant = stockes()
    with override_settings(**PENDANT):
        assert recherches(monde) == attendu  # dual read before anything is recomputed
        nouvelle_ident = f_dossiers.identite()
        nouvelle = f_dossiers.personne(nouvelle_ident)  # written under the active version
        f_dossiers.situation(monde.cellule, nouvelle)
        assert bytes(nouvelle.index_identite) == index_aveugle(
            nouvelle_ident.nom, nouvelle_ident.prenom, nouvelle_ident.date_naissance, "2"
        )
        with pytest.raises(RuntimeError):
            call_command("crypto_rotate", "--index", "--lot", "2", stdout=io.StringIO())
        progression = RotationIndex.objects.get(index=INDEX, version="2")
        assert progression.terminee_le is None
        assert progression.dernier_id  # the first batch committed
        apres_coupure = stockes()
        assert 0 < sum(apres_coupure[pk] != avant[pk] for pk in avant) < len(avant) - 1
        assert recherches(monde) == attendu  # half old, half new: still found

        sortie = io.StringIO()
        call_command("crypto_rotate", "--index", "--lot", "2", stdout=sortie)
        assert f"{INDEX} : terminée" in sortie.getvalue()
        assert RotationIndex.objects.get(index=INDEX, version="2").terminee_le is not None
        assert recherches(monde) == attendu

        relance = io.StringIO()
        call_command("crypto_rotate", "--index", stdout=relance)
        assert "lignes lues : 0, index réécrits : 0" in relance.getvalue()
        encore = io.StringIO()
        call_command("crypto_rotate", "--index", "--recommencer", stdout=encore)
        assert "index réécrits : 0" in encore.getvalue()

    with override_settings(**APRES):  # version 1 retired
        for personne, ident in zip(monde.personnes, monde.identites, strict=True):
            attendu_v2 = index_aveugle(ident.nom, ident.prenom, ident.date_naissance, "2")
            assert stockes()[personne.pk] == attendu_v2
        assert stockes()[monde.purgee.pk] == b""  # purged rows keep no index
        assert recherches(monde) == attendu
        trouvees = selectors.personnes_recherche(
            monde.delegue, nouvelle_ident.nom, nouvelle_ident.prenom, nouvelle_ident.date_naissance
        )
        assert [p.pk for p in trouvees] == [nouvelle.pk]
    # Back on version 1 alone, the stored values (now version 2) no longer match.
    assert not any(recherches(monde).values())


def test_C9_valeurs_d_index_absentes_des_reponses_et_des_journaux(
    monde: Monde, caplog: pytest.LogCaptureFixture
) -> None:
    ident = monde.identites[1]
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    monde.cellule.coordonnateurs.add(coord)
    caplog.set_level(logging.DEBUG)
    with override_settings(**PENDANT):
        sortie = io.StringIO()
        call_command("crypto_rotate", "--index", stdout=sortie)
        reponse = client_pour(coord).post(
            "/api/v1/personnes/recherche/",
            {"nom": ident.nom, "prenom": ident.prenom, "date_naissance": str(ident.date_naissance)},
            format="json",
            HTTP_X_MOTIF="preparation_seance",
        )
    assert reponse.status_code == 200
    assert reponse.json()["count"] == 1
    traces = reponse.content.decode() + sortie.getvalue() + caplog.text
    for valeur in {
        *stockes().values(),
        *indexes_aveugles(ident.nom, ident.prenom, ident.date_naissance),
    }:
        if not valeur:
            continue
        for forme in (valeur.hex(), base64.b64encode(valeur).decode(), repr(valeur)):
            assert forme not in traces


def test_C9_valeur_indechiffrable_arrete_la_rotation_proprement(monde: Monde) -> None:
    cible = monde.personnes[0]
    Personne.objects.filter(pk=cible.pk).update(nom=bytes(cible.prenom))  # moved ciphertext
    with override_settings(**PENDANT), pytest.raises(CommandError, match="indéchiffrable"):
        call_command("crypto_rotate", "--index", "--lot", "100", stdout=io.StringIO())
    assert not RotationIndex.objects.filter(terminee_le__isnull=False).exists()
    assert stockes()[cible.pk] == bytes(cible.index_identite)  # batch rolled back


def test_C9_recommencer_exige_index() -> None:
    with pytest.raises(CommandError):
        call_command("crypto_rotate", "--recommencer", stdout=io.StringIO())


def test_C9_cle_nue_equivaut_a_la_version_1() -> None:
    ident = f_dossiers.identite()
    nue = index_aveugle(ident.nom, ident.prenom, ident.date_naissance)
    with override_settings(INDEX_AVEUGLE_CLE=f"1:{V1}"):
        assert index_aveugle(ident.nom, ident.prenom, ident.date_naissance) == nue
    with override_settings(**PENDANT, INDEX_AVEUGLE_CLE_ACTIVE="1"):
        assert index_aveugle(ident.nom, ident.prenom, ident.date_naissance) == nue


@pytest.mark.parametrize(
    "reglage",
    [
        {"INDEX_AVEUGLE_CLE": f"1:{V1},1:{V2}"},
        {"INDEX_AVEUGLE_CLE": f"1:{V1},2:{V1}"},
        {"INDEX_AVEUGLE_CLE": f"1:{V1},x:{V2}"},
        {"INDEX_AVEUGLE_CLE": f"1:{V1}", "INDEX_AVEUGLE_CLE_ACTIVE": "2"},
        {"INDEX_AVEUGLE_CLE": f"1:{V1},2:{settings.AUDIT_CHAINE_CLE}"},
        {"INDEX_AVEUGLE_CLE": ""},
    ],
)
def test_C9_trousseau_d_index_invalide_refuse(reglage: dict[str, str]) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from acces.crypto.keys import charger

    with override_settings(**reglage), pytest.raises(ImproperlyConfigured):
        charger()


def test_idempotent_retry_spanning_an_index_key_rotation_is_still_a_replay() -> None:
    """The stored request fingerprint is keyed by the index key: a retry after the rotation
    (old version still in the ring) replays instead of refusing the key."""
    from noyau import idempotence
    from socle.errors import ApiError
    from socle.models import ReponseIdempotente

    auteur = f_composition.agent(Role.COORDONNATEUR)
    corps = {"nom": "x", "n": 1}
    creations: list[uuid.UUID] = []

    def creer() -> Any:
        objet = f_composition.cellule()
        creations.append(objet.pk)
        return objet

    premier, rejoue = idempotence.executer_une_fois(
        utilisateur=auteur, route="essai", cle="cle-rotation", corps=corps, creer=creer
    )
    assert not rejoue
    with override_settings(**PENDANT, INDEX_AVEUGLE_CLE_ACTIVE="2"):
        second, rejoue = idempotence.executer_une_fois(
            utilisateur=auteur, route="essai", cle="cle-rotation", corps=corps, creer=creer
        )
        assert rejoue and second == premier
        autre = {"nom": "y", "n": 1}
        with pytest.raises(ApiError) as refus:
            idempotence.executer_une_fois(
                utilisateur=auteur, route="essai", cle="cle-rotation", corps=autre, creer=creer
            )
        assert getattr(refus.value, "code", None) == "cle_idempotence_reutilisee"
    assert creations == [premier]
    assert ReponseIdempotente.objects.filter(cle="cle-rotation").count() == 1
