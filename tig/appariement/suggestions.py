"""The best posts for one measure, and why each other post is not eligible."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tig.appariement.couts import Detail, Poids, detail
from tig.appariement.donnees import MesureAPlacer, PosteCandidat
from tig.appariement.eligibilite import Motif, motifs

NOMBRE_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Suggestion:
    poste_id: str
    detail: Detail


@dataclass(frozen=True, slots=True)
class Refus:
    poste_id: str
    motifs: tuple[Motif, ...]


@dataclass(frozen=True, slots=True)
class Suggestions:
    """The best eligible posts, cheapest first, and the ineligible ones by post id."""

    meilleurs: tuple[Suggestion, ...]
    ineligibles: tuple[Refus, ...]
    # Eligible posts beyond the best ones.
    autres_eligibles: int


def suggerer(
    mesure: MesureAPlacer,
    postes: Iterable[PosteCandidat],
    *,
    poids: Poids | None = None,
    nombre: int = NOMBRE_SUGGESTIONS,
) -> Suggestions:
    """Rank the posts for ``mesure`` by the matching cost (ties: post id)."""
    poids = Poids() if poids is None else poids
    eligibles: list[Suggestion] = []
    refus: list[Refus] = []
    for poste in sorted(postes, key=lambda p: p.id):
        raisons = motifs(mesure, poste)
        if raisons:
            refus.append(Refus(poste.id, raisons))
        else:
            eligibles.append(Suggestion(poste.id, detail(mesure, poste, poids)))
    eligibles.sort(key=lambda s: (s.detail.cout, s.poste_id))
    return Suggestions(
        meilleurs=tuple(eligibles[:nombre]),
        ineligibles=tuple(refus),
        autres_eligibles=max(0, len(eligibles) - nombre),
    )
