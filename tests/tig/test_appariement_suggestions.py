"""Suggestions for one measure: the five best posts in cost order, and why the others fail."""

from __future__ import annotations

import datetime as dt

from tests.tig.appariement_outils import DIJON, LUNDI, mesure, poste
from tig.appariement.couts import Poids
from tig.appariement.donnees import Point
from tig.appariement.eligibilite import Motif
from tig.appariement.suggestions import suggerer


def _a_km(km: float) -> Point:
    # Due north of Dijon: one degree of latitude is about 111.2 km.
    return Point(DIJON.lat + km / 111.195, DIJON.lon)


def test_the_five_nearest_eligible_posts_come_first_in_cost_order() -> None:
    postes = [poste(id=f"p{k}", lieu=_a_km(k)) for k in (7, 3, 1, 6, 2, 5, 4)]
    resultat = suggerer(mesure(), postes)
    assert [s.poste_id for s in resultat.meilleurs] == ["p1", "p2", "p3", "p4", "p5"]
    assert resultat.autres_eligibles == 2
    assert resultat.ineligibles == ()
    couts = [s.detail.cout for s in resultat.meilleurs]
    assert couts == sorted(couts)
    assert abs(resultat.meilleurs[0].detail.distance_domicile_m - 1000) <= 5


def test_each_ineligible_post_carries_its_reasons_by_post_id() -> None:
    postes = [
        poste(id="p3", perime=True),
        poste(id="p1", places_restantes=0, age_minimum=18),
        poste(id="p2"),
    ]
    resultat = suggerer(mesure(age_au_debut=17), postes)
    assert [s.poste_id for s in resultat.meilleurs] == ["p2"]
    assert [(r.poste_id, r.motifs) for r in resultat.ineligibles] == [
        ("p1", (Motif.CAPACITE, Motif.AGE)),
        ("p3", (Motif.PERIME,)),
    ]


def test_waiting_days_are_priced_and_shown() -> None:
    proche_plus_tard = poste(id="a", lieu=_a_km(1), disponible_le=LUNDI + dt.timedelta(days=14))
    loin_tout_de_suite = poste(id="b", lieu=_a_km(5))
    resultat = suggerer(mesure(), [proche_plus_tard, loin_tout_de_suite])
    # 14 days at 500 m a day outweigh 4 km.
    assert [s.poste_id for s in resultat.meilleurs] == ["b", "a"]
    attente = resultat.meilleurs[1].detail
    assert attente.attente_jours == 14
    assert attente.debut == LUNDI + dt.timedelta(days=14)
    assert attente.cout == attente.distance_domicile_m + 14 * 500
    sans_attente = suggerer(
        mesure(), [proche_plus_tard, loin_tout_de_suite], poids=Poids(metres_par_jour_attente=0)
    )
    assert [s.poste_id for s in sans_attente.meilleurs] == ["a", "b"]


def test_distance_from_the_facts_and_schedule_fit_are_reported() -> None:
    faits = _a_km(10)
    resultat = suggerer(
        mesure(lieu_faits=faits, jours_disponibles=frozenset({0, 1, 5, 6})), [poste(lieu=faits)]
    )
    (seule,) = resultat.meilleurs
    assert seule.detail.distance_faits_m == 0
    assert seule.detail.jours_communs == (0, 1)
    assert seule.detail.adequation_horaire == 0.5


def test_equal_costs_are_ordered_by_post_id() -> None:
    postes = [poste(id=ident) for ident in ("c", "a", "b")]
    assert [s.poste_id for s in suggerer(mesure(), postes).meilleurs] == ["a", "b", "c"]
