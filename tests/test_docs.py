"""The documents stay true to the code: cited files, commands, keys and benchmarks exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from bench.__main__ import BENCHMARKS

RACINE = Path(__file__).resolve().parent.parent
DOCS = RACINE / "docs"
DOCUMENTS = ("architecture.md", "glossaire.md", "modele-de-securite.md")
DOSSIERS_DU_DEPOT = {
    ".ci",
    "acces",
    "audit",
    "bench",
    "cellules",
    "cispd",
    "config",
    "docs",
    "scripts",
    "socle",
    "tests",
    "tig",
}
_CODE = re.compile(r"`([^`\s]+)`")
_COMMANDE = re.compile(r"manage\.py ([a-z_]+)")
_CLE = re.compile(r"(^|_)CLES?(_|$)|SECRET|GRAINE")


def _texte(nom: str) -> str:
    return (DOCS / nom).read_text(encoding="utf-8")


def _chemins_cites(texte: str) -> set[str]:
    chemins = set()
    for extrait in _CODE.findall(texte):
        premier = extrait.split("/", 1)[0]
        if "/" in extrait and premier in DOSSIERS_DU_DEPOT:
            chemins.add(extrait.rstrip("/"))
    return chemins


@pytest.mark.parametrize("nom", DOCUMENTS)
def test_document_exists_with_a_title(nom: str) -> None:
    assert _texte(nom).startswith("# ")


@pytest.mark.parametrize("nom", DOCUMENTS)
def test_every_file_cited_in_backquotes_exists(nom: str) -> None:
    manquants = sorted(c for c in _chemins_cites(_texte(nom)) if not (RACINE / c).exists())
    assert manquants == []


@pytest.mark.parametrize("nom", DOCUMENTS)
def test_every_management_command_cited_exists(nom: str) -> None:
    commandes = set(_COMMANDE.findall(_texte(nom)))
    assert commandes - set(get_commands()) == set()


def test_C11_key_inventory_lists_every_key_setting() -> None:
    cles = {nom for nom in dir(settings) if nom.isupper() and _CLE.search(nom)}
    assert {"SECRET_KEY", "CHIFFREMENT_CLES_MAITRES", "INDEX_AVEUGLE_CLE"} <= cles
    texte = _texte("modele-de-securite.md")
    assert sorted(nom for nom in cles if f"`{nom}`" not in texte) == []


def test_every_benchmark_is_described() -> None:
    texte = _texte("architecture.md")
    assert [nom for nom in BENCHMARKS if f"`{nom}`" not in texte] == []


def test_glossary_keeps_every_term_of_the_shared_glossary() -> None:
    texte = _texte("glossaire.md")
    for terme in ("CLSPD", "CISPD", "séance", "orientation", "rappel à l'ordre", "TNR", "TIG"):
        assert terme in texte
