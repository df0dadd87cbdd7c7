"""The import contract (docs/architecture.md, "Frontières entre applications"), checked in CI.

Two checks, each shown to fail on a planted violation:

- the import-linter contracts of ``pyproject.toml`` (``[tool.importlinter]``): one-way layers
  ``config > cellules : tig : cispd > noyau > audit > acces > socle``, function-local imports
  included, and no application module importing ``tests`` or ``bench``;
- an AST walk of the domain apps: one domain app imports another only through a module named
  ``services`` or ``selectors`` (import-linter cannot say "only modules with this name").
  Migrations are left out of the walk: they are generated and frozen, and the references Django
  writes there (field classes, validators, defaults) must name the module where the object
  lives; data migrations use ``apps.get_model``. The layers contract still covers them.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
APPLICATIONS = ("socle", "acces", "audit", "noyau", "cellules", "tig", "cispd", "config")
DOMAINES = ("cellules", "tig", "cispd")
PORTES = frozenset({"services", "selectors"})


# --- import-linter ---------------------------------------------------------------------------


def lint_imports(racine: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the tree at ``racine`` (its own ``pyproject.toml``), no cache."""
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
    )
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=racine,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_import_contract_is_kept() -> None:
    resultat = lint_imports(RACINE)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "0 broken" in resultat.stdout


def copie_du_projet(destination: Path) -> Path:
    """The applications and the contract, as they are; ``tests`` and ``bench`` left empty."""
    ignorer = shutil.ignore_patterns("__pycache__", "*.pyc")
    for nom in APPLICATIONS:
        shutil.copytree(RACINE / nom, destination / nom, ignore=ignorer)
    for nom in ("tests", "bench"):
        (destination / nom).mkdir()
        (destination / nom / "__init__.py").write_text("")
    shutil.copy(RACINE / "pyproject.toml", destination / "pyproject.toml")
    return destination


@pytest.mark.parametrize(
    ("module", "source", "attendu"),
    [
        # Function-local, as the cycle used to hide itself.
        (
            "acces/plante.py",
            "def f():\n    from audit import journal\n\n    return journal\n",
            ("acces is not allowed to import audit", "acces.plante -> audit.journal"),
        ),
        (
            "socle/plante.py",
            "from config.celery import app\n",
            ("socle is not allowed to import config", "socle.plante -> config.celery"),
        ),
        (
            "audit/plante.py",
            "import cellules.models\n",
            ("audit is not allowed to import cellules", "audit.plante -> cellules.models"),
        ),
        (
            "cellules/plante.py",
            "from tests.acces import factories\n",
            ("cellules.plante -> tests",),
        ),
    ],
)
def test_import_contract_breaks_on_a_planted_violation(
    tmp_path: Path, module: str, source: str, attendu: tuple[str, ...]
) -> None:
    copie = copie_du_projet(tmp_path)
    if module.startswith("cellules/"):
        (copie / "tests" / "acces").mkdir()
        (copie / "tests" / "acces" / "__init__.py").write_text("")
        (copie / "tests" / "acces" / "factories.py").write_text("")
    (copie / module).write_text(source)
    resultat = lint_imports(copie)
    assert resultat.returncode == 1, resultat.stdout + resultat.stderr
    for texte in attendu:
        assert texte in resultat.stdout, resultat.stdout


# --- domain apps: services and selectors only ------------------------------------------------


@dataclass(frozen=True, order=True)
class ImportInterdit:
    fichier: str
    ligne: int
    cible: str

    def __str__(self) -> str:
        return f"{self.fichier}:{self.ligne} -> {self.cible}"


def _module_de(racine: Path, fichier: Path) -> str:
    parties = list(fichier.relative_to(racine).with_suffix("").parts)
    if parties[-1] == "__init__":
        parties.pop()
    return ".".join(parties)


def _est_module(racine: Path, nom: str) -> bool:
    chemin = racine.joinpath(*nom.split("."))
    return chemin.with_suffix(".py").is_file() or (chemin / "__init__.py").is_file()


def _cibles(racine: Path, fichier: Path, arbre: ast.Module) -> list[tuple[int, str]]:
    """Every imported module (function-local and ``TYPE_CHECKING`` ones too), resolved."""
    module = _module_de(racine, fichier)
    paquet = module if fichier.name == "__init__.py" else module.rpartition(".")[0]
    cibles: list[tuple[int, str]] = []
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            cibles.extend((noeud.lineno, alias.name) for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom):
            base = noeud.module or ""
            if noeud.level:
                parent = paquet.split(".")[: len(paquet.split(".")) - noeud.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in noeud.names:
                candidat = f"{base}.{alias.name}"
                # ``from x import services`` imports the module x.services.
                cible = candidat if _est_module(racine, candidat) else base
                cibles.append((noeud.lineno, cible))
    return cibles


def imports_interdits(racine: Path, domaines: tuple[str, ...] = DOMAINES) -> list[ImportInterdit]:
    """Imports of another domain app's module that is not ``…services`` or ``…selectors``."""
    trouves: set[ImportInterdit] = set()
    for domaine in domaines:
        for fichier in sorted((racine / domaine).rglob("*.py")):
            if "migrations" in fichier.relative_to(racine).parts:
                continue
            arbre = ast.parse(fichier.read_text(encoding="utf-8"), filename=str(fichier))
            for ligne, cible in _cibles(racine, fichier, arbre):
                application = cible.split(".")[0]
                if application not in domaines or application == domaine:
                    continue
                if cible.split(".")[-1] not in PORTES:
                    relatif = fichier.relative_to(racine).as_posix()
                    trouves.add(ImportInterdit(relatif, ligne, cible))
    return sorted(trouves)


def test_domain_apps_reach_each_other_through_services_and_selectors_only() -> None:
    interdits = imports_interdits(RACINE)
    assert not interdits, (
        "Une application métier n'importe une autre que par ses modules services ou selectors :\n"
        + "\n".join(str(i) for i in interdits)
    )


def test_the_walk_finds_a_planted_cross_app_import(tmp_path: Path) -> None:
    for chemin in (
        "cellules/__init__.py",
        "cellules/registres/__init__.py",
        "cellules/registres/models.py",
        "cellules/registres/services.py",
        "cellules/registres/selectors.py",
        "cellules/enums.py",
        "tig/__init__.py",
        "tig/migrations/__init__.py",
        "cispd/__init__.py",
    ):
        (tmp_path / chemin).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / chemin).write_text("")
    (tmp_path / "tig" / "services.py").write_text(
        "from cellules.registres import selectors, services\n"
        "from cellules.registres.services import transaction_executer\n"
        "import cellules.registres.selectors\n"
        "from cellules.registres.models import TransactionMunicipale\n"
        "from tig import enums\n"
        "from . import politiques\n"
        "\n"
        "def f():\n"
        "    from cellules import enums\n"
        "    import cellules\n"
    )
    (tmp_path / "tig" / "migrations" / "0001_initial.py").write_text("import cellules.models\n")
    (tmp_path / "cispd" / "models.py").write_text("from cellules.registres import models\n")
    assert [str(i) for i in imports_interdits(tmp_path)] == [
        "cispd/models.py:1 -> cellules.registres.models",
        "tig/services.py:4 -> cellules.registres.models",
        "tig/services.py:9 -> cellules.enums",
        "tig/services.py:10 -> cellules",
    ]
