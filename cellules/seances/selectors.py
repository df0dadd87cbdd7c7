"""Reads of meetings, always through the restricted entry point."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from acces.enums import Action
from acces.perimetre import perimetre_de
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers import selectors as selecteurs_cellules
from cellules.dossiers.models import Situation
from cellules.dossiers.politiques import cellules_charte_respectee
from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Seance
from cellules.seances.politiques import cellules_coordonnees


def seances_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Seance]:
    """Meetings in scope; the agenda (case ids) of a cell whose charter in force the user has
    not accepted is left empty, as its cases are hidden."""
    points = PointOrdreDuJour.objects.filter(
        seance__cellule_id__in=cellules_charte_respectee(perimetre_de(user))
    ).order_by("rang", "id")
    return (
        Seance.objects.restrict(user, action)
        .prefetch_related(Prefetch("points", queryset=points))
        .order_by("debut", "id")
    )


def seance_visible(user: Any, pk: Any, action: Action = Action.LIRE) -> Seance | None:
    return seances_visibles(user, action).filter(pk=pk).first()


def cellule_coordonnee(user: Any, pk: Any) -> Cellule | None:
    """A cell in which ``user`` may schedule meetings."""
    return Cellule.objects.filter(pk=pk, pk__in=cellules_coordonnees(perimetre_de(user))).first()


def situation_a_inscrire(user: Any, pk: Any) -> Situation | None:
    return selecteurs_cellules.situations_visibles(user, Action.MODIFIER).filter(pk=pk).first()


def membres_de(seance: Seance, pks: list[Any]) -> list[MembreCellule]:
    return list(MembreCellule.objects.filter(cellule_id=seance.cellule_id, pk__in=pks))


def convocations_de(seance: Seance) -> list[Convocation]:
    """The convocations of a meeting already found in the caller's scope, with their member
    (staff: name and organisation) and delivery state."""
    return list(
        seance.convocations.select_related("membre__utilisateur", "membre__organisation").order_by(
            "creee_le", "id"
        )
    )


def convocation_de(seance: Seance, pk: Any) -> Convocation | None:
    return seance.convocations.filter(pk=pk).first()


def decisions_lisibles(user: Any, seance: Seance) -> list[Decision]:
    """Decisions of the meeting on the cases ``user`` may read now (the relevé is filtered too)."""
    return list(
        Decision.objects.restrict(user, Action.LIRE)
        .filter(seance=seance)
        .select_related("situation__personne")
        .order_by("prise_le", "id")
    )
