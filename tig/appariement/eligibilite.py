"""Whether a post suits a measure, and if not, every reason why (a closed list)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from tig.appariement.donnees import MesureAPlacer, PosteCandidat


class Motif(enum.StrEnum):
    """Reasons why a post is not eligible for a measure, in the order they are checked."""

    INACTIF = "inactif"
    PERIME = "perime"
    CAPACITE = "capacite"
    NATURE = "nature"
    AGE = "age"
    COMMUNE_EXCLUE = "commune_exclue"
    ACTIVITE = "activite"
    HORAIRE = "horaire"

    @property
    def libelle(self) -> str:
        return LIBELLES[self]


LIBELLES: dict[Motif, str] = {
    Motif.INACTIF: "poste inactif",
    Motif.PERIME: "poste non confirmé récemment par son référent",
    Motif.CAPACITE: "plus de place disponible sur le poste",
    Motif.NATURE: "type de mesure non accepté par le poste",
    Motif.AGE: "âge minimum du poste non atteint",
    Motif.COMMUNE_EXCLUE: "commune du poste à éviter pour cette mesure",
    Motif.ACTIVITE: "activité du poste à éviter pour cette mesure",
    Motif.HORAIRE: "aucun jour d'ouverture du poste parmi les jours disponibles",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Eligible when ``motifs`` is empty."""

    motifs: tuple[Motif, ...]

    @property
    def eligible(self) -> bool:
        return not self.motifs


def jours_communs(mesure: MesureAPlacer, poste: PosteCandidat) -> frozenset[int]:
    """Weekdays when the person is available and the post open."""
    return mesure.jours_disponibles & poste.jours_effectifs


def motifs(mesure: MesureAPlacer, poste: PosteCandidat) -> tuple[Motif, ...]:
    """Every reason that makes ``poste`` ineligible for ``mesure`` (empty: eligible)."""
    raisons: list[Motif] = []
    if not poste.actif:
        raisons.append(Motif.INACTIF)
    if poste.perime:
        raisons.append(Motif.PERIME)
    if poste.places_restantes < 1:
        raisons.append(Motif.CAPACITE)
    if mesure.nature not in poste.natures:
        raisons.append(Motif.NATURE)
    if mesure.age_au_debut < poste.age_minimum:
        raisons.append(Motif.AGE)
    if poste.commune in mesure.communes_exclues:
        raisons.append(Motif.COMMUNE_EXCLUE)
    if poste.activite in mesure.activites_exclues:
        raisons.append(Motif.ACTIVITE)
    if not jours_communs(mesure, poste):
        raisons.append(Motif.HORAIRE)
    return tuple(raisons)


def evaluer(mesure: MesureAPlacer, poste: PosteCandidat) -> Verdict:
    return Verdict(motifs(mesure, poste))


def debut_au_plus_tot(mesure: MesureAPlacer, poste: PosteCandidat) -> dt.date | None:
    """First day both can start: not before either date, on a common weekday (None: never)."""
    communs = jours_communs(mesure, poste)
    if not communs:
        return None
    jour = mesure.debut_au_plus_tot
    if poste.disponible_le is not None and poste.disponible_le > jour:
        jour = poste.disponible_le
    while jour.weekday() not in communs:
        jour += dt.timedelta(days=1)
    return jour
