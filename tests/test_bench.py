"""The benchmark runner's contract, without running any timing."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.__main__ import BENCHMARKS, formater, lignes
from bench.mesure import CHAMPS, comparer, echec, ligne

RACINE = Path(__file__).resolve().parent.parent


def test_formater_gives_the_documented_keys_in_order() -> None:
    sortie = json.loads(formater(ligne("demo", "latence_mediane_us", 300.0, 50.0, reference=10.0)))
    assert list(sortie) == list(CHAMPS)
    assert sortie["ratio"] == 30.0
    assert sortie["ok"] is True


def test_target_bounds_the_ratio_when_there_is_a_baseline() -> None:
    trop_lent = json.loads(formater(ligne("demo", "latence", 600.0, 50.0, reference=10.0)))
    assert trop_lent["ratio"] == 60.0
    assert trop_lent["ok"] is False


def test_target_bounds_the_value_without_a_baseline() -> None:
    assert json.loads(formater(ligne("demo", "requetes_sql", 6, 6, reference=0)))["ok"] is True
    sortie = json.loads(formater(ligne("demo", "requetes_sql", 7, 6, reference=0)))
    assert sortie["ratio"] is None
    assert sortie["ok"] is False


def test_missing_value_or_target_is_never_ok() -> None:
    assert json.loads(formater(ligne("demo", "latence", None, 10.0)))["ok"] is False
    assert json.loads(formater(ligne("demo", "latence", 1.0, None)))["ok"] is False


def test_failure_line_has_every_key_and_is_not_ok() -> None:
    sortie = json.loads(formater(echec("demo", "import")))
    assert list(sortie) == list(CHAMPS)
    assert sortie == {
        "name": "demo",
        "metric": "import",
        "value": None,
        "baseline": None,
        "ratio": None,
        "target": None,
        "ok": False,
    }


@pytest.fixture
def module_factice() -> Iterator[types.ModuleType]:
    module = types.ModuleType("bench._factice")
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def test_a_missing_module_is_one_failed_line_not_a_crash() -> None:
    erreurs = io.StringIO()
    sortie = [json.loads(texte) for texte in lignes("module_absent_xyz", erreurs)]
    assert sortie == [json.loads(formater(echec("module_absent_xyz", "import")))]
    assert "import impossible" in erreurs.getvalue()


def test_a_failing_run_is_one_failed_line(module_factice: types.ModuleType) -> None:
    def run() -> list[dict[str, object]]:
        raise RuntimeError("panne simulée")

    module_factice.run = run  # type: ignore[attr-defined]
    erreurs = io.StringIO()
    sortie = [json.loads(texte) for texte in lignes("_factice", erreurs)]
    assert [(s["metric"], s["ok"]) for s in sortie] == [("execution", False)]
    assert "panne simulée" in erreurs.getvalue()


def test_a_malformed_result_is_one_failed_line(module_factice: types.ModuleType) -> None:
    module_factice.run = lambda: [ligne("_factice", "x", float("nan"), 1.0, reference=1.0)]  # type: ignore[attr-defined]
    sortie = [json.loads(texte) for texte in lignes("_factice", io.StringIO())]
    assert [(s["metric"], s["ok"]) for s in sortie] == [("format", False)]


def test_comparer_calls_each_side_the_same_number_of_times() -> None:
    appels = {"a": 0, "b": 0}

    def a() -> None:
        appels["a"] += 1

    def b() -> None:
        appels["b"] += 1

    medianes = comparer([a, b], tours=3, par_tour=4, echauffement=2)
    assert appels == {"a": 2 + 3 * 4, "b": 2 + 3 * 4}
    assert len(medianes) == 2
    assert all(m >= 0 for m in medianes)


def test_registry_lists_the_api_overhead_benchmark() -> None:
    assert "api_overhead" in BENCHMARKS


def test_registry_lists_the_matching_benchmark_and_its_run() -> None:
    assert "matching" in BENCHMARKS
    module = importlib.import_module("bench.matching")
    assert callable(module.run)
    mesures, postes = module.instance(0)
    assert (len(mesures), len(postes)) == (2000, 300)
    assert {p.places_restantes for p in postes} == {1, 2, 3, 4, 5}
    assert module.GRAINES == 20


def test_unknown_name_exits_2_with_a_french_message() -> None:
    resultat = subprocess.run(
        [sys.executable, "-m", "bench", "inexistant"],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert resultat.returncode == 2
    assert resultat.stdout == ""
    assert "Benchmark inconnu : inexistant" in resultat.stderr
    assert "api_overhead" in resultat.stderr
