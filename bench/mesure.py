"""Measurement helpers shared by the benchmark modules."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from statistics import median
from time import perf_counter_ns
from typing import Any

CHAMPS = ("name", "metric", "value", "baseline", "ratio", "target", "ok")

Resultat = dict[str, Any]


def comparer(
    fonctions: Sequence[Callable[[], object]],
    *,
    tours: int = 30,
    par_tour: int | Sequence[int] = 20,
    echauffement: int = 20,
) -> list[float]:
    """Median nanoseconds per call of each function, measured in interleaved rounds.

    Each round takes one sample per function: ``par_tour`` consecutive calls (one count for all,
    or one per function, so that a fast baseline runs warm while a slow path is sampled call by
    call). The order is reversed every other round so that drift (CPU frequency, caches, other
    processes) does not favour one side; medians drop the rounds hit by a pause.
    """
    appels = [par_tour] * len(fonctions) if isinstance(par_tour, int) else list(par_tour)
    if not fonctions or tours < 1 or len(appels) != len(fonctions) or min(appels) < 1:
        raise ValueError("comparer : au moins une fonction, un tour et un appel par tour")
    for _ in range(echauffement):
        for fonction in fonctions:
            fonction()
    echantillons: list[list[float]] = [[] for _ in fonctions]
    indices = list(range(len(fonctions)))
    for tour in range(tours):
        for index in indices if tour % 2 == 0 else reversed(indices):
            fonction, nombre = fonctions[index], appels[index]
            debut = perf_counter_ns()
            for _ in range(nombre):
                fonction()
            echantillons[index].append((perf_counter_ns() - debut) / nombre)
    return [median(serie) for serie in echantillons]


def _arrondi(valeur: float | int | None) -> float | int | None:
    if isinstance(valeur, float):
        return round(valeur, 3)
    return valeur


def ligne(
    nom: str,
    metrique: str,
    valeur: float | int | None,
    cible: float | int | None,
    reference: float | int | None = None,
) -> Resultat:
    """One result line; the target bounds the ratio when there is a baseline, else the value."""
    return normaliser(
        {"name": nom, "metric": metrique, "value": valeur, "baseline": reference, "target": cible}
    )


def _ratio(valeur: object, reference: object) -> float | None:
    if not isinstance(valeur, int | float) or not isinstance(reference, int | float):
        return None
    if reference == 0:
        return None
    return valeur / reference


def _ok(valeur: object, ratio: float | None, cible: object) -> bool:
    mesure = ratio if ratio is not None else valeur
    if not isinstance(mesure, int | float) or not isinstance(cible, int | float):
        return False
    if isinstance(mesure, float) and math.isnan(mesure):
        return False
    return mesure <= cible


def normaliser(resultat: Mapping[str, Any]) -> Resultat:
    """Fill ``ratio`` and ``ok`` when missing and keep the keys in the documented order."""
    sortie: Resultat = {champ: resultat.get(champ) for champ in CHAMPS}
    if sortie["ratio"] is None:
        sortie["ratio"] = _ratio(sortie["value"], sortie["baseline"])
    if "ok" not in resultat or not isinstance(resultat["ok"], bool):
        sortie["ok"] = _ok(sortie["value"], sortie["ratio"], sortie["target"])
    for champ in ("value", "baseline", "ratio", "target"):
        sortie[champ] = _arrondi(sortie[champ])
    return sortie


def echec(nom: str, metrique: str) -> Resultat:
    """The line reported for a benchmark that could not be imported or run."""
    return dict.fromkeys(CHAMPS) | {"name": nom, "metric": metrique, "ok": False}
