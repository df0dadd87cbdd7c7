"""Eligibility of a post for a measure: every reason, its label, the earliest start (no DB)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tig.appariement_outils import LUNDI, mesure, poste
from tig.appariement.eligibilite import LIBELLES, Motif, debut_au_plus_tot, evaluer, motifs


def test_a_post_that_fits_is_eligible() -> None:
    verdict = evaluer(mesure(), poste())
    assert verdict.eligible
    assert verdict.motifs == ()


@pytest.mark.parametrize(
    ("champs_mesure", "champs_poste", "motif"),
    [
        ({}, {"actif": False}, Motif.INACTIF),
        ({}, {"perime": True}, Motif.PERIME),
        ({}, {"places_restantes": 0}, Motif.CAPACITE),
        ({"nature": "reparation"}, {}, Motif.NATURE),
        ({"age_au_debut": 17}, {"age_minimum": 18}, Motif.AGE),
        ({"communes_exclues": frozenset({"21231"})}, {}, Motif.COMMUNE_EXCLUE),
        ({"activites_exclues": frozenset({"espaces_verts"})}, {}, Motif.ACTIVITE),
        ({"jours_disponibles": frozenset({5, 6})}, {}, Motif.HORAIRE),
    ],
)
def test_each_reason_alone(
    champs_mesure: dict[str, object], champs_poste: dict[str, object], motif: Motif
) -> None:
    assert motifs(mesure(**champs_mesure), poste(**champs_poste)) == (motif,)


def test_a_minor_of_16_may_take_a_post_open_from_16() -> None:
    assert evaluer(mesure(age_au_debut=16), poste(age_minimum=16)).eligible


def test_weekend_days_count_only_when_the_post_opens_at_the_weekend() -> None:
    samedi = mesure(jours_disponibles=frozenset({5}))
    ferme = poste(jours_ouverts=frozenset({0, 5}), week_end=False)
    ouvert = poste(jours_ouverts=frozenset({0, 5}), week_end=True)
    assert motifs(samedi, ferme) == (Motif.HORAIRE,)
    assert evaluer(samedi, ouvert).eligible


def test_every_reason_is_listed_together_in_a_fixed_order() -> None:
    tout_faux = poste(
        actif=False,
        perime=True,
        places_restantes=0,
        natures=frozenset({"tnr"}),
        age_minimum=18,
        commune="21166",
        activite="mediation",
        jours_ouverts=frozenset({2}),
    )
    contraintes = mesure(
        age_au_debut=16,
        communes_exclues=frozenset({"21166"}),
        activites_exclues=frozenset({"mediation"}),
        jours_disponibles=frozenset({0}),
    )
    assert motifs(contraintes, tout_faux) == tuple(Motif)


def test_every_reason_has_a_french_label() -> None:
    assert set(LIBELLES) == set(Motif)
    assert Motif.AGE.libelle == "âge minimum du poste non atteint"
    assert Motif.CAPACITE.libelle == "plus de place disponible sur le poste"
    assert all(m.libelle and m.libelle[0].islower() for m in Motif)


def test_earliest_start_is_the_first_common_day_after_both_dates() -> None:
    jeudi = LUNDI + dt.timedelta(days=3)
    assert debut_au_plus_tot(mesure(), poste()) == LUNDI
    assert debut_au_plus_tot(mesure(jours_disponibles=frozenset({3})), poste()) == jeudi
    # The post has a place from Wednesday the following week; the next Thursday is 10 days on.
    plus_tard = poste(disponible_le=LUNDI + dt.timedelta(days=9))
    assert debut_au_plus_tot(
        mesure(jours_disponibles=frozenset({3})), plus_tard
    ) == jeudi + dt.timedelta(days=7)
    assert debut_au_plus_tot(mesure(jours_disponibles=frozenset({6})), poste()) is None
