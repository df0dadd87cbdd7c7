"""Reads of the cells' charters: the version in force and who accepted it (no personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cellules.chartes.models import AcceptationCharteCellule, CharteCellule


def chartes_en_vigueur() -> QuerySet[CharteCellule]:
    """The charter in force of each cell that has one: the highest version already in force."""
    maintenant = timezone.now()
    plus_recente = CharteCellule.objects.filter(
        cellule_id=OuterRef("cellule_id"),
        en_vigueur_le__lte=maintenant,
        version__gt=OuterRef("version"),
    )
    return CharteCellule.objects.filter(en_vigueur_le__lte=maintenant).filter(~Exists(plus_recente))


def charte_en_vigueur(cellule_id: Any) -> CharteCellule | None:
    return chartes_en_vigueur().filter(cellule_id=cellule_id).first()


def charte_de(cellule_id: Any, pk: Any) -> CharteCellule | None:
    """A version of the charter of ``cellule_id`` only (in force or not)."""
    return CharteCellule.objects.filter(pk=pk, cellule_id=cellule_id).first()


def est_acceptee(charte: CharteCellule, utilisateur_id: Any) -> bool:
    return AcceptationCharteCellule.objects.filter(
        charte=charte, utilisateur_id=utilisateur_id
    ).exists()


def ont_accepte(cellule_id: Any, utilisateur_ids: list[Any]) -> set[Any]:
    """Users among ``utilisateur_ids`` free to read the cell's cases as far as its own charter
    goes: all of them when no charter is in force, else those who accepted it (two queries)."""
    charte = charte_en_vigueur(cellule_id)
    if charte is None:
        return set(utilisateur_ids)
    return set(
        AcceptationCharteCellule.objects.filter(
            charte=charte, utilisateur_id__in=utilisateur_ids
        ).values_list("utilisateur_id", flat=True)
    )


def etats_pour(utilisateur_id: Any, cellule_ids: list[Any]) -> dict[Any, tuple[int, bool]]:
    """For each cell of ``cellule_ids`` with a charter in force: (version, accepted by the user).

    One query for a whole page of cells.
    """
    acceptee = AcceptationCharteCellule.objects.filter(
        charte_id=OuterRef("pk"), utilisateur_id=utilisateur_id
    )
    lignes = (
        chartes_en_vigueur()
        .filter(cellule_id__in=cellule_ids)
        .annotate(acceptee=Exists(acceptee))
        .values_list("cellule_id", "version", "acceptee")
    )
    return {cellule_id: (version, bool(ok)) for cellule_id, version, ok in lignes}


def avec_charte(cellules: QuerySet[Any], utilisateur_id: Any) -> QuerySet[Any]:
    """Annotate cells with ``charte_version`` (version in force, or None) and
    ``charte_acceptee`` (True when none is in force or the user accepted it): no extra query."""
    version = (
        CharteCellule.objects.filter(cellule_id=OuterRef("pk"), en_vigueur_le__lte=timezone.now())
        .order_by("-version")
        .values("version")[:1]
    )
    acceptee = AcceptationCharteCellule.objects.filter(
        utilisateur_id=utilisateur_id,
        charte__cellule_id=OuterRef("pk"),
        charte__version=OuterRef("charte_version"),
    )
    return cellules.annotate(charte_version=Subquery(version)).annotate(
        charte_acceptee=Q(charte_version__isnull=True) | Exists(acceptee)
    )
