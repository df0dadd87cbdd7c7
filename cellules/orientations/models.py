"""Models of orientations and of their reference lists (``cellules`` app).

Legal references and measures are reference data (seeded by a data migration, editable by the
technical administrator): the code de procédure pénale is being renumbered. ``__str__`` shows
kind and id only; persons are referenced by key, their identity stays encrypted in ``Personne``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from acces.enums import Action
from acces.models import Organisation
from acces.restriction import RestrictQuerySet
from cellules.orientations import politiques
from cellules.orientations.enums import (
    ResultatOrientation,
    StatutOrientation,
    TypeNotification,
    TypeOrientation,
)

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["MesureOrientation", "NotificationOrientation", "Orientation", "ReferenceJuridique"]


class ReferenceJuridique(models.Model):
    """A legal basis, as data: ``code`` is a stable key, the article text may change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    article = models.CharField("article en vigueur", max_length=120)
    ancienne_reference = models.CharField("ancienne référence", max_length=120, blank=True)

    class Meta:
        verbose_name = "référence juridique"
        verbose_name_plural = "références juridiques"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"référence juridique {self.code}"


class MesureOrientation(models.Model):
    """One measure of the closed list an orientation chooses from (table ``cellules_mesure``;
    ``tig.Mesure`` is the measure a person carries out)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    types = models.JSONField("types d'orientation possibles", default=list)
    reference = models.ForeignKey(
        ReferenceJuridique,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mesures",
        verbose_name="référence juridique",
    )
    active = models.BooleanField("active", default=True)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        db_table = "cellules_mesure"
        verbose_name = "mesure"
        verbose_name_plural = "mesures"
        ordering = ["ordre", "code"]

    def __str__(self) -> str:
        return f"mesure {self.code}"


class Orientation(models.Model):
    """The response a cell decides for a case, with a responsible partner and a deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(
        "cellules.Situation",
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name="situation",
    )
    type = models.CharField("type", max_length=20, choices=TypeOrientation.choices)
    mesure = models.ForeignKey(
        MesureOrientation,
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name="mesure",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name="organisation responsable",
    )
    echeance = models.DateField("échéance", db_index=True)
    statut = models.CharField(
        "statut",
        max_length=20,
        choices=StatutOrientation.choices,
        default=StatutOrientation.A_FAIRE,
    )
    resultat = models.CharField(
        "résultat", max_length=30, choices=ResultatOrientation.choices, blank=True
    )
    seance = models.ForeignKey(
        "cellules.Seance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="séance de décision",
    )
    decidee_le = models.DateField("décidée le", default=timezone.localdate)
    cloturee_le = models.DateField("clôturée le", null=True, blank=True)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="décidée par",
    )
    version = models.PositiveIntegerField("version", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    # The person it discloses, for its access event.
    CHEMIN_PERSONNE = "situation__personne"

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["echeance", "id"]
        indexes = [models.Index(fields=["statut", "echeance"], name="orientation_statut_echeance")]

    def __str__(self) -> str:
        return f"orientation {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_orientation(perimetre, action)


class NotificationOrientation(models.Model):
    """An in-app notice of an overdue orientation: ids and a link path only, no personal data.

    One row per orientation, recipient and day at most (unique constraint): the periodic job
    can run any number of times.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField("type", max_length=30, choices=TypeNotification.choices)
    orientation = models.ForeignKey(
        Orientation,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="orientation",
    )
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications_orientation",
        verbose_name="destinataire",
    )
    jour = models.DateField("jour")
    lien = models.CharField("lien", max_length=200)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    lue_le = models.DateTimeField("lue le", null=True, blank=True)

    # The person it discloses, for its access event.
    CHEMIN_PERSONNE = "orientation__situation__personne"

    class Meta:
        verbose_name = "notification d'orientation"
        verbose_name_plural = "notifications d'orientation"
        ordering = ["-creee_le", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["orientation", "destinataire", "jour"], name="notification_par_jour"
            )
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"
