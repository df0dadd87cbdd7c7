"""Models of the mayor's registers: rappels à l'ordre and transactions (``cellules`` app).

``__str__`` shows kind and id only; persons are referenced by key, their identity stays
encrypted in ``Personne``. Legal references are data (``ReferenceJuridique``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from acces.enums import Action
from acces.models import Commune
from acces.restriction import RestrictQuerySet
from cellules.orientations.models import ReferenceJuridique
from cellules.registres import politiques
from cellules.registres.enums import (
    Accompagnant,
    AutoriteHomologation,
    ContraventionTransaction,
    MotifSansAccompagnant,
    NatureTransaction,
    QualiteAuteur,
    StatutTransaction,
)

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["RappelOrdre", "TransactionMunicipale"]


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
    # Bumped by each correction (ETag, If-Match).
    version = models.PositiveIntegerField("version", default=1)

    objects = RestrictQuerySet.as_manager()

    # Its name in the access log since the register opened (noyau.vues.type_de).
    TYPE_JOURNAL = "cellules.rappel_ordre"

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

    # Its name in the access log since the register opened (noyau.vues.type_de).
    TYPE_JOURNAL = "cellules.transaction"

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
