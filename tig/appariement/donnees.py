"""Input dataclasses of the matching: a measure to place and a candidate post.

Weekdays are ``datetime.date.weekday()`` numbers (0 = Monday … 6 = Sunday). Identifiers are
strings (UUIDs in text form): they order ties, so equal inputs give equal outputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SEMAINE = frozenset(range(7))
WEEK_END = frozenset({5, 6})


@dataclass(frozen=True, slots=True)
class Point:
    """Coordinates in decimal degrees (WGS 84)."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class MesureAPlacer:
    """A pending measure and its constraints."""

    id: str
    nature: str  # tig.enums.NatureMesure value: "tnr", "tig", "reparation"
    age_au_debut: int
    domicile: Point  # home commune's centroid
    debut_au_plus_tot: dt.date
    lieu_faits: Point | None = None
    communes_exclues: frozenset[str] = frozenset()  # INSEE codes
    jours_disponibles: frozenset[int] = SEMAINE
    activites_exclues: frozenset[str] = frozenset()  # activity codes


@dataclass(frozen=True, slots=True)
class PosteCandidat:
    """A post with what the matching needs of it and of its reception site."""

    id: str
    commune: str  # INSEE code of the reception site's commune
    activite: str
    lieu: Point
    places_restantes: int
    natures: frozenset[str]
    jours_ouverts: frozenset[int] = field(default=frozenset(range(5)))
    week_end: bool = False
    age_minimum: int = 16
    actif: bool = True
    perime: bool = False
    # First day a place is free (None: now).
    disponible_le: dt.date | None = None

    @property
    def jours_effectifs(self) -> frozenset[int]:
        """Open weekdays, Saturday and Sunday only when the post opens at the weekend."""
        return self.jours_ouverts if self.week_end else self.jours_ouverts - WEEK_END
