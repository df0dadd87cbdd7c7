"""Models of meetings, agendas, convocations and decisions (``cellules`` app).

``__str__`` shows kind and id only. A meeting holds no personal data but its place (short free
text, never sent by e-mail); the only free text about a case is the encrypted decision note.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from acces.crypto.champs import ChampChiffre
from acces.crypto.models import CleDonnees
from acces.enums import Action
from acces.models import Organisation
from acces.restriction import RestrictQuerySet
from cellules.seances.enums import (
    EtatEnvoi,
    MotifEchecEnvoi,
    MotifInscription,
    NatureEnvoi,
    StatutSeance,
    TypeDecision,
    TypeLieu,
)
from cellules.seances.politiques import politique_decision, politique_seance

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["Convocation", "Decision", "PointOrdreDuJour", "Presence", "Seance"]

LIEU_MAX = 30  # length of a TypeLieu code
NOTE_MAX = 300


class Seance(models.Model):
    """A meeting of one cell. ``sequence`` is the iCalendar SEQUENCE, bumped on each change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cellule = models.ForeignKey(
        "cellules.Cellule", on_delete=models.PROTECT, related_name="seances", verbose_name="cellule"
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField("lieu", max_length=LIEU_MAX, choices=TypeLieu.choices, blank=True)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutSeance.choices, default=StatutSeance.PLANIFIEE
    )
    sequence = models.PositiveIntegerField("séquence iCalendar", default=0)
    version = models.PositiveIntegerField("version", default=1)
    rappel_programme_le = models.DateTimeField("rappel programmé le", null=True, blank=True)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["debut", "id"]
        indexes = [models.Index(fields=["cellule", "debut"], name="seance_cellule_debut")]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="seance_fin_apres_debut")
        ]

    def __str__(self) -> str:
        return f"séance {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politique_seance(perimetre, action)


class PointOrdreDuJour(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="points", verbose_name="séance"
    )
    situation = models.ForeignKey(
        "cellules.Situation", on_delete=models.PROTECT, related_name="+", verbose_name="situation"
    )
    rang = models.PositiveIntegerField("rang")
    motif = models.CharField("motif", max_length=40, choices=MotifInscription.choices)
    ajoute_le = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["seance", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "situation"], name="point_unique"),
            models.UniqueConstraint(fields=["seance", "rang"], name="point_rang_unique"),
        ]

    def __str__(self) -> str:
        return f"point de l'ordre du jour {self.pk}"


class Convocation(models.Model):
    """One member convened to one meeting; ``valide`` turns false when it is withdrawn.

    The ``*_envoi`` fields hold the delivery of the last e-mail announced to the member
    (convocation, reminder, rescheduling or cancellation), written by ``envois``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="convocations", verbose_name="séance"
    )
    membre = models.ForeignKey(
        "cellules.MembreCellule",
        on_delete=models.PROTECT,
        related_name="convocations",
        verbose_name="membre",
    )
    valide = models.BooleanField("valide", default=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    # Delivery of the last e-mail announced to the member (blank: none recorded yet).
    nature_envoi = models.CharField(
        "nature du dernier envoi", max_length=20, choices=NatureEnvoi.choices, blank=True
    )
    etat_envoi = models.CharField(
        "état du dernier envoi", max_length=20, choices=EtatEnvoi.choices, blank=True
    )
    motif_echec = models.CharField(
        "motif de l'échec", max_length=30, choices=MotifEchecEnvoi.choices, blank=True
    )
    etat_envoi_le = models.DateTimeField("état de l'envoi au", null=True, blank=True)

    class Meta:
        verbose_name = "convocation"
        verbose_name_plural = "convocations"
        constraints = [
            models.UniqueConstraint(fields=["seance", "membre"], name="convocation_unique")
        ]

    def __str__(self) -> str:
        return f"convocation {self.pk}"


class Presence(models.Model):
    """Attendance by institution, not by person: present, excused (absent with notice) or
    absent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="presences", verbose_name="séance"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisation"
    )
    present = models.BooleanField("présente")
    excusee = models.BooleanField("excusée", default=False)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(fields=["seance", "organisation"], name="presence_unique"),
            models.CheckConstraint(
                condition=~Q(present=True, excusee=True), name="presence_excusee_absente"
            ),
        ]

    def __str__(self) -> str:
        return f"présence {self.pk}"


class Decision(models.Model):
    """A decision taken on one case; the note is short, encrypted under the case's data key.

    Who does what by when: a decision names its responsible organisation (a partner of the
    cell) and its deadline, or is an orientation (``orientation``), whose organisation,
    deadline and closure are then the decision's. ``realisee_le`` marks it done.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(
        Seance, on_delete=models.PROTECT, related_name="decisions", verbose_name="séance"
    )
    situation = models.ForeignKey(
        "cellules.Situation",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="situation",
    )
    cle = models.ForeignKey(
        CleDonnees, on_delete=models.PROTECT, related_name="+", verbose_name="clé de données"
    )
    type = models.CharField("type de décision", max_length=30, choices=TypeDecision.choices)
    note = ChampChiffre(
        "note",
        null=True,
        help_text="texte libre court (300 caractères au plus), chiffré, à éviter",
    )
    prise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrée par",
    )
    prise_le = models.DateTimeField("enregistrée le", default=timezone.now)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation responsable",
    )
    echeance = models.DateField("échéance", null=True, blank=True)
    orientation = models.ForeignKey(
        "cellules.Orientation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="orientation décidée",
    )
    realisee_le = models.DateTimeField("réalisée le", null=True, blank=True)
    realisee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réalisation enregistrée par",
    )

    objects = RestrictQuerySet.as_manager()

    # The person a decision discloses, for its access event.
    CHEMIN_PERSONNE = "situation__personne"

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["prise_le", "id"]
        indexes = [models.Index(fields=["echeance"], name="decision_echeance")]
        constraints = [
            # An orientation carries its own owner and deadline; any other decision names both
            # (the service requires them; decisions recorded before they existed have neither).
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, echeance__isnull=True)
                | Q(orientation__isnull=True, organisation__isnull=False, echeance__isnull=False),
                name="decision_responsable_echeance",
            )
        ]

    def __str__(self) -> str:
        return f"décision {self.pk}"

    @property
    def responsable_id(self) -> uuid.UUID | None:
        if self.orientation_id is not None:
            return self.orientation.organisation_id  # type: ignore[union-attr]
        return self.organisation_id

    @property
    def echeance_effective(self) -> dt.date | None:
        if self.orientation_id is not None:
            return self.orientation.echeance  # type: ignore[union-attr]
        return self.echeance

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politique_decision(perimetre, action)
