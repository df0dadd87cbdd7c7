"""Per-key usage counters (C4): atomic increments, wrap counts, alert and re-key thresholds."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from faker import Faker

from acces.crypto import compteurs, noyau, rotation
from acces.crypto.champs import chiffrer, dechiffrer
from acces.crypto.erreurs import DechiffrementImpossible
from acces.crypto.models import CleDonnees, CompteurCleMaitresse, SecretTotp
from acces.models import Utilisateur
from audit.enums import ActionAcces
from audit.models import EvenementAcces
from socle.models import OutboxMessage
from tests.cellules.dossiers import factories as f_dossiers

faker = Faker("fr_FR")
FILS = 8
PAR_FIL = 25


def creer_secret(valeur: str) -> SecretTotp:
    utilisateur = Utilisateur.objects.create(username=f"u-{uuid.uuid4().hex}")
    cle = CleDonnees.nouvelle()
    cle.save()
    secret = SecretTotp(utilisateur=utilisateur, cle=cle)
    chiffrer(secret, "graine", valeur)
    secret.save()
    return secret


def compteur(cle_id: uuid.UUID) -> int:
    return CleDonnees.objects.values_list("chiffrements", flat=True).get(pk=cle_id)


def enveloppements(version: str) -> int:
    ligne = CompteurCleMaitresse.objects.filter(version=version).first()
    return 0 if ligne is None else ligne.enveloppements


def alertes(type_objet: str, objet_id: str) -> list[EvenementAcces]:
    return list(
        EvenementAcces.objects.filter(
            action=ActionAcces.ALERTE, type_objet=type_objet, objet_id=objet_id
        )
    )


@pytest.mark.django_db
def test_C4_une_seule_mise_a_jour_par_sauvegarde_et_par_cle() -> None:
    secret = creer_secret(faker.name())
    assert compteur(secret.cle_id) == 1
    with noyau.session_cles():
        for _ in range(3):
            chiffrer(secret, "graine", faker.name())
        with CaptureQueriesContext(connection) as requetes:
            secret.save()
    increments = [q["sql"] for q in requetes.captured_queries if '"chiffrements" +' in q["sql"]]
    assert len(increments) == 1
    assert compteur(secret.cle_id) == 4
    secret.save()  # nothing encrypted since the last save: nothing counted
    assert compteur(secret.cle_id) == 4


@pytest.mark.django_db
def test_C4_personne_compte_ses_cinq_champs_en_une_fois() -> None:
    personne = f_dossiers.personne()
    assert compteur(personne.cle_id) == 5
    f_dossiers.situation(pers=personne, observation="observation fictive")
    assert compteur(personne.cle_id) == 6


@pytest.mark.django_db
def test_C4_enveloppements_comptes_par_version_de_cle_maitresse() -> None:
    avant = enveloppements("1")
    secrets = [creer_secret(faker.name()) for _ in range(3)]
    assert enveloppements("1") == avant + 3
    CleDonnees.nouvelle()  # never saved: never counted
    assert enveloppements("1") == avant + 3
    nouvelle = "bm91dmVsbGUtY2xlLW1haXRyZXNzZS1jb21wdGV1cnM="
    with override_settings(
        CHIFFREMENT_CLES_MAITRES=f"{settings.CHIFFREMENT_CLES_MAITRES},2:{nouvelle}",
        CHIFFREMENT_CLE_ACTIVE="2",
    ):
        bilan = rotation.rotation(taille=2)
        assert enveloppements("2") == bilan.reenveloppees
        assert bilan.reenveloppees >= len(secrets)


@pytest.mark.django_db(transaction=True)
def test_C4_compteur_exact_sous_8_fils_concurrents() -> None:
    secret = creer_secret(faker.name())
    depart = compteur(secret.cle_id)
    erreurs: list[BaseException] = []
    barriere = threading.Barrier(FILS)

    def travailler() -> None:
        try:
            barriere.wait()
            for _ in range(PAR_FIL):
                copie = SecretTotp.objects.get(pk=secret.pk)
                with noyau.session_cles():
                    chiffrer(copie, "graine", faker.name())
                copie.save(update_fields=["graine"])
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            erreurs.append(exc)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=travailler) for _ in range(FILS)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert erreurs == []
    assert compteur(secret.cle_id) == depart + FILS * PAR_FIL


@pytest.mark.django_db
@override_settings(CHIFFREMENT_SEUIL_ALERTE=3, CHIFFREMENT_SEUIL_ROTATION=1000)
def test_C4_seuil_d_alerte_franchi_une_seule_fois_sans_donnee_personnelle() -> None:
    valeur = faker.name()
    secret = creer_secret(valeur)
    cle_id = str(secret.cle_id)
    chiffrer(secret, "graine", valeur)
    secret.save()
    assert alertes("acces.cledonnees", cle_id) == []
    chiffrer(secret, "graine", valeur)
    secret.save()  # 3rd encryption: threshold reached
    for _ in range(3):
        chiffrer(secret, "graine", valeur)
        secret.save()
    (alerte,) = alertes("acces.cledonnees", cle_id)
    assert alerte.raison == ""
    assert valeur not in str(EvenementAcces.objects.filter(pk=alerte.pk).values().get())
    message = OutboxMessage.objects.filter(tache="audit.notifier_alertes").latest("cree_le")
    assert message.arguments["premier_seq"] <= alerte.seq


@pytest.mark.django_db
@override_settings(CHIFFREMENT_SEUIL_ALERTE=2, CHIFFREMENT_SEUIL_ROTATION=4)
def test_C4_seuil_de_rotation_atteint_a_la_sauvegarde() -> None:
    ident = f_dossiers.identite()
    personne = f_dossiers.personne(
        ident
    )  # 5 encryptions in one save: alert, then re-key on the spot
    (alerte,) = EvenementAcces.objects.filter(
        action=ActionAcces.ALERTE, type_objet="acces.cledonnees"
    )
    ancienne = uuid.UUID(alerte.objet_id)
    assert personne.cle_id != ancienne  # the in-memory instance follows the new key
    assert compteur(ancienne) == 5
    assert compteur(personne.cle_id) == 5
    noyau.cache_oublier(personne.cle_id)
    fraiche = type(personne).objects.get(pk=personne.pk)
    assert fraiche.cle_id == personne.cle_id
    assert dechiffrer(fraiche, "nom") == ident.nom
    assert dechiffrer(fraiche, "date_naissance") == ident.date_naissance


@pytest.mark.django_db
def test_C4_recle_deplace_personne_et_situations_sans_perte() -> None:
    ident = f_dossiers.identite()
    personne = f_dossiers.personne(ident)
    situation = f_dossiers.situation(pers=personne, observation="observation fictive")
    ancienne = personne.cle_id
    with override_settings(CHIFFREMENT_SEUIL_ALERTE=7, CHIFFREMENT_SEUIL_ROTATION=8):
        chiffrer(personne, "adresse", "adresse fictive")
        personne.save()  # 7: alert
        assert personne.cle_id == ancienne
        assert len(alertes("acces.cledonnees", str(ancienne))) == 1
        chiffrer(personne, "adresse", "autre adresse fictive")
        personne.save()  # 8: re-key
    assert personne.cle_id != ancienne
    nouvelle = personne.cle_id
    noyau.cache_oublier(ancienne)
    noyau.cache_oublier(nouvelle)
    relue = type(personne).objects.get(pk=personne.pk)
    relue_situation = type(situation).objects.get(pk=situation.pk)
    assert relue.cle_id == nouvelle
    assert relue_situation.cle_id == nouvelle
    assert dechiffrer(relue, "nom") == ident.nom
    assert dechiffrer(relue, "adresse") == "autre adresse fictive"
    assert dechiffrer(relue_situation, "observation") == "observation fictive"
    assert dechiffrer(personne, "prenom") == ident.prenom  # in-memory instance refreshed
    assert compteur(ancienne) == 8
    assert compteur(nouvelle) == 6  # 5 identity fields + 1 observation re-encrypted
    assert not type(personne).objects.filter(cle_id=ancienne).exists()
    assert not type(situation).objects.filter(cle_id=ancienne).exists()


@pytest.mark.parametrize(("alerte", "rotation_"), [(0, 5), (10, 5), (2**30, 2**32)])
def test_C4_seuils_incoherents_refuses(alerte: int, rotation_: int) -> None:
    with (
        override_settings(CHIFFREMENT_SEUIL_ALERTE=alerte, CHIFFREMENT_SEUIL_ROTATION=rotation_),
        pytest.raises(ImproperlyConfigured),
    ):
        compteurs.seuils()


def test_C4_seuils_par_defaut_bien_avant_2_puissance_32() -> None:
    alerte, seuil_rotation = compteurs.seuils()
    assert alerte == 2**30
    assert 2**30 <= seuil_rotation <= 2**31


@pytest.mark.django_db
def test_C4_alerte_sur_les_enveloppements_d_une_cle_maitresse() -> None:
    creer_secret(faker.name())
    seuil = enveloppements("1") + 2
    with override_settings(CHIFFREMENT_SEUIL_ALERTE=seuil, CHIFFREMENT_SEUIL_ROTATION=2**31):
        creer_secret(faker.name())
        assert alertes("acces.compteurclemaitresse", "1") == []
        creer_secret(faker.name())
        creer_secret(faker.name())
    assert len(alertes("acces.compteurclemaitresse", "1")) == 1


@pytest.mark.django_db
def test_C4_detruire_l_ancienne_cle_detruit_sa_remplacante() -> None:
    personne = f_dossiers.personne()
    situation = f_dossiers.situation(pers=personne, observation="observation fictive")
    ancienne = CleDonnees.objects.get(pk=personne.cle_id)
    nouvelle_id = compteurs.recle(ancienne.pk, instance=personne)
    assert personne.cle_id == nouvelle_id
    ancienne.refresh_from_db()
    assert ancienne.remplacee_par_id == nouvelle_id
    ancienne.detruire()  # a purge holding the key it read before the re-key
    assert CleDonnees.objects.get(pk=nouvelle_id).detruite
    noyau.cache_oublier(nouvelle_id)
    relue = type(situation).objects.get(pk=situation.pk)
    with pytest.raises(DechiffrementImpossible):
        dechiffrer(relue, "observation")


@pytest.mark.django_db
def test_C4_second_re_key_of_a_replaced_key_joins_the_same_chain() -> None:
    """A straggler row saved under an already replaced key goes to the end of the chain,
    and ``remplacee_par`` is not rewritten: shredding the old key still reaches every row."""
    personne = f_dossiers.personne()
    ancienne = CleDonnees.objects.get(pk=personne.cle_id)
    premiere = compteurs.recle(ancienne.pk)
    # A stale in-memory copy of the person still holds the old key: a case opened from it is
    # encrypted under the old key after the re-key.
    retardataire = f_dossiers.situation(pers=personne, observation="observation fictive")
    assert retardataire.cle_id == ancienne.pk
    seconde = compteurs.recle(ancienne.pk)
    assert seconde == premiere
    ancienne.refresh_from_db()
    assert ancienne.remplacee_par_id == premiere
    assert CleDonnees.objects.filter(remplacee_par__isnull=False).count() == 1
    relue = type(retardataire).objects.get(pk=retardataire.pk)
    assert relue.cle_id == premiere
    noyau.cache_oublier(premiere)
    assert dechiffrer(relue, "observation") == "observation fictive"
