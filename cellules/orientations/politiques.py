"""Who may reach orientations (SQL conditions): they follow their case (``politique_situation``),
and the responsible organisation's members follow the ones entrusted to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role
from cellules.dossiers.politiques import (
    STATUTS_HORS_LECTURE,
    cellules_charte_respectee,
    lit_en_membre,
    politique_situation,
)

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _situations(p: Perimetre, action: Action) -> Any:
    from cellules.dossiers.models import Situation

    condition = politique_situation(p, action)
    if condition is None:
        return None
    return Situation.objects.filter(condition).values("pk")


def orientations_confiees(p: Perimetre) -> Q | None:
    """Orientations entrusted to the user's organisation, on the cases of the cells where he
    sits as an active member for that organisation (active too), with a role that reads as a
    member, once the cell's charter (if any) is accepted; archived and purged cases excluded.

    Their members read them and record their progress and outcome (``orientation_suivre``),
    not the case itself: the person's file stays behind the meeting's window.
    """
    if p.utilisateur_id is None or p.organisation_id is None or not lit_en_membre(p):
        return None
    from cellules.composition.models import MembreCellule
    from cellules.dossiers.models import Situation

    uid: Any = p.utilisateur_id
    cellules = MembreCellule.objects.filter(
        utilisateur_id=uid,
        actif=True,
        organisation_id=p.organisation_id,
        organisation__active=True,
    ).values("cellule_id")
    situations = (
        Situation.objects.filter(cellule_id__in=cellules)
        .filter(cellule_id__in=cellules_charte_respectee(p))
        .exclude(statut__in=STATUTS_HORS_LECTURE)
        .values("pk")
    )
    return Q(organisation_id=p.organisation_id, situation_id__in=situations)


def politique_orientation(p: Perimetre, action: Action) -> Q | None:
    """Lire: whoever reads the case, and the members of the responsible organisation
    (``orientations_confiees``). Modifier: whoever may write the case (coordonnateur of the
    cell, délégué du procureur of the ressort); judicial ones are checked in the service. The
    progress and outcome recorded by the responsible organisation are checked in the service
    too (``orientation_suivre``)."""
    if action not in (Action.LIRE, Action.MODIFIER):
        return None
    situations = _situations(p, action)
    conditions = [] if situations is None else [Q(situation_id__in=situations)]
    if action == Action.LIRE:
        confiees = orientations_confiees(p)
        if confiees is not None:
            conditions.append(confiees)
    if not conditions:
        return None
    resultat = conditions[0]
    for condition in conditions[1:]:
        resultat |= condition
    return resultat


def peut_orienter_judiciaire(p: Perimetre) -> bool:
    """Judicial orientations are recorded by the délégué du procureur only."""
    return p.a_role(Role.DELEGUE_PROCUREUR)
