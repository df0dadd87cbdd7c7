"""The matching package stays pure: no Django, no model, nothing outside itself but libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import tig.appariement

PAQUET = Path(tig.appariement.__file__).parent
PERMIS = {"__future__", "collections", "dataclasses", "datetime", "enum", "math", "numpy"}
PERMIS |= {"ortools", "typing", "tig"}


def _imports(fichier: Path) -> set[str]:
    modules: set[str] = set()
    for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            modules |= {alias.name for alias in noeud.names}
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            modules.add(noeud.module)
    return modules


def test_the_matching_imports_neither_django_nor_another_part_of_the_project() -> None:
    fichiers = sorted(PAQUET.glob("*.py"))
    assert {f.name for f in fichiers} >= {"distance.py", "eligibilite.py", "optimal.py"}
    for fichier in fichiers:
        for module in _imports(fichier):
            racine = module.split(".")[0]
            assert racine in PERMIS, (fichier.name, module)
            if racine == "tig":
                assert module.startswith("tig.appariement."), (fichier.name, module)
