"""Persons and cases (situations), with their per-object grants.

``__str__`` shows kind and id only. Identity and free text are ``ChampChiffre`` columns: read and
write them through ``acces.crypto.champs.chiffrer`` / ``dechiffrer`` (services and serializers).
The access rule of a case is held in clear, indexed columns (commune, ressort, cellule) and applied
in SQL by ``Situation.politique``; guardian grants (direct foreign keys) carry the exceptions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from acces.crypto.champs import ChampChiffre, dechiffrer
from acces.crypto.models import CleDonnees
from acces.enums import Action
from acces.models import Commune
from acces.restriction import RestrictQuerySet
from cellules.composition.models import Cellule
from cellules.dossiers import ages
from cellules.dossiers.enums import (
    STATUTS_OUVERTS,
    MotifCloture,
    SourceSignalement,
    StatutSituation,
)
from cellules.dossiers.politiques import politique_personne, politique_situation

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["TEXTES_LIBRES", "AccesSituation", "Personne", "Situation"]

# Free-text columns and their maximum length (checklist E1: short, encrypted, flagged).
TEXTES_LIBRES: dict[str, int] = {"cellules.situation.observation": 500}


class Personne(models.Model):
    """A person followed by a cell; identity encrypted under the person's own data key.

    ``index_identite`` is a keyed blind index of name + first name + birth date, for exact
    search; it is never returned or logged.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cle = models.ForeignKey(
        CleDonnees, on_delete=models.PROTECT, related_name="+", verbose_name="clé de données"
    )
    nom = ChampChiffre("nom")
    prenom = ChampChiffre("prénom")
    date_naissance = ChampChiffre("date de naissance", nature=ChampChiffre.DATE)
    adresse = ChampChiffre("adresse")
    commune_residence = ChampChiffre("commune de résidence")
    index_identite = models.BinaryField("index d'identité", max_length=32, editable=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    # Compare-and-swap of identity rectifications (``If-Match``).
    version = models.PositiveIntegerField("version", default=1)

    objects = RestrictQuerySet.as_manager()

    # A person discloses herself (access log).
    CHEMIN_PERSONNE = "pk"

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["creee_le", "id"]
        indexes = [models.Index(fields=["index_identite"], name="personne_index_identite")]

    def __str__(self) -> str:
        return f"personne {self.pk}"

    # Identity fields a rectification is changing (set by the service, read by the change log).
    rectifies: tuple[str, ...] = ()

    def get_additional_data(self) -> dict[str, Any] | None:
        """What the change-log entry of a save adds: the rectified identity fields, masked
        (the encrypted columns themselves are excluded from the change log)."""
        from audit.changements import MASQUE

        if not self.rectifies:
            return None
        return {"rectification": {champ: [MASQUE, MASQUE] for champ in self.rectifies}}

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politique_personne(perimetre, action)

    def naissance(self) -> dt.date:
        valeur = dechiffrer(self, "date_naissance")
        assert isinstance(valeur, dt.date)
        return valeur

    def age_au(self, jour: dt.date) -> int:
        """Age in whole years on ``jour`` (decrypts the birth date)."""
        return ages.age_au(self.naissance(), jour)

    def mineur_au(self, jour: dt.date) -> bool:
        return ages.mineur_au(self.naissance(), jour)


class Situation(models.Model):
    """A case: one person followed by one cell. Scope columns are copied at creation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    personne = models.ForeignKey(
        Personne, on_delete=models.PROTECT, related_name="situations", verbose_name="personne"
    )
    cellule = models.ForeignKey(
        Cellule, on_delete=models.PROTECT, related_name="situations", verbose_name="cellule"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="situations", verbose_name="commune"
    )
    ressort = models.CharField("ressort judiciaire", max_length=100)
    # Same data key as the person: shredding the person makes the observation unreadable too.
    cle = models.ForeignKey(
        CleDonnees, on_delete=models.PROTECT, related_name="+", verbose_name="clé de données"
    )
    statut = models.CharField(
        "statut", max_length=30, choices=StatutSituation.choices, default=StatutSituation.SIGNALEE
    )
    source_signalement = models.CharField(
        "source du signalement", max_length=30, choices=SourceSignalement.choices
    )
    profils = models.JSONField("profils", default=list, blank=True)
    observation = ChampChiffre(
        "observation",
        null=True,
        help_text="texte libre court (500 caractères au plus), chiffré, à éviter",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="situations_referent",
        verbose_name="référent",
    )
    signalee_le = models.DateField("signalée le", default=dt.date.today)
    cloturee_le = models.DateField("clôturée le", null=True, blank=True)
    motif_cloture = models.CharField(
        "motif de clôture", max_length=30, choices=MotifCloture.choices, blank=True
    )
    archivee_le = models.DateField("archivée le", null=True, blank=True)
    version = models.PositiveIntegerField("version", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "situation"
        verbose_name_plural = "situations"
        ordering = ["-creee_le", "id"]
        indexes = [
            models.Index(fields=["commune", "statut"], name="situation_commune_statut"),
            models.Index(fields=["ressort", "statut"], name="situation_ressort_statut"),
            models.Index(fields=["-creee_le", "id"], name="situation_ordre"),
        ]
        constraints = [
            # One open case per person and cell (the services answer 409 first).
            models.UniqueConstraint(
                fields=["personne", "cellule"],
                condition=Q(statut__in=sorted(STATUTS_OUVERTS)),
                name="situation_ouverte_unique",
            )
        ]
        permissions = [
            (
                "lire_situation_seance",
                "lire une situation inscrite à l'ordre du jour d'une séance",
            )
        ]

    def __str__(self) -> str:
        return f"situation {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politique_situation(perimetre, action)


class AccesSituation(UserObjectPermissionBase):
    """An explicit, possibly time-limited grant of one case to one user (guardian, direct FK).

    Only ``Situation.politique`` reads these rows, with the expiry applied; guardian's own
    ``has_perm`` / ``get_objects_for_user`` know nothing of ``expire_le`` and are not used.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_object = models.ForeignKey(
        Situation, on_delete=models.PROTECT, related_name="acces", verbose_name="situation"
    )
    expire_le = models.DateTimeField("expire le", null=True, blank=True)
    # Set for the grants of a meeting's agenda (permission ``lire_situation_seance``), which
    # hold only while the user is an active member of the meeting's cell; None for a grant
    # given by hand (``view_situation``), which meeting changes never touch.
    seance = models.ForeignKey(
        "cellules.Seance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="acces",
        verbose_name="séance d'origine",
    )
    accorde_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="accordé par",
    )
    accorde_le = models.DateTimeField("accordé le", default=timezone.now)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "accès explicite à une situation"
        verbose_name_plural = "accès explicites aux situations"
        indexes = [models.Index(fields=["user", "expire_le"], name="acces_situation_actif")]

    def __str__(self) -> str:
        return f"accès à une situation {self.pk}"
