"""Models of orientations, the rappel à l'ordre register and transactions (``cellules`` app).

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
from acces.models import Commune, Organisation
from acces.restriction import RestrictQuerySet
from cellules.orientations import politiques
from cellules.orientations.enums import (
    Accompagnant,
    AutoriteHomologation,
    ContraventionTransaction,
    MotifSansAccompagnant,
    NatureTransaction,
    QualiteAuteur,
    ResultatOrientation,
    StatutOrientation,
    StatutTransaction,
    TypeNotification,
    TypeOrientation,
)

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = [
    "Mesure",
    "NotificationOrientation",
    "Orientation",
    "RappelOrdre",
    "ReferenceJuridique",
    "TransactionMunicipale",
]


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


class Mesure(models.Model):
    """One measure of the closed list an orientation chooses from."""

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
        Mesure, on_delete=models.PROTECT, related_name="orientations", verbose_name="mesure"
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


class RappelOrdre(models.Model):
    """An entry of a commune's rappel à l'ordre register (art. L132-7 CSI, as data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="rappels_ordre", verbose_name="commune"
    )
    date = models.DateField("date du rappel")
    qualite_auteur = models.CharField(
        "qualité de l'auteur", max_length=30, choices=QualiteAuteur.choices
    )
    reference_delegation = models.CharField(
        "référence de l'arrêté de délégation", max_length=100, blank=True
    )
    personne = models.ForeignKey(
        "cellules.Personne",
        on_delete=models.PROTECT,
        related_name="rappels_ordre",
        verbose_name="personne",
    )
    faits = models.JSONField("faits", default=list)
    mineur = models.BooleanField("mineur à la date du rappel")
    accompagnant = models.CharField(
        "accompagnant", max_length=30, choices=Accompagnant.choices, blank=True
    )
    motif_sans_accompagnant = models.CharField(
        "motif d'absence d'accompagnant",
        max_length=30,
        choices=MotifSansAccompagnant.choices,
        blank=True,
    )
    transmis_au_parquet_le = models.DateField("transmis au parquet le", null=True, blank=True)
    reference_convention = models.CharField(
        "référence de la convention avec le parquet", max_length=100, blank=True
    )
    reference = models.ForeignKey(
        ReferenceJuridique,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="référence juridique",
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisi par",
    )
    creee_le = models.DateTimeField("saisi le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "rappel à l'ordre"
        verbose_name_plural = "rappels à l'ordre"
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["commune", "date"], name="rappel_commune_date")]

    def __str__(self) -> str:
        return f"rappel à l'ordre {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_registre(perimetre, action)


class TransactionMunicipale(models.Model):
    """A transaction proposed by the mayor (art. 44-1 CPP, as data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="transactions", verbose_name="commune"
    )
    personne = models.ForeignKey(
        "cellules.Personne",
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name="personne",
    )
    contravention = models.CharField(
        "contravention", max_length=30, choices=ContraventionTransaction.choices
    )
    date_constat = models.DateField("date du constat")
    date_proposition = models.DateField("date de la proposition")
    nature = models.CharField("nature", max_length=30, choices=NatureTransaction.choices)
    montant = models.DecimalField(
        "montant de la réparation (euros)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    heures = models.PositiveSmallIntegerField("heures de travail", null=True, blank=True)
    statut = models.CharField(
        "statut",
        max_length=20,
        choices=StatutTransaction.choices,
        default=StatutTransaction.PROPOSEE,
    )
    autorite_homologation = models.CharField(
        "autorité d'homologation", max_length=30, choices=AutoriteHomologation.choices, blank=True
    )
    decision_le = models.DateField("décision d'homologation le", null=True, blank=True)
    reference = models.ForeignKey(
        ReferenceJuridique,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="référence juridique",
    )
    proposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisie par",
    )
    version = models.PositiveIntegerField("version", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "transaction municipale"
        verbose_name_plural = "transactions municipales"
        ordering = ["-date_proposition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(nature="reparation") & Q(montant__gt=0) & Q(heures__isnull=True))
                | (Q(nature="travail_non_remunere") & Q(heures__gt=0) & Q(montant__isnull=True)),
                name="transaction_nature_coherente",
            )
        ]

    def __str__(self) -> str:
        return f"transaction {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_registre(perimetre, action)
