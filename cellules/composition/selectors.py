"""Reads of cells and members, always through the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from acces.enums import Action, Role
from acces.models import AcceptationCharte
from acces.perimetre import perimetre_de
from acces.selectors import charte_courante
from cellules.chartes import selectors as selecteurs_chartes
from cellules.composition.models import Cellule, MembreCellule
from cellules.seances.politiques import cellules_coordonnees


def cellules_visibles(user: Any) -> QuerySet[Cellule]:
    """Cells of the user's scope, each with ``charte_version`` (its own charter in force, or
    None) and ``charte_acceptee`` (by the user), computed in the same query."""
    return selecteurs_chartes.avec_charte(Cellule.objects.restrict(user, Action.LIRE), user.pk)


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


def ont_accepte_charte(cellule_id: Any, utilisateur_ids: list[Any]) -> set[Any]:
    """Users among ``utilisateur_ids`` who accepted the platform's charter in force and the
    cell's own charter in force, if the cell has one (three queries at most)."""
    courante = charte_courante()
    if courante is None:
        return set()
    globale = set(
        AcceptationCharte.objects.filter(
            charte=courante, utilisateur_id__in=utilisateur_ids
        ).values_list("utilisateur_id", flat=True)
    )
    if not globale:
        return set()
    return globale & selecteurs_chartes.ont_accepte(cellule_id, list(globale))


def membre_de(cellule: Cellule, pk: Any) -> MembreCellule | None:
    """A member of ``cellule`` only: a member of another cell answers like a missing one."""
    return MembreCellule.objects.filter(pk=pk, cellule=cellule).first()


def communes_des_ressorts(ressorts: Iterable[Any]) -> QuerySet[Cellule, dict[str, Any]]:
    """Communes of the communal cells of ``ressorts`` (a subquery of ``commune_id`` values)."""
    return Cellule.objects.filter(ressort__in=ressorts, commune__isnull=False).values("commune_id")
