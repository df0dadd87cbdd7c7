"""Optimal assignment: equal to brute force on small random instances, deterministic (no DB)."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings

from tests.tig.appariement_outils import instances, mesure, poste
from tig.appariement.couts import Poids, detail
from tig.appariement.donnees import MesureAPlacer, Point, PosteCandidat
from tig.appariement.eligibilite import Motif, motifs
from tig.appariement.optimal import INELIGIBLE, matrice, proposer

REGLAGES = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
POIDS = Poids(metres_par_jour_attente=700, poids_distance_faits=1, penalite_non_placee=60_000)


def force_brute(mesures: list[MesureAPlacer], postes: list[PosteCandidat], poids: Poids) -> int:
    """Least total cost over every assignment (each measure: one post or none)."""
    options: list[list[tuple[int | None, int]]] = []
    for m in mesures:
        choix: list[tuple[int | None, int]] = [(None, poids.penalite_non_placee)]
        for j, p in enumerate(postes):
            if not motifs(m, p):
                choix.append((j, detail(m, p, poids).cout))
        options.append(choix)
    meilleur: int | None = None
    for combinaison in itertools.product(*options):
        occupation = Counter(j for j, _ in combinaison if j is not None)
        if any(n > postes[j].places_restantes for j, n in occupation.items()):
            continue
        total = sum(c for _, c in combinaison)
        meilleur = total if meilleur is None else min(meilleur, total)
    assert meilleur is not None
    return meilleur


@REGLAGES
@given(instances())
def test_optimal_equals_brute_force(
    instance: tuple[list[MesureAPlacer], list[PosteCandidat]],
) -> None:
    mesures, postes = instance
    proposition = proposer(mesures, postes, poids=POIDS)
    assert proposition.cout_total == force_brute(mesures, postes, POIDS)
    # The proposal itself is feasible.
    par_id = {p.id: p for p in postes}
    occupation = Counter(a.poste_id for a in proposition.affectations if a.poste_id)
    assert all(n <= par_id[ident].places_restantes for ident, n in occupation.items())
    for a, m in zip(proposition.affectations, sorted(mesures, key=lambda x: x.id), strict=True):
        assert a.mesure_id == m.id
        if a.poste_id is not None:
            assert motifs(m, par_id[a.poste_id]) == ()
        elif a.motifs == (Motif.CAPACITE,):
            eligibles = [p for p in postes if not motifs(m, p)]
            assert eligibles
            assert all(occupation[p.id] == p.places_restantes for p in eligibles)


@REGLAGES
@given(instances())
def test_the_vectorised_matrix_agrees_with_the_scalar_rules(
    instance: tuple[list[MesureAPlacer], list[PosteCandidat]],
) -> None:
    mesures, postes = instance
    tableau = matrice(mesures, postes, POIDS)
    for i, m in enumerate(mesures):
        for j, p in enumerate(postes):
            if motifs(m, p):
                assert tableau.couts[i, j] == INELIGIBLE
            else:
                assert tableau.couts[i, j] == detail(m, p, POIDS).cout


@REGLAGES
@given(instances())
def test_same_input_in_any_order_gives_the_same_proposal(
    instance: tuple[list[MesureAPlacer], list[PosteCandidat]],
) -> None:
    mesures, postes = instance
    hasard = random.Random(0)
    melangees, melanges = mesures[:], postes[:]
    hasard.shuffle(melangees)
    hasard.shuffle(melanges)
    assert proposer(melangees, melanges, poids=POIDS) == proposer(mesures, postes, poids=POIDS)


def test_ties_are_broken_the_same_way_every_time() -> None:
    mesures = [mesure(id=f"m{i}") for i in range(4)]
    postes = [poste(id=f"p{j}", places_restantes=1) for j in range(3)]
    premiere = proposer(mesures, postes)
    assert all(proposer(mesures[::-1], postes[::-1]) == premiere for _ in range(5))
    assert premiere.non_placees == 1


def test_a_measure_without_any_eligible_post_stays_unassigned_with_its_reasons() -> None:
    mineur = mesure(id="m1", age_au_debut=16, nature="reparation")
    postes = [
        poste(id="p1", age_minimum=18, natures=frozenset({"reparation"})),
        poste(id="p2", natures=frozenset({"tig"})),
    ]
    (ligne,) = proposer([mineur], postes).affectations
    assert ligne.poste_id is None
    assert ligne.motifs == (Motif.NATURE, Motif.AGE)
    assert ligne.cout == Poids().penalite_non_placee
    assert ligne.detail is None


def test_a_measure_left_out_by_capacity_says_so() -> None:
    proche = mesure(id="m1")
    loin = mesure(id="m2", domicile=Point(47.40, 5.16))
    resultat = proposer([loin, proche], [poste(id="p1", places_restantes=1)])
    assert [(a.mesure_id, a.poste_id, a.motifs) for a in resultat.affectations] == [
        ("m1", "p1", ()),
        ("m2", None, (Motif.CAPACITE,)),
    ]


def test_a_place_dearer_than_the_penalty_is_left_free_without_a_reason() -> None:
    loin = mesure(id="m1", domicile=Point(47.40, 5.16))
    (ligne,) = proposer([loin], [poste()], poids=Poids(penalite_non_placee=100)).affectations
    assert (ligne.poste_id, ligne.motifs, ligne.cout) == (None, (), 100)


def test_capacity_is_shared_out_to_minimise_the_total_distance() -> None:
    # Nearest-first by id gives p1 to m1 (2.2 km) and p2 to m2 (6.7 km); the optimum swaps them
    # (3.3 km + 1.1 km).
    p1 = poste(id="p1", lieu=Point(47.30, 5.04))
    p2 = poste(id="p2", lieu=Point(47.35, 5.04))
    m1 = mesure(id="m1", domicile=Point(47.32, 5.04))
    m2 = mesure(id="m2", domicile=Point(47.29, 5.04))
    resultat = proposer([m1, m2], [p1, p2])
    assert {a.mesure_id: a.poste_id for a in resultat.affectations} == {"m1": "p2", "m2": "p1"}
    assert resultat.cout_total == sum(a.detail.cout for a in resultat.affectations if a.detail)


def test_no_post_and_no_measure() -> None:
    assert proposer([], [poste()]).affectations == ()
    (seule,) = proposer([mesure()], []).affectations
    assert seule.poste_id is None
    assert seule.motifs == ()
    assert np.asarray(matrice([mesure()], [], Poids()).couts).shape == (1, 0)
