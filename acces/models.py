"""Identities, organisations and habilitations. ``__str__`` never shows a person's name."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from acces.enums import (
    Action,
    CategorieInformation,
    MotifExclusion,
    MotifLevee,
    PorteeExclusion,
    Role,
    TypeOrganisation,
    TypeQuartier,
)
from acces.restriction import RestrictQuerySet

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


class Ressort(models.Model):
    """A tribunal judiciaire's ressort: reference data, never typed text (issue 9, item 4)."""

    code = models.CharField("code", max_length=30, primary_key=True)
    nom = models.CharField("nom", max_length=150, unique=True)

    class Meta:
        verbose_name = "ressort judiciaire"
        verbose_name_plural = "ressorts judiciaires"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    """Territorial reference list (COG code), maintained by the technical administrator."""

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    code_postal = models.CharField("code postal", max_length=5)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    latitude = models.DecimalField("latitude", max_digits=7, decimal_places=4, null=True)
    longitude = models.DecimalField("longitude", max_digits=7, decimal_places=4, null=True)
    # The ressort of the tribunal judiciaire the commune lies in: a cell's ressort comes from it.
    ressort = models.ForeignKey(
        Ressort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name="ressort judiciaire",
    )

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code_insee})"


class Quartier(models.Model):
    """A priority neighbourhood (QPV) or a neighbourhood under watch of a commune."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="quartiers")
    nom = models.CharField("nom", max_length=100)
    type = models.CharField("type", max_length=10, choices=TypeQuartier.choices)
    code_officiel = models.CharField("code officiel", max_length=20, blank=True)

    class Meta:
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        ordering = ["commune", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "nom", "type"], name="quartier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.get_type_display()})"


class Organisation(models.Model):
    """A partner institution. Everyone sees their own; the IT administrator sees all."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nom = models.CharField("nom", max_length=200, unique=True)
    type = models.CharField("type", max_length=30, choices=TypeOrganisation.choices)
    communes = models.ManyToManyField(
        Commune, verbose_name="communes", related_name="organisations", blank=True
    )
    active = models.BooleanField("active", default=True)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"organisation {self.pk}"

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> models.Q | None:
        if perimetre.a_role(Role.ADMIN_TECHNIQUE):
            return models.Q()
        if action == Action.LIRE and perimetre.organisation_id is not None:
            return models.Q(pk=perimetre.organisation_id)
        return None


class Utilisateur(AbstractUser):  # type: ignore[django-manager-missing]
    """A professional account; never a superuser for humans."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="utilisateurs",
        null=True,
        blank=True,
        verbose_name="organisation",
    )
    compte_technique = models.BooleanField("compte technique", default=False)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            # Guardian and Django grant a superuser everything: no account may be one.
            models.CheckConstraint(
                condition=models.Q(is_superuser=False), name="aucun_superutilisateur"
            )
        ]

    def __str__(self) -> str:
        return f"utilisateur {self.pk}"


class HabilitationQuerySet(models.QuerySet["Habilitation"]):
    def en_cours(self, at: datetime | None = None) -> HabilitationQuerySet:
        """Neither revoked nor ended (approved or not)."""
        moment = at or timezone.now()
        return self.filter(revoquee_le__isnull=True).filter(
            models.Q(fin__isnull=True) | models.Q(fin__gt=moment)
        )

    def actives(self, at: datetime | None = None) -> HabilitationQuerySet:
        """In effect: started, not ended, not revoked, and approved (four eyes)."""
        moment = at or timezone.now()
        return self.en_cours(moment).filter(debut__lte=moment, approuvee_le__lte=moment)

    def en_attente(self) -> HabilitationQuerySet:
        """Waiting for the second person's approval."""
        return self.en_cours().filter(approuvee_le__isnull=True)


class Habilitation(models.Model):
    """A role held by a user over a scope, for a period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="habilitations"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    communes = models.ManyToManyField(
        Commune, verbose_name="communes", related_name="habilitations", blank=True
    )
    ressort = models.CharField("ressort", max_length=100, blank=True)
    perimetre_cispd = models.BooleanField("périmètre CISPD", default=False)
    debut = models.DateTimeField("début", default=timezone.now)
    fin = models.DateTimeField("fin", null=True, blank=True)
    revoquee_le = models.DateTimeField("révoquée le", null=True, blank=True)
    accordee_par = models.ForeignKey(
        Utilisateur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="habilitations_accordees",
        verbose_name="accordée par",
    )
    # Null until a second person approves it: an unapproved habilitation gives no role.
    approuvee_le = models.DateTimeField("approuvée le", null=True, blank=True)
    approuvee_par = models.ForeignKey(
        Utilisateur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="habilitations_approuvees",
        verbose_name="approuvée par",
    )

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        indexes = [models.Index(fields=["utilisateur", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True) | models.Q(fin__gt=models.F("debut")),
                name="habilitation_fin_apres_debut",
            ),
            # Nobody grants himself a role, nor approves a role of his own or his own grant.
            models.CheckConstraint(
                condition=models.Q(accordee_par__isnull=True)
                | ~models.Q(accordee_par=models.F("utilisateur")),
                name="habilitation_pas_auto_accordee",
            ),
            models.CheckConstraint(
                condition=models.Q(approuvee_par__isnull=True)
                | (
                    ~models.Q(approuvee_par=models.F("utilisateur"))
                    & ~models.Q(approuvee_par=models.F("accordee_par"))
                    & models.Q(approuvee_le__isnull=False)
                ),
                name="habilitation_approuvee_par_un_tiers",
            ),
        ]

    def __str__(self) -> str:
        return f"habilitation {self.role} {self.pk}"


class AutorisationCategorie(models.Model):
    """One cell of the configurable matrix: this organisation type may read this category."""

    type_organisation = models.CharField(
        "type d'organisation", max_length=30, choices=TypeOrganisation.choices
    )
    categorie = models.CharField(
        "catégorie d'information", max_length=30, choices=CategorieInformation.choices
    )

    class Meta:
        verbose_name = "autorisation de catégorie"
        verbose_name_plural = "autorisations de catégorie"
        ordering = ["type_organisation", "categorie"]
        constraints = [
            models.UniqueConstraint(
                fields=["type_organisation", "categorie"], name="autorisation_categorie_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type_organisation} lit {self.categorie}"


class Charte(models.Model):
    """A version of the charte de confidentialité; the newest one in force applies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField("version", unique=True)
    titre = models.CharField("titre", max_length=200)
    texte = models.TextField("texte")
    en_vigueur_le = models.DateTimeField("en vigueur le", default=timezone.now)

    class Meta:
        verbose_name = "charte de confidentialité"
        verbose_name_plural = "chartes de confidentialité"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"charte v{self.version}"


class AcceptationCharte(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="acceptations_charte"
    )
    charte = models.ForeignKey(Charte, on_delete=models.PROTECT, related_name="acceptations")
    acceptee_le = models.DateTimeField("acceptée le", default=timezone.now)

    class Meta:
        verbose_name = "acceptation de charte"
        verbose_name_plural = "acceptations de charte"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "charte"], name="acceptation_unique")
        ]

    def __str__(self) -> str:
        return f"acceptation {self.pk}"


class ExclusionQuerySet(models.QuerySet["Exclusion"]):
    def en_vigueur(self) -> ExclusionQuerySet:
        """Exclusions not lifted: they still refuse memberships (and grants, platform-wide)."""
        return self.filter(levee_le__isnull=True)


class Exclusion(models.Model):
    """An exclusion of a member, with immediate effect on every request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.PROTECT, related_name="exclusions"
    )
    motif = models.CharField("motif", max_length=30, choices=MotifExclusion.choices)
    # A coordinator excludes from his cells only; the platform-wide kind revokes every role.
    portee = models.CharField(
        "portée", max_length=20, choices=PorteeExclusion.choices, default=PorteeExclusion.PLATEFORME
    )
    exclu_le = models.DateTimeField("exclu le", default=timezone.now)
    par = models.ForeignKey(
        Utilisateur, on_delete=models.PROTECT, related_name="exclusions_prononcees"
    )
    # An exclusion stands until a second person lifts it (never its author nor the excluded).
    levee_le = models.DateTimeField("levée le", null=True, blank=True)
    levee_par = models.ForeignKey(
        Utilisateur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exclusions_levees",
        verbose_name="levée par",
    )
    motif_levee = models.CharField(
        "motif de la levée", max_length=30, choices=MotifLevee.choices, blank=True
    )

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        verbose_name = "exclusion"
        verbose_name_plural = "exclusions"
        constraints = [
            # Lifted means all three set, standing means none.
            models.CheckConstraint(
                condition=(
                    models.Q(levee_le__isnull=True)
                    & models.Q(levee_par__isnull=True)
                    & models.Q(motif_levee="")
                )
                | (
                    models.Q(levee_le__isnull=False)
                    & models.Q(levee_par__isnull=False)
                    & ~models.Q(motif_levee="")
                ),
                name="exclusion_levee_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(levee_par__isnull=True)
                | (
                    ~models.Q(levee_par=models.F("par"))
                    & ~models.Q(levee_par=models.F("utilisateur"))
                ),
                name="exclusion_levee_par_un_tiers",
            ),
        ]

    def __str__(self) -> str:
        return f"exclusion {self.pk}"


# Models of the sub-packages, registered with the ``acces`` app.
from acces.auth.models import *  # noqa: E402, F403
from acces.crypto.models import *  # noqa: E402, F403
