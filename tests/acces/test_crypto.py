"""Field encryption without the database: formats, binding, nonces, keys (checklist C3–C7)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from acces.crypto import noyau
from acces.crypto.champs import ChampChiffre, chiffrer, dechiffrer
from acces.crypto.erreurs import DechiffrementImpossible
from acces.crypto.models import CleDonnees, SecretTotp
from socle.errors import exception_handler

with isolate_apps("acces"):

    class Fiche(models.Model):
        """Stand-in for a person record: one text field, one date field, one nullable."""

        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        cle = models.ForeignKey(CleDonnees, on_delete=models.PROTECT)
        nom = ChampChiffre(nature=ChampChiffre.TEXTE)
        prenom = ChampChiffre(nature=ChampChiffre.TEXTE)
        naissance = ChampChiffre(nature=ChampChiffre.DATE, null=True)

        class Meta:
            app_label = "acces"

        def __str__(self) -> str:
            return f"fiche {self.pk}"


@pytest.fixture(autouse=True)
def session() -> Iterator[None]:
    with noyau.session_cles():
        yield


def fiche(cle: CleDonnees | None = None) -> Fiche:
    cle = cle or CleDonnees.nouvelle()
    return Fiche(id=uuid.uuid4(), cle_id=cle.id)


textes = st.text(max_size=2000) | st.sampled_from(["", " ", "Élodie", "N'Diaye-Œuvray", "ß" * 5000])
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@hypothesis_settings(max_examples=300, deadline=None)
@given(nom=textes, naissance=dates)
def test_C1_aller_retour_texte_et_date(nom: str, naissance: dt.date) -> None:
    with noyau.session_cles():
        objet = fiche()
        chiffrer(objet, "nom", nom)
        chiffrer(objet, "naissance", naissance)
        assert len(objet.nom) == noyau.SURCOUT + len(nom.encode())
        assert dechiffrer(objet, "nom") == nom
        assert dechiffrer(objet, "naissance") == naissance


def test_C1_chaine_vide_chiffree_pas_nulle() -> None:
    objet = fiche()
    chiffrer(objet, "nom", "")
    assert isinstance(objet.nom, bytes)
    assert len(objet.nom) == noyau.SURCOUT
    assert objet.nom[0] == noyau.VERSION_CHAMP
    assert dechiffrer(objet, "nom") == ""


def test_C1_none_seulement_si_champ_nullable() -> None:
    objet = fiche()
    chiffrer(objet, "naissance", None)
    assert objet.naissance is None
    assert dechiffrer(objet, "naissance") is None
    with pytest.raises(ValueError):
        chiffrer(objet, "nom", None)


def test_C1_types_refuses() -> None:
    objet = fiche()
    with pytest.raises(TypeError):
        chiffrer(objet, "naissance", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(TypeError):
        chiffrer(objet, "naissance", "2000-01-01")
    with pytest.raises(TypeError):
        chiffrer(objet, "nom", dt.date(2000, 1, 1))


def test_C1_valeur_claire_refusee_a_l_enregistrement() -> None:
    champ = Fiche._meta.get_field("nom")
    for valeur in ("Élodie", b"\x01court", b"\x02" + bytes(noyau.SURCOUT)):
        with pytest.raises(ValueError, match="non chiffrée"):
            champ.get_db_prep_value(valeur, connection)
    objet = fiche()
    chiffrer(objet, "nom", "Élodie")
    assert champ.get_db_prep_value(objet.nom, connection) is not None


def test_C4_meme_clair_chiffres_differents() -> None:
    objet = fiche()
    vus = set()
    for _ in range(1000):
        chiffrer(objet, "nom", "Élodie")
        vus.add(objet.nom)
    assert len(vus) == 1000


def test_C4_un_million_de_nonces_sans_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    # The layer draws every nonce from noyau.nouveau_nonce: prove it, then draw 10**6 of them.
    appels: list[bytes] = []
    original = noyau.nouveau_nonce

    def espion() -> bytes:
        appels.append(original())
        return appels[-1]

    monkeypatch.setattr(noyau, "nouveau_nonce", espion)
    objet = fiche()
    chiffrer(objet, "nom", "x")
    assert objet.nom[1 + noyau.TAILLE_ID : noyau.ENTETE] == appels[-1]
    monkeypatch.undo()
    nonces = {noyau.nouveau_nonce() for _ in range(1_000_000)}
    assert len(nonces) == 1_000_000
    assert {len(n) for n in nonces} == {12}


def test_C3_copie_vers_une_autre_ligne_echoue() -> None:
    cle = CleDonnees.nouvelle()
    a, b = fiche(cle), fiche(cle)
    chiffrer(a, "nom", "Élodie")
    chiffrer(b, "nom", "Marc")
    b.nom = a.nom
    with pytest.raises(DechiffrementImpossible) as erreur:
        dechiffrer(b, "nom")
    assert erreur.value.raison == "authentification"


def test_C3_copie_vers_un_autre_champ_echoue() -> None:
    objet = fiche()
    chiffrer(objet, "nom", "Élodie")
    objet.prenom = objet.nom
    with pytest.raises(DechiffrementImpossible):
        dechiffrer(objet, "prenom")


def test_C3_copie_vers_un_autre_modele_echoue() -> None:
    cle = CleDonnees.nouvelle()
    objet = fiche(cle)
    secret = SecretTotp(id=objet.id, cle=cle)
    chiffrer(secret, "graine", "Élodie")
    objet.nom = secret.graine
    with pytest.raises(DechiffrementImpossible):
        dechiffrer(objet, "nom")


def test_C3_copie_vers_une_autre_personne_echoue() -> None:
    a, b = fiche(), fiche()
    chiffrer(a, "nom", "Élodie")
    b.nom = a.nom
    with pytest.raises(DechiffrementImpossible) as erreur:
        dechiffrer(b, "nom")
    assert erreur.value.raison == "cle_differente"


def test_C3_cle_id_forge_refuse() -> None:
    # Ciphertext of person A relabelled with person B's key id: B's key does not open it.
    cle_b = CleDonnees.nouvelle()
    a, b = fiche(), fiche(cle_b)
    chiffrer(a, "nom", "Élodie")
    b.id = a.id
    b.nom = a.nom[:1] + cle_b.id.bytes + a.nom[1 + noyau.TAILLE_ID :]
    with pytest.raises(DechiffrementImpossible):
        dechiffrer(b, "nom")


@hypothesis_settings(max_examples=200, deadline=None)
@given(donnees=st.data())
def test_C3_tout_bit_inverse_echoue(donnees: st.DataObject) -> None:
    with noyau.session_cles():
        objet = fiche()
        chiffrer(objet, "nom", "Élodie Zéphyrine")
        position = donnees.draw(st.integers(0, len(objet.nom) * 8 - 1))
        altere = bytearray(objet.nom)
        altere[position // 8] ^= 1 << (position % 8)
        objet.nom = bytes(altere)
        with pytest.raises(DechiffrementImpossible):
            dechiffrer(objet, "nom")


def test_C3_troncature_echoue() -> None:
    objet = fiche()
    chiffrer(objet, "nom", "Élodie")
    complet = objet.nom
    for taille in (0, 1, noyau.ENTETE, noyau.SURCOUT - 1, len(complet) - 1):
        objet.nom = complet[:taille]
        with pytest.raises(DechiffrementImpossible):
            dechiffrer(objet, "nom")


def test_C6_version_inconnue_refusee() -> None:
    objet = fiche()
    chiffrer(objet, "nom", "Élodie")
    for version in (0, 2, 255):
        objet.nom = bytes([version]) + objet.nom[1:]
        with pytest.raises(DechiffrementImpossible) as erreur:
            dechiffrer(objet, "nom")
        assert erreur.value.raison == "version_inconnue"


def test_C6_format_v1_documente() -> None:
    cle = CleDonnees.nouvelle()
    objet = fiche(cle)
    chiffrer(objet, "nom", "abc")
    assert objet.nom[0] == 1
    assert objet.nom[1:17] == cle.id.bytes
    assert len(objet.nom) == 1 + 16 + 12 + 3 + 16


def test_C10_erreur_generique_identique_et_evenement_journalise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="acces.crypto")
    objet = fiche()
    chiffrer(objet, "nom", "Élodie")
    complet = objet.nom
    corps = []
    # Flip one bit (never a no-op, unlike overwriting a byte with a fixed value).
    bit_inverse = complet[:20] + bytes([complet[20] ^ 0x01]) + complet[21:]
    for alteration in (b"\x09" + complet[1:], complet[:-1], bit_inverse):
        objet.nom = alteration
        with pytest.raises(DechiffrementImpossible) as erreur:
            dechiffrer(objet, "nom")
        reponse = exception_handler(erreur.value, {})
        assert reponse is not None
        assert reponse.status_code == 500
        corps.append(reponse.data)
    assert corps[0] == corps[1] == corps[2]
    assert corps[0]["code"] == "erreur_interne"
    evenements = [r for r in caplog.records if r.getMessage() == "dechiffrement_impossible"]
    assert len(evenements) == 3
    assert all(e.objet_id == str(objet.id) for e in evenements)  # type: ignore[attr-defined]
    assert "lodie" not in caplog.text


def test_enveloppe_liee_a_sa_ligne_et_a_sa_cle_maitresse() -> None:
    a, b = CleDonnees.nouvelle(), CleDonnees.nouvelle()
    enveloppe = bytes(a.cle_enveloppee)
    with pytest.raises(noyau.EnveloppeInvalide):
        noyau.desenvelopper(b.id, enveloppe, b.cle_maitresse)
    with (
        override_settings(
            CHIFFREMENT_CLES_MAITRES=f"{settings.CHIFFREMENT_CLES_MAITRES},2:{CLE_A}"
        ),
        pytest.raises(noyau.EnveloppeInvalide),
    ):
        noyau.desenvelopper(a.id, enveloppe, "2")
    with pytest.raises(noyau.EnveloppeInvalide):
        noyau.desenvelopper(a.id, enveloppe, "3")
    assert len(noyau.desenvelopper(a.id, enveloppe, a.cle_maitresse)) == 32


def test_cle_detruite_illisible_sans_base() -> None:
    cle = CleDonnees.nouvelle()
    objet = Fiche(id=uuid.uuid4(), cle=cle)
    chiffrer(objet, "nom", "Élodie")
    noyau.cache_oublier(cle.id)
    cle.cle_enveloppee = b""
    cle.detruite_le = dt.datetime.now(dt.UTC)
    with pytest.raises(DechiffrementImpossible) as erreur:
        dechiffrer(objet, "nom")
    assert erreur.value.raison == "cle_detruite"


def test_sans_session_la_cle_est_desenveloppee_a_chaque_lecture() -> None:
    cle = CleDonnees.nouvelle()
    objet = SecretTotp(id=uuid.uuid4(), cle=cle)
    chiffrer(objet, "graine", "JBSWY3DPEHPK3PXP")
    jeton = noyau._cache.set(None)
    try:
        assert noyau.cache_lire(cle.id) is None
        assert dechiffrer(objet, "graine") == "JBSWY3DPEHPK3PXP"
        assert noyau.cache_lire(cle.id) is None
    finally:
        noyau._cache.reset(jeton)


def test_session_videe_en_fin_de_requete() -> None:
    jeton = noyau._cache.set(None)
    try:
        with noyau.session_cles():
            cle = CleDonnees.nouvelle()
            assert noyau.cache_lire(cle.id) is not None
            with noyau.session_cles():
                assert noyau.cache_lire(cle.id) is not None
            assert noyau.cache_lire(cle.id) is not None
        assert noyau.cache_lire(cle.id) is None
    finally:
        noyau._cache.reset(jeton)


CLE_A = base64.b64encode(bytes(range(32))).decode()
CLE_B = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.mark.parametrize(
    "maitres",
    ["", "1:", "1:" + base64.b64encode(b"court").decode(), "x:" + CLE_A, "1:pas-du-base64!"],
)
def test_C2_cle_maitresse_absente_ou_invalide_echec_ferme(maitres: str) -> None:
    jeton = noyau._cache.set(None)
    try:
        with (
            override_settings(CHIFFREMENT_CLES_MAITRES=maitres, CHIFFREMENT_CLE_ACTIVE=""),
            pytest.raises(ImproperlyConfigured),
        ):
            CleDonnees.nouvelle()
    finally:
        noyau._cache.reset(jeton)


def test_C2_cle_maitresse_retiree_lecture_refusee() -> None:
    with override_settings(CHIFFREMENT_CLES_MAITRES=f"7:{CLE_A}", CHIFFREMENT_CLE_ACTIVE="7"):
        cle = CleDonnees.nouvelle()
        objet = SecretTotp(id=uuid.uuid4(), cle=cle)
        chiffrer(objet, "graine", "Élodie")
    noyau.cache_oublier(cle.id)
    with pytest.raises(DechiffrementImpossible) as erreur:
        dechiffrer(objet, "graine")
    assert erreur.value.raison == "cle_maitresse_inconnue"


def test_C2_cle_d_index_reutilisee_comme_cle_maitresse_refusee() -> None:
    reutilisee = f"1:{settings.INDEX_AVEUGLE_CLE}"
    with (
        override_settings(CHIFFREMENT_CLES_MAITRES=reutilisee),
        pytest.raises(ImproperlyConfigured),
    ):
        noyau.trousseau()


def test_C2_texte_clair_absent_du_chiffre() -> None:
    objet = fiche()
    valeur = "Élodie Zéphyrine Duchâteau"
    chiffrer(objet, "nom", valeur)
    assert valeur.encode() not in objet.nom
    assert hashlib.sha256(valeur.encode()).digest() not in objet.nom


def test_checks_exigent_cle_primaire_uuid_et_cle_de_donnees() -> None:
    with isolate_apps("acces"):

        class Mauvais(models.Model):
            nom = ChampChiffre(nature=ChampChiffre.TEXTE)

            class Meta:
                app_label = "acces"

            def __str__(self) -> str:
                return "mauvais"

        ids = {erreur.id for erreur in Mauvais._meta.get_field("nom").check()}
    assert ids == {"crypto.E001", "crypto.E002"}
    assert not SecretTotp._meta.get_field("graine").check()


def test_middleware_ouvre_et_vide_le_cache_de_la_requete() -> None:
    from django.http import HttpRequest, HttpResponse

    from acces.crypto.middleware import SessionClesMiddleware

    vues: list[uuid.UUID] = []

    def vue(requete: HttpRequest) -> HttpResponse:
        cle = CleDonnees.nouvelle()
        vues.append(cle.id)
        assert noyau.cache_lire(cle.id) is not None
        return HttpResponse()

    jeton = noyau._cache.set(None)
    try:
        SessionClesMiddleware(vue)(HttpRequest())
        assert vues
        assert noyau.cache_lire(vues[0]) is None
        assert noyau._cache.get() is None
    finally:
        noyau._cache.reset(jeton)
    assert "acces.crypto.middleware.SessionClesMiddleware" in settings.MIDDLEWARE


def test_C4_nonces_distincts_sous_8_fils() -> None:
    from concurrent.futures import ThreadPoolExecutor

    cle = CleDonnees.nouvelle()

    def lot(_: int) -> list[bytes]:
        objet = SecretTotp(id=uuid.uuid4(), cle=cle)
        sortie = []
        for _ in range(2000):
            chiffrer(objet, "graine", "Élodie")
            sortie.append(objet.graine[1 + noyau.TAILLE_ID : noyau.ENTETE])
        return sortie

    with ThreadPoolExecutor(max_workers=8) as fils:
        nonces = [n for part in fils.map(lot, range(8)) for n in part]
    assert len(nonces) == 16_000
    assert len(set(nonces)) == 16_000
