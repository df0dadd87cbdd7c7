"""Reads of cells and members, always through the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from acces.enums import Action, Role
from acces.models import AcceptationCharte
from acces.perimetre import perimetre_de
from acces.selectors import charte_courante
from cellules.models import Cellule, MembreCellule
from cellules.seances.politiques import cellules_coordonnees


def cellules_visibles(user: Any) -> QuerySet[Cellule]:
    return Cellule.objects.restrict(user, Action.LIRE)


def cellule_visible(user: Any, pk: Any) -> Cellule | None:
    return cellules_visibles(user).filter(pk=pk).first()


def cellules_gerees(user: Any) -> QuerySet[Cellule]:
    """Cells ``user`` runs as coordonnateur (and the CISPD cells if his scope covers them)."""
    perimetre = perimetre_de(user)
    if not perimetre.a_role(Role.COORDONNATEUR):
        return Cellule.objects.none()
    return Cellule.objects.restrict(user, Action.MODIFIER).filter(
        pk__in=cellules_coordonnees(perimetre)
    )


def membres(cellule: Cellule) -> QuerySet[MembreCellule]:
    return (
        MembreCellule.objects.filter(cellule=cellule)
        .select_related("utilisateur", "organisation")
        .order_by("-actif", "utilisateur__last_name", "utilisateur__first_name", "id")
    )


def ont_accepte_charte(utilisateur_ids: list[Any]) -> set[Any]:
    """Users among ``utilisateur_ids`` who accepted the charter in force (one query)."""
    courante = charte_courante()
    if courante is None:
        return set()
    return set(
        AcceptationCharte.objects.filter(
            charte=courante, utilisateur_id__in=utilisateur_ids
        ).values_list("utilisateur_id", flat=True)
    )


def membre_de(cellule: Cellule, pk: Any) -> MembreCellule | None:
    """A member of ``cellule`` only: a member of another cell answers like a missing one."""
    return MembreCellule.objects.filter(pk=pk, cellule=cellule).first()
