"""The cost of placing a measure on a post: whole metres, waiting days priced in metres.

One cost function for the suggestions and the optimal assignment, so both rank alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tig.appariement.distance import haversine_m
from tig.appariement.donnees import MesureAPlacer, PosteCandidat
from tig.appariement.eligibilite import debut_au_plus_tot, jours_communs


@dataclass(frozen=True, slots=True)
class Poids:
    """Weights of the cost (integers: the solver works on whole numbers).

    - ``metres_par_jour_attente``: one day between the measure's earliest start and the first
      day on the post weighs like this many metres of distance (default 500 m: a week of
      waiting is worth 3.5 km, about a bus stop line across the métropole);
    - ``poids_distance_faits``: metres from the place of the facts count this many times
      (default 0: the distance from home alone; the distance from the facts is still shown);
    - ``penalite_non_placee``: cost of leaving a measure unassigned (default 1 000 km, more than
      any placement inside a métropole costs, so a measure stays unassigned only when no
      eligible place is left for it).
    """

    metres_par_jour_attente: int = 500
    poids_distance_faits: int = 0
    penalite_non_placee: int = 1_000_000


@dataclass(frozen=True, slots=True)
class Detail:
    """Why an eligible post is a good or poor fit: the terms of its cost."""

    distance_domicile_m: int
    distance_faits_m: int | None
    debut: dt.date
    attente_jours: int
    jours_communs: tuple[int, ...]
    # Share of the person's available days the post covers (0 to 1).
    adequation_horaire: float
    cout: int


def detail(mesure: MesureAPlacer, poste: PosteCandidat, poids: Poids) -> Detail:
    """Cost terms of an eligible pair (the caller checks eligibility first)."""
    debut = debut_au_plus_tot(mesure, poste)
    if debut is None:
        raise ValueError("aucun jour commun : poste non éligible")
    communs = tuple(sorted(jours_communs(mesure, poste)))
    domicile = haversine_m(mesure.domicile, poste.lieu)
    faits = None if mesure.lieu_faits is None else haversine_m(mesure.lieu_faits, poste.lieu)
    attente = (debut - mesure.debut_au_plus_tot).days
    cout = domicile + attente * poids.metres_par_jour_attente
    if faits is not None:
        cout += faits * poids.poids_distance_faits
    return Detail(
        distance_domicile_m=domicile,
        distance_faits_m=faits,
        debut=debut,
        attente_jours=attente,
        jours_communs=communs,
        adequation_horaire=len(communs) / len(mesure.jours_disponibles),
        cout=cout,
    )
