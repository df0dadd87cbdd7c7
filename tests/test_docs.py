"""The documents stay true to the code: cited files, commands, keys and benchmarks exist."""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from bench.__main__ import BENCHMARKS

RACINE = Path(__file__).resolve().parent.parent
DOCS = RACINE / "docs"
DOCUMENTS = ("architecture.md", "exigences-securite.md", "glossaire.md", "modele-de-securite.md")
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
        extrait = extrait.split("::", 1)[0]
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


# Security requirement IDs (docs/exigences-securite.md): a family letter and a number, alone or in
# a range ("D1–D3", "G1-G14"), in comments, strings, documents and leading test names.
EXIGENCES = "exigences-securite.md"
_ID = re.compile(r"(?<![\w.])([A-H])(\d{1,2})(?:\s*[–-]\s*(?:[A-H])?(\d{1,2}))?(?![\w.])")
_ID_DE_TEST = re.compile(r"^test_((?:[A-H]\d{1,2}_)+)")
_LIGNE_EXIGENCE = re.compile(r"^\| ([A-H]\d{1,2}) \|", re.MULTILINE)
_TEST_CITE = re.compile(r"`(tests/[^`:]+\.py)::(\w+)`")
_HORS_DEPOT = {".git", ".venv", ".hypothesis", "node_modules", "var", "__pycache__"}


def _ids(texte: str) -> set[str]:
    trouves = set()
    for lettre, debut, fin in _ID.findall(texte):
        trouves |= {f"{lettre}{n}" for n in range(int(debut), int(fin or debut) + 1)}
    return trouves


def _ids_python(source: str) -> set[str]:
    trouves = set()
    textes = {tokenize.COMMENT, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    for jeton in tokenize.generate_tokens(io.StringIO(source).readline):
        if jeton.type in textes:
            trouves |= _ids(jeton.string)
        elif jeton.type == tokenize.NAME and (prefixe := _ID_DE_TEST.match(jeton.string)):
            trouves |= set(prefixe.group(1).rstrip("_").split("_"))
    return trouves


def _ids_cites() -> dict[str, set[str]]:
    """Every requirement ID cited outside the list itself, with the files that cite it."""
    cites: dict[str, set[str]] = {}
    for chemin in sorted(RACINE.rglob("*")):
        relatif = chemin.relative_to(RACINE)
        if (
            _HORS_DEPOT & set(relatif.parts)
            or not chemin.is_file()
            or relatif == Path("docs", EXIGENCES)
        ):
            continue
        if chemin.suffix == ".py":
            trouves = _ids_python(chemin.read_text(encoding="utf-8"))
        elif chemin.suffix in {".md", ".yml", ".yaml"}:
            trouves = _ids(chemin.read_text(encoding="utf-8"))
        else:
            continue
        for ident in trouves:
            cites.setdefault(ident, set()).add(str(relatif))
    return cites


def _fonctions(chemin: Path) -> set[str]:
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    return {
        n.name for n in ast.walk(arbre) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_requirement_ids_are_found_in_code_tests_and_docs() -> None:
    cites = _ids_cites()
    assert {"A2", "B9", "C9", "D4", "E3", "F1", "G14", "H1"} <= set(cites)
    assert "tests/socle/test_erreurs.py" in cites["G10"]  # from the range "G1-G14"


def test_every_requirement_id_cited_is_in_the_list() -> None:
    listes = set(_LIGNE_EXIGENCE.findall(_texte(EXIGENCES)))
    manquants = {
        ident: sorted(fichiers) for ident, fichiers in _ids_cites().items() if ident not in listes
    }
    assert manquants == {}


def test_every_requirement_of_the_list_is_listed_once_and_names_a_test() -> None:
    texte = _texte(EXIGENCES)
    lignes = [ligne for ligne in texte.splitlines() if _LIGNE_EXIGENCE.match(ligne)]
    identifiants = [ligne.split(" | ", 1)[0][2:] for ligne in lignes]
    assert len(identifiants) == len(set(identifiants))
    assert [
        ligne[:6] for ligne in lignes if not _TEST_CITE.search(ligne.rsplit(" | ", 1)[-1])
    ] == []


def test_every_test_named_in_the_requirements_exists() -> None:
    cites = _TEST_CITE.findall(_texte(EXIGENCES))
    assert len(cites) > 100
    manquants = [
        f"{fichier}::{nom}"
        for fichier, nom in cites
        if not (RACINE / fichier).is_file() or nom not in _fonctions(RACINE / fichier)
    ]
    assert manquants == []


# Glossary: each backquoted name of the "identifiant" column exists in the code.
_MODELE = re.compile(r"^([a-z_]+)\.([A-Z]\w*)$")
_CHAMP = re.compile(r"^([a-z_]+)\.([A-Z]\w*)\.([a-z_]+)$")


def _identifiants_du_glossaire() -> list[str]:
    identifiants = []
    colonne = None
    for ligne in _texte("glossaire.md").splitlines():
        cellules = [c.strip() for c in ligne.strip().strip("|").split(" | ")]
        if not ligne.startswith("| "):
            colonne = None
        elif "identifiant" in cellules:
            colonne = cellules.index("identifiant")
        elif colonne is not None and cellules[0] != "---":
            identifiants += _CODE.findall(cellules[colonne])
    return identifiants


def _existe(identifiant: str) -> bool:
    if identifiant.startswith("/"):
        try:
            resolve(re.sub(r"<[^>]+>", str(uuid.uuid4()), identifiant))
        except Resolver404:
            return False
        return True
    if modele := _MODELE.match(identifiant):
        try:
            apps.get_model(modele[1], modele[2])
        except LookupError:
            return False
        return True
    if champ := _CHAMP.match(identifiant):
        try:
            apps.get_model(champ[1], champ[2])._meta.get_field(champ[3])
        except (LookupError, FieldDoesNotExist):
            return False
        return True
    parties = identifiant.split(".")
    for n in range(len(parties), 0, -1):
        try:
            objet = importlib.import_module(".".join(parties[:n]))
        except ImportError:
            continue
        for nom in parties[n:]:
            if not hasattr(objet, nom):
                return False
            objet = getattr(objet, nom)
        return True
    return False


def test_glossary_names_identifiers() -> None:
    identifiants = _identifiants_du_glossaire()
    assert len(identifiants) > 40
    assert {
        "cellules.Situation",
        "/api/v1/situations/",
        "acces.enums.Role.DELEGUE_PROCUREUR",
    } <= set(identifiants)


def test_every_identifier_of_the_glossary_exists() -> None:
    assert [i for i in _identifiants_du_glossaire() if not _existe(i)] == []


@pytest.mark.parametrize(
    "identifiant",
    [
        "cellules.Inexistant",
        "cellules.Situation.inexistant",
        "acces.enums.Role.PAPE",
        "/api/v1/inexistant/",
    ],
)
def test_a_wrong_glossary_identifier_is_caught(identifiant: str) -> None:
    assert not _existe(identifiant)
