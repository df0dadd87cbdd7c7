"""Blind indexes: normalisation table and key separation (checklist C7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from acces.crypto import noyau
from acces.crypto.index import calculer_index, cle_index, index_aveugle, normaliser

NAISSANCE = dt.date(2009, 3, 14)


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("  ÉLODIE ", "elodie"),
        ("élodie", "elodie"),
        ("E\u0301lodie", "elodie"),  # NFD input
        ("Jean-Pierre", "jeanpierre"),
        ("jean pierre", "jeanpierre"),
        ("Jean\u2011Pierre", "jeanpierre"),  # non-breaking hyphen
        ("Jean\u00a0–\u00a0Pierre", "jeanpierre"),  # no-break spaces and en dash
        ("N'Diaye", "ndiaye"),
        ("N’DIAYE", "ndiaye"),
        ("Lætitia", "laetitia"),
        ("Cœur", "coeur"),
        ("STRAẞE", "strasse"),
        ("Ｊｅａｎ", "jean"),  # full-width
        ("ﬁlou", "filou"),
        ("Zo\u00eb", "zoe"),
        ("Ç\u0327a", "ca"),
        ("St. Jean", "stjean"),
        ("Ma\u200bthieu", "mathieu"),  # zero-width space
        ("Ma\x00thieu", "mathieu"),  # NUL
        ("Ma\u00adthieu", "mathieu"),  # soft hyphen
        ("Łukasz", "lukasz"),
        ("", ""),
    ],
)
def test_C7_table_de_normalisation(saisie: str, attendu: str) -> None:
    assert normaliser(saisie) == attendu


def test_C7_homoglyphe_cyrillique_non_confondu() -> None:
    # Cyrillic "а" is not folded to Latin "a": no false match across scripts.
    assert normaliser("\u0430lice") != normaliser("alice")


@given(st.text(max_size=200))
def test_C7_normalisation_idempotente(texte: str) -> None:
    assert normaliser(normaliser(texte)) == normaliser(texte)


def test_C7_variantes_d_une_identite_meme_index() -> None:
    reference = index_aveugle("N'Diaye-Lefèvre", "Élodie", NAISSANCE)
    assert index_aveugle("ndiaye lefevre", "  ELODIE", NAISSANCE) == reference
    assert index_aveugle("N’DIAYE LEFE\u0300VRE", "élodie", NAISSANCE) == reference
    assert len(reference) == 32


def test_C7_identites_differentes_index_differents() -> None:
    reference = index_aveugle("Martin", "Élodie", NAISSANCE)
    assert index_aveugle("Martin", "Élodie", dt.date(2009, 3, 15)) != reference
    assert index_aveugle("Martine", "Élodie", NAISSANCE) != reference
    # The parts are length-prefixed: moving letters between name and first name changes it.
    assert index_aveugle("Marti", "nÉlodie", NAISSANCE) != reference


def test_C7_index_cle_et_non_hash_simple() -> None:
    valeur = index_aveugle("Martin", "Élodie", NAISSANCE)
    naif = hashlib.sha256(b"martinelodie2009-03-14").digest()
    assert valeur != naif
    with override_settings(INDEX_AVEUGLE_CLE="Y2xlLWQtaW5kZXgtZGUtcmVjaGFuZ2UtMDAwMDAwMDA="):
        assert index_aveugle("Martin", "Élodie", NAISSANCE) != valeur


def test_C7_une_cle_par_usage_distincte_des_cles_de_donnees() -> None:
    ring = noyau.trousseau()
    identite, autre = cle_index("identite"), cle_index("adresse")
    assert identite != autre
    assert identite not in (*ring.maitres.values(), ring.index_aveugle, ring.audit_chaine)
    assert calculer_index("identite", "a") != calculer_index("adresse", "a")
    attendu = hmac.new(identite, b"\x00\x00\x00\x01a", hashlib.sha256).digest()
    assert calculer_index("identite", "a") == attendu


def test_C7_valeur_de_10_ko() -> None:
    assert len(index_aveugle("É" * 10_000, "x", NAISSANCE)) == 32


def test_C2_cle_d_index_absente_echec_ferme() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(INDEX_AVEUGLE_CLE=""), pytest.raises(ImproperlyConfigured):
        index_aveugle("Martin", "Élodie", NAISSANCE)
