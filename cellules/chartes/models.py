"""Versioned charters of a cell and their acceptations (``cellules`` app).

Neither holds personal data: the charter text is the cell's rules, written by its coordinator.
``__str__`` shows kind and id or version only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["AcceptationCharteCellule", "CharteCellule"]

TITRE_MAX = 200
TEXTE_MAX = 20000


class CharteCellule(models.Model):
    """A version of the charte de confidentialité of one cell; the newest one in force applies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cellule = models.ForeignKey(
        "cellules.Cellule", on_delete=models.PROTECT, related_name="chartes", verbose_name="cellule"
    )
    version = models.PositiveIntegerField("version", validators=[MinValueValidator(1)])
    titre = models.CharField("titre", max_length=TITRE_MAX)
    texte = models.TextField("texte", validators=[MaxLengthValidator(TEXTE_MAX)])
    en_vigueur_le = models.DateTimeField("en vigueur le", default=timezone.now)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chartes_cellule_publiees",
        verbose_name="publiée par",
    )

    class Meta:
        verbose_name = "charte de confidentialité de cellule"
        verbose_name_plural = "chartes de confidentialité de cellule"
        ordering = ["cellule", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cellule", "version"], name="charte_cellule_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="charte_cellule_version_min"),
        ]
        indexes = [
            models.Index(fields=["cellule", "en_vigueur_le"], name="charte_cellule_vigueur"),
        ]

    def __str__(self) -> str:
        return f"charte de cellule v{self.version}"


class AcceptationCharteCellule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    charte = models.ForeignKey(
        CharteCellule,
        on_delete=models.PROTECT,
        related_name="acceptations",
        verbose_name="charte",
    )
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="acceptations_charte_cellule",
        verbose_name="utilisateur",
    )
    acceptee_le = models.DateTimeField("acceptée le", default=timezone.now)

    class Meta:
        verbose_name = "acceptation de charte de cellule"
        verbose_name_plural = "acceptations de charte de cellule"
        constraints = [
            models.UniqueConstraint(
                fields=["charte", "utilisateur"], name="acceptation_charte_cellule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"acceptation de charte de cellule {self.pk}"
