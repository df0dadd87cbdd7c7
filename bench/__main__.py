"""``python -m bench [nom ...]``: run the benchmarks, print one JSON object per line.

Exit codes: 0 all targets met, 1 a target missed or a benchmark failed, 2 unknown benchmark name or
test database unavailable.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from bench.mesure import Resultat, echec, normaliser

BENCHMARKS = ["api_overhead", "crypto", "audit", "situations", "mot_de_passe", "matching"]

# Never collides with a pytest run on the same server (pytest uses ``test_<name>``).
SUFFIXE_BASE = "_bench"


def formater(resultat: Mapping[str, Any]) -> str:
    """One JSON line with the documented keys, in order."""
    return json.dumps(normaliser(resultat), ensure_ascii=False, allow_nan=False)


def noms_inconnus(noms: Sequence[str]) -> list[str]:
    return [nom for nom in noms if nom not in BENCHMARKS]


def executer(nom: str, erreurs: TextIO | None = None) -> list[Resultat]:
    """Import ``bench.<nom>`` lazily and run it; any failure becomes one ``ok=false`` line."""
    erreurs = sys.stderr if erreurs is None else erreurs
    try:
        module = importlib.import_module(f"bench.{nom}")
        run: Callable[[], list[Resultat]] = module.run
    except Exception as exc:  # noqa: BLE001 - reported as a failed line, the others still run
        print(f"{nom} : import impossible ({type(exc).__name__} : {exc})", file=erreurs)
        return [echec(nom, "import")]
    try:
        resultats = list(run())
    except Exception as exc:  # noqa: BLE001 - reported as a failed line, the others still run
        print(f"{nom} : échec de l'exécution ({type(exc).__name__} : {exc})", file=erreurs)
        traceback.print_exc(file=erreurs)
        return [echec(nom, "execution")]
    if not resultats:
        print(f"{nom} : aucun résultat", file=erreurs)
        return [echec(nom, "resultats")]
    return resultats


def lignes(nom: str, erreurs: TextIO | None = None) -> list[str]:
    """Formatted lines of one benchmark; a malformed result becomes an ``ok=false`` line."""
    erreurs = sys.stderr if erreurs is None else erreurs
    sortie: list[str] = []
    for resultat in executer(nom, erreurs):
        try:
            sortie.append(formater(resultat))
        except (TypeError, ValueError) as exc:
            print(f"{nom} : résultat illisible ({type(exc).__name__})", file=erreurs)
            sortie.append(formater(echec(nom, "format")))
    return sortie


def _nommer_base_de_test() -> None:
    from django.db import connections

    reglages = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return
    test = reglages.setdefault("TEST", {})
    test["NAME"] = f"test_{reglages['NAME']}{SUFFIXE_BASE}"


def _preparer() -> Any:
    import django
    from django.test.utils import setup_databases

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    _nommer_base_de_test()
    return setup_databases(verbosity=0, interactive=False, keepdb=False)


def _nettoyer(ancienne_config: Any) -> None:
    from django.test.utils import teardown_databases

    teardown_databases(ancienne_config, verbosity=0)


def main(argv: Sequence[str] | None = None) -> int:
    noms = list(sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    inconnus = noms_inconnus(noms)
    if inconnus:
        print(
            f"Benchmark inconnu : {', '.join(inconnus)} (disponibles : {', '.join(BENCHMARKS)}).",
            file=sys.stderr,
        )
        return 2
    # SIGTERM unwinds like Ctrl-C, so the test database is still dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        ancienne_config = _preparer()
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        detail = (str(exc).splitlines() or [""])[0][:200]
        print(
            f"Base de test indisponible ({type(exc).__name__} : {detail}) : vérifiez "
            "DATABASE_URL, que PostgreSQL est démarré et que les migrations s'appliquent.",
            file=sys.stderr,
        )
        return 2
    tous_ok = True
    try:
        for nom in noms:
            for ligne in lignes(nom):
                tous_ok = tous_ok and json.loads(ligne)["ok"] is True
                print(ligne, flush=True)
    finally:
        _nettoyer(ancienne_config)
    return 0 if tous_ok else 1


if __name__ == "__main__":
    sys.exit(main())
