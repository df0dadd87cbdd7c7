"""Builders and Hypothesis strategies for the pure matching tests (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tig.appariement.donnees import MesureAPlacer, Point, PosteCandidat

LUNDI = dt.date(2027, 1, 4)
DIJON = Point(47.3220, 5.0415)
COMMUNES = ("21231", "21166", "21617")
ACTIVITES = ("espaces_verts", "proprete_urbaine", "mediation")
NATURES = ("tig", "tnr", "reparation")


def mesure(**champs: Any) -> MesureAPlacer:
    valeurs: dict[str, Any] = {
        "id": "m1",
        "nature": "tig",
        "age_au_debut": 30,
        "domicile": DIJON,
        "debut_au_plus_tot": LUNDI,
    }
    return MesureAPlacer(**(valeurs | champs))


def poste(**champs: Any) -> PosteCandidat:
    valeurs: dict[str, Any] = {
        "id": "p1",
        "commune": "21231",
        "activite": "espaces_verts",
        "lieu": Point(47.33, 5.05),
        "places_restantes": 1,
        "natures": frozenset({"tig", "tnr"}),
    }
    return PosteCandidat(**(valeurs | champs))


points = st.builds(Point, st.floats(47.23, 47.40), st.floats(4.90, 5.16))
jours = st.frozensets(st.integers(0, 6), min_size=1)


@st.composite
def mesures(draw: st.DrawFn, ident: str) -> MesureAPlacer:
    return MesureAPlacer(
        id=ident,
        nature=draw(st.sampled_from(NATURES)),
        age_au_debut=draw(st.integers(15, 40) | st.integers(18, 40)),
        domicile=draw(points),
        lieu_faits=draw(st.none() | points),
        debut_au_plus_tot=LUNDI + dt.timedelta(days=draw(st.integers(0, 10))),
        communes_exclues=draw(st.frozensets(st.sampled_from(COMMUNES), max_size=1)),
        jours_disponibles=draw(st.frozensets(st.integers(0, 6), min_size=3)),
        activites_exclues=draw(st.frozensets(st.sampled_from(ACTIVITES), max_size=1)),
    )


@st.composite
def postes(draw: st.DrawFn, ident: str, places: st.SearchStrategy[int]) -> PosteCandidat:
    return PosteCandidat(
        id=ident,
        commune=draw(st.sampled_from(COMMUNES)),
        activite=draw(st.sampled_from(ACTIVITES)),
        lieu=draw(points),
        places_restantes=draw(places),
        natures=draw(st.frozensets(st.sampled_from(NATURES), min_size=2)),
        jours_ouverts=draw(jours),
        week_end=draw(st.booleans()),
        age_minimum=draw(st.sampled_from((16, 18))),
        actif=draw(st.sampled_from((True,) * 7 + (False,))),
        perime=draw(st.sampled_from((False,) * 7 + (True,))),
        disponible_le=draw(st.none() | st.integers(0, 12).map(lambda n: LUNDI + dt.timedelta(n))),
    )


@st.composite
def instances(
    draw: st.DrawFn, max_mesures: int = 6, max_postes: int = 4
) -> tuple[list[MesureAPlacer], list[PosteCandidat]]:
    n = draw(st.integers(1, max_mesures))
    p = draw(st.integers(0, max_postes) | st.integers(2, max_postes))
    return (
        [draw(mesures(f"m{i}")) for i in range(n)],
        [draw(postes(f"p{j}", st.integers(1, 2))) for j in range(p)],
    )
