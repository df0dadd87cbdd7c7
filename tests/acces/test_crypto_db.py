"""Field encryption on a real table (``SecretTotp``): copies, shredding, rotation (C3, C5)."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import random
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from faker import Faker

from acces.crypto import noyau, rotation
from acces.crypto.champs import chiffrer, dechiffrer, precharger_cles
from acces.crypto.erreurs import DechiffrementImpossible
from acces.crypto.models import CleDonnees, SecretTotp
from acces.models import Utilisateur

pytestmark = pytest.mark.django_db

faker = Faker("fr_FR")
NOUVELLE = base64.b64encode(hashlib.sha256(b"nouvelle-cle-maitresse").digest()).decode()


def creer_secret(valeur: str) -> SecretTotp:
    utilisateur = Utilisateur.objects.create(username=f"u-{uuid.uuid4().hex}")
    cle = CleDonnees.nouvelle()
    cle.save()
    secret = SecretTotp(utilisateur=utilisateur, cle=cle)
    chiffrer(secret, "graine", valeur)
    secret.save()
    return secret


def relire(secret: SecretTotp) -> str | None:
    noyau.cache_oublier(secret.cle_id)
    frais = SecretTotp.objects.get(pk=secret.pk)
    valeur = dechiffrer(frais, "graine")
    assert valeur is None or isinstance(valeur, str)
    return valeur


def test_C1_aller_retour_en_base_et_format_en_colonne() -> None:
    nom = faker.name()
    secret = creer_secret(nom)
    with connection.cursor() as curseur:
        curseur.execute("SELECT graine FROM acces_secrettotp WHERE id = %s", [secret.pk])
        brut = bytes(curseur.fetchone()[0])
    assert brut[0] == noyau.VERSION_CHAMP
    assert brut[1:17] == secret.cle_id.bytes
    assert nom.encode() not in brut
    assert relire(secret) == nom
    vide = creer_secret("")
    assert relire(vide) == ""


def test_C3_copie_sql_vers_une_autre_ligne_echoue(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="acces.crypto")
    a, b = creer_secret("Élodie"), creer_secret("Marc")
    with connection.cursor() as curseur:
        curseur.execute(
            "UPDATE acces_secrettotp SET graine = (SELECT graine FROM acces_secrettotp"
            " WHERE id = %s) WHERE id = %s",
            [a.pk, b.pk],
        )
    with pytest.raises(DechiffrementImpossible):
        relire(b)
    # Same row, same data key: still refused when the key column is copied too.
    with connection.cursor() as curseur:
        curseur.execute("UPDATE acces_secrettotp SET cle_id = %s WHERE id = %s", [a.cle_id, b.pk])
    with pytest.raises(DechiffrementImpossible) as erreur:
        relire(b)
    assert erreur.value.raison == "authentification"
    assert relire(a) == "Élodie"
    assert "dechiffrement_impossible" in caplog.text
    assert "lodie" not in caplog.text


def test_C3_enveloppe_copiee_vers_une_autre_cle_echoue() -> None:
    a, b = creer_secret("Élodie"), creer_secret("Marc")
    CleDonnees.objects.filter(pk=b.cle_id).update(
        cle_enveloppee=CleDonnees.objects.get(pk=a.cle_id).cle_enveloppee
    )
    with pytest.raises(DechiffrementImpossible) as erreur:
        relire(b)
    assert erreur.value.raison == "enveloppe_alteree"


def test_destruction_de_la_cle_rend_les_donnees_illisibles() -> None:
    garde, detruit = creer_secret("Élodie"), creer_secret("Marc")
    with noyau.session_cles():
        assert dechiffrer(detruit, "graine") == "Marc"
        detruit.cle.detruire()
        # Even inside the request that shredded it, the key is gone from the cache.
        with pytest.raises(DechiffrementImpossible):
            dechiffrer(detruit, "graine")
    cle = CleDonnees.objects.get(pk=detruit.cle_id)
    assert bytes(cle.cle_enveloppee) == b""
    assert cle.cle_maitresse == ""
    with pytest.raises(DechiffrementImpossible) as erreur:
        relire(detruit)
    assert erreur.value.raison == "cle_detruite"
    assert relire(garde) == "Élodie"


def test_cle_supprimee_rend_les_donnees_illisibles() -> None:
    secret = creer_secret("Élodie")
    secret_id, cle_id = secret.pk, secret.cle_id
    with connection.cursor() as curseur:
        curseur.execute("SET CONSTRAINTS ALL DEFERRED")
        curseur.execute("DELETE FROM acces_cledonnees WHERE id = %s", [cle_id])
        noyau.cache_oublier(cle_id)
        with pytest.raises(DechiffrementImpossible) as erreur:
            dechiffrer(SecretTotp.objects.get(pk=secret_id), "graine")
        assert erreur.value.raison == "cle_absente"
        curseur.execute("DELETE FROM acces_secrettotp WHERE id = %s", [secret_id])


def test_page_de_50_une_requete_et_un_desenveloppement_par_cle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    valeurs = {creer_secret(faker.name()).pk: None for _ in range(50)}
    attendus = {s.pk: relire(s) for s in SecretTotp.objects.filter(pk__in=valeurs)}
    appels = Counter[uuid.UUID]()
    original = noyau.desenvelopper

    def compte(cle_id: uuid.UUID, enveloppe: bytes, maitre_id: str) -> bytes:
        appels[cle_id] += 1
        return original(cle_id, enveloppe, maitre_id)

    monkeypatch.setattr(noyau, "desenvelopper", compte)
    with noyau.session_cles():
        page = list(SecretTotp.objects.filter(pk__in=valeurs).order_by("pk"))
        with CaptureQueriesContext(connection) as requetes:
            precharger_cles(page)
            lus = {s.pk: dechiffrer(s, "graine") for s in page for _ in range(3)}
    assert len(requetes) == 1
    assert lus == attendus
    assert len(appels) == 50
    assert set(appels.values()) == {1}


def _deux_cles(active: str) -> dict[str, str]:
    return {
        "CHIFFREMENT_CLES_MAITRES": f"{settings.CHIFFREMENT_CLES_MAITRES},2:{NOUVELLE}",
        "CHIFFREMENT_CLE_ACTIVE": active,
    }


def test_C5_rotation_interrompue_puis_reprise_ne_perd_rien(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets = [creer_secret(faker.name() + " Ç") for _ in range(37)]
    detruit = creer_secret("détruit")
    detruit.cle.detruire()
    secrets.append(creer_secret(""))
    avant = Counter(hashlib.sha256(relire(s).encode()).hexdigest() for s in secrets)  # type: ignore[union-attr]

    with override_settings(**_deux_cles("2")):
        nouvelles = [creer_secret(faker.name()) for _ in range(3)]
        assert {CleDonnees.objects.get(pk=s.cle_id).cle_maitresse for s in nouvelles} == {"2"}
        panne = random.randint(1, 4)
        lots = 0
        original = rotation.reenvelopper

        def fragile(cle: CleDonnees, maitre_id: str) -> None:
            nonlocal lots
            if lots == panne * 5 + 2:
                raise RuntimeError("coupure simulée")
            lots += 1
            original(cle, maitre_id)

        monkeypatch.setattr(rotation, "reenvelopper", fragile)
        with pytest.raises(RuntimeError):
            call_command("crypto_rotate", "--lot", "5", stdout=io.StringIO())
        monkeypatch.undo()
        partielles = CleDonnees.objects.filter(cle_maitresse="1").count()
        assert 0 < partielles < len(secrets)
        # Everything still decrypts mid-rotation: old and new master keys are both in the ring.
        assert all(relire(s) is not None for s in secrets)

        sortie = io.StringIO()
        call_command("crypto_rotate", "--lot", "5", stdout=sortie)
        assert f"clés réenveloppées : {partielles} " in sortie.getvalue()
        assert "clés restantes : 0" in sortie.getvalue()
        vivantes = CleDonnees.objects.filter(detruite_le__isnull=True)
        assert set(vivantes.values_list("cle_maitresse", flat=True)) == {"2"}
        apres = Counter(hashlib.sha256(relire(s).encode()).hexdigest() for s in secrets)  # type: ignore[union-attr]
        assert apres == avant

        sortie = io.StringIO()
        call_command("crypto_rotate", stdout=sortie)
        assert "clés réenveloppées : 0 en 0 lot(s)" in sortie.getvalue()

    # Old master key retired: nothing needs it any more.
    with override_settings(CHIFFREMENT_CLES_MAITRES=f"2:{NOUVELLE}", CHIFFREMENT_CLE_ACTIVE="2"):
        assert Counter(hashlib.sha256(relire(s).encode()).hexdigest() for s in secrets) == avant  # type: ignore[union-attr]
        with pytest.raises(DechiffrementImpossible):
            relire(detruit)


def test_C5_rotation_refuse_une_taille_de_lot_nulle() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("crypto_rotate", "--lot", "0", stdout=io.StringIO())
