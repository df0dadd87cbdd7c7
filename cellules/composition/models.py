"""Cells, their members and the cells an exclusion applies to (``cellules`` app).

``__str__`` shows kind and id only. Members are staff, not case subjects.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from acces.enums import Action
from acces.models import Commune, Exclusion, Organisation, Ressort
from acces.restriction import RestrictQuerySet
from cellules.composition.enums import TypeCellule
from cellules.composition.politiques import politique_cellule

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["Cellule", "ExclusionCellule", "MembreCellule"]


class Cellule(models.Model):
    """A cell of a CLSPD (one commune) or of the CISPD."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nom = models.CharField("nom", max_length=150)
    type = models.CharField("type", max_length=30, choices=TypeCellule.choices)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cellules",
        verbose_name="commune (CLSPD)",
    )
    cispd = models.BooleanField("cellule du CISPD", default=False)
    # From the reference data: the commune's ressort (a CISPD cell: its member communes').
    ressort = models.ForeignKey(
        Ressort,
        on_delete=models.PROTECT,
        db_column="ressort",
        related_name="cellules",
        verbose_name="ressort judiciaire",
    )
    # A CISPD cell's cases carry one of these communes (issue 9, item 3).
    communes_membres = models.ManyToManyField(
        Commune,
        related_name="cellules_cispd",
        blank=True,
        verbose_name="communes membres (CISPD)",
    )
    reference_reglement_interieur = models.CharField(
        "référence du règlement intérieur", max_length=200, blank=True
    )
    coordonnateurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cellules_coordonnees",
        blank=True,
        verbose_name="coordonnateurs",
    )
    active = models.BooleanField("active", default=True)
    version = models.PositiveIntegerField("version", default=1)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "cellule"
        verbose_name_plural = "cellules"
        ordering = ["nom", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cispd=True) & Q(commune__isnull=True))
                | (Q(cispd=False) & Q(commune__isnull=False)),
                name="cellule_clspd_ou_cispd",
            )
        ]

    def __str__(self) -> str:
        return f"cellule {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politique_cellule(perimetre, action)


class MembreCellule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cellule = models.ForeignKey(
        Cellule, on_delete=models.CASCADE, related_name="membres", verbose_name="cellule"
    )
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name="utilisateur",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisation"
    )
    fonction = models.CharField("fonction", max_length=100)
    actif = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "membre de cellule"
        verbose_name_plural = "membres de cellule"
        constraints = [
            models.UniqueConstraint(fields=["cellule", "utilisateur"], name="membre_unique")
        ]

    def __str__(self) -> str:
        return f"membre de cellule {self.pk}"


class ExclusionCellule(models.Model):
    """A cell an exclusion pronounced by its coordinator applies to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exclusion = models.ForeignKey(
        Exclusion, on_delete=models.PROTECT, related_name="cellules", verbose_name="exclusion"
    )
    cellule = models.ForeignKey(
        Cellule, on_delete=models.PROTECT, related_name="exclusions", verbose_name="cellule"
    )

    class Meta:
        verbose_name = "cellule d'une exclusion"
        verbose_name_plural = "cellules d'une exclusion"
        constraints = [
            models.UniqueConstraint(
                fields=["exclusion", "cellule"], name="exclusion_cellule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"cellule d'exclusion {self.pk}"
