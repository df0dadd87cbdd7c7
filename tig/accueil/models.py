"""Reception sites (``StructureAccueil``), their posts (``Poste``) and the activity list.

No personal data of a followed person here: a site's contact is its tranquillité publique
department (a staff contact), and its référents are accounts. ``__str__`` shows kind and id only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from acces.enums import Action
from acces.models import Commune
from acces.restriction import RestrictQuerySet
from tig.accueil import politiques
from tig.accueil.enums import HABILITEES_DE_DROIT, WEEK_END, DemiJournee, Jour, TypeStructure
from tig.enums import NatureMesure

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["Activite", "Poste", "StructureAccueil"]

# Metropolitan France (Corsica included), in decimal degrees.
LATITUDE_MIN, LATITUDE_MAX = Decimal("41.3"), Decimal("51.1")
LONGITUDE_MIN, LONGITUDE_MAX = Decimal("-5.2"), Decimal("9.6")
AGE_MINIMUM_LEGAL, AGE_MINIMUM_MAX = 16, 18


def _latitude(verbose: str) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        verbose,
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(LATITUDE_MIN, "Latitude hors de la France métropolitaine."),
            MaxValueValidator(LATITUDE_MAX, "Latitude hors de la France métropolitaine."),
        ],
    )


def _longitude(verbose: str) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        verbose,
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(LONGITUDE_MIN, "Longitude hors de la France métropolitaine."),
            MaxValueValidator(LONGITUDE_MAX, "Longitude hors de la France métropolitaine."),
        ],
    )


def valider_creneaux(valeur: Any) -> None:
    """A weekly schedule: ``{"lundi": ["matin", "apres_midi"], ...}``, known days and
    half-days only, each half-day once, at least one slot."""
    if not isinstance(valeur, dict) or not valeur:
        raise ValidationError("Au moins un jour, sous la forme {jour: [demi-journées]}.")
    for jour, demi in valeur.items():
        if jour not in Jour.values:
            raise ValidationError("Jour inconnu ; jours permis : " + ", ".join(Jour.values) + ".")
        if (
            not isinstance(demi, list)
            or not demi
            or len(set(demi)) != len(demi)
            or any(d not in DemiJournee.values for d in demi)
        ):
            raise ValidationError(
                "Demi-journées d'un jour : une liste non vide, sans doublon, parmi "
                + ", ".join(DemiJournee.values)
                + "."
            )


def valider_natures(valeur: Any) -> None:
    if (
        not isinstance(valeur, list)
        or not valeur
        or len(set(valeur)) != len(valeur)
        or any(n not in NatureMesure.values for n in valeur)
    ):
        raise ValidationError(
            "Une liste non vide, sans doublon, parmi " + ", ".join(NatureMesure.values) + "."
        )


class Activite(models.Model):
    """An activity a post offers: a reference table (data migration), not free text."""

    code = models.SlugField("code", max_length=40, primary_key=True)
    libelle = models.CharField("libellé", max_length=100, unique=True)
    active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "activité"
        verbose_name_plural = "activités"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class StructureAccueil(models.Model):
    """A reception site: a commune, a public body, a bailleur, the transport operator…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nom = models.CharField("nom", max_length=150)
    type = models.CharField("type", max_length=30, choices=TypeStructure.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures_accueil"
    )
    adresse = models.CharField("adresse", max_length=200)
    latitude = _latitude("latitude")
    longitude = _longitude("longitude")
    # TIG habilitation (public bodies are habilitated by right: these stay empty).
    habilitation_par = models.CharField(
        "habilitée par",
        max_length=150,
        blank=True,
        help_text="autorité qui a habilité la structure",
    )
    habilitation_le = models.DateField("date de la décision d'habilitation", null=True, blank=True)
    habilitation_jusqu_au = models.DateField("habilitée jusqu'au", null=True, blank=True)
    # The site's tranquillité publique department: a staff contact, never a case's data.
    contact_service = models.CharField("service à contacter", max_length=150)
    contact_courriel = models.EmailField("courriel du service", max_length=200)
    contact_telephone = models.CharField("téléphone du service", max_length=20)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="structures_referent",
        blank=True,
        verbose_name="référents",
        help_text="comptes au rôle référent de structure d'accueil, rattachés à ce site",
    )
    active = models.BooleanField("active", default=True)
    version = models.PositiveIntegerField("version", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "structure d'accueil"
        verbose_name_plural = "structures d'accueil"
        ordering = ["nom", "id"]

    def __str__(self) -> str:
        return f"structure d'accueil {self.pk}"

    @property
    def habilitee_de_droit(self) -> bool:
        return self.type in HABILITEES_DE_DROIT

    def habilitee_au(self, jour: dt.date | None = None) -> bool:
        """Habilitated for TIG on ``jour`` (today by default)."""
        if self.habilitee_de_droit:
            return True
        jour = jour or timezone.localdate()
        if self.habilitation_le is None or self.habilitation_le > jour:
            return False
        return self.habilitation_jusqu_au is None or self.habilitation_jusqu_au >= jour

    def clean(self) -> None:
        super().clean()
        erreurs: dict[str, str] = {}
        if self.habilitee_de_droit:
            if self.habilitation_par or self.habilitation_le or self.habilitation_jusqu_au:
                erreurs["habilitation_par"] = (
                    "Une commune ou un établissement public est habilité de droit : pas de "
                    "décision d'habilitation."
                )
        elif self.habilitation_le is not None and not self.habilitation_par:
            erreurs["habilitation_par"] = "Précisez l'autorité qui a habilité la structure."
        elif self.habilitation_le is None and (self.habilitation_par or self.habilitation_jusqu_au):
            erreurs["habilitation_le"] = "Précisez la date de la décision d'habilitation."
        if (
            self.habilitation_le is not None
            and self.habilitation_jusqu_au is not None
            and self.habilitation_jusqu_au < self.habilitation_le
        ):
            erreurs["habilitation_jusqu_au"] = "La fin précède la décision d'habilitation."
        if erreurs:
            raise ValidationError(erreurs)

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_structure(perimetre, action)


class PosteQuerySet(RestrictQuerySet):
    def eligibles(self, jour: dt.date | None = None) -> Self:
        """Posts the matching may use: active, on an active site, confirmed within
        ``TIG_POSTE_PERIME_JOURS`` days."""
        return self.filter(actif=True, structure__active=True, confirme_le__gte=limite_perime(jour))


def limite_perime(jour: dt.date | None = None) -> dt.date:
    """Oldest confirmation date of a post that is not stale on ``jour``."""
    jour = jour or timezone.localdate()
    return jour - dt.timedelta(days=int(settings.TIG_POSTE_PERIME_JOURS))


class Poste(models.Model):
    """A post at a reception site: activity, place, capacity, weekly schedule."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    structure = models.ForeignKey(StructureAccueil, on_delete=models.PROTECT, related_name="postes")
    activite = models.ForeignKey(Activite, on_delete=models.PROTECT, related_name="postes")
    # Where the post is: a métropole-wide body has posts in other communes than its own.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="postes_tig",
        verbose_name="commune du poste",
        help_text="commune où se trouve le poste (par défaut celle de la structure)",
    )
    lieu = models.CharField("lieu", max_length=200)
    latitude = _latitude("latitude")
    longitude = _longitude("longitude")
    capacite = models.PositiveSmallIntegerField(
        "capacité", validators=[MinValueValidator(1)], help_text="personnes accueillies à la fois"
    )
    creneaux = models.JSONField(
        "créneaux",
        validators=[valider_creneaux],
        help_text='demi-journées ouvertes par jour, ex. {"lundi": ["matin", "apres_midi"]}',
    )
    ouvert_week_end = models.BooleanField("ouvert le week-end", default=False)
    age_minimum = models.PositiveSmallIntegerField(
        "âge minimum",
        default=AGE_MINIMUM_LEGAL,
        validators=[MinValueValidator(AGE_MINIMUM_LEGAL), MaxValueValidator(AGE_MINIMUM_MAX)],
    )
    natures = models.JSONField(
        "natures de mesure acceptées",
        validators=[valider_natures],
        help_text="tnr, tig, reparation",
    )
    desserte_transports = models.BooleanField(
        "desservi par les transports en commun", default=False
    )
    desserte_detail = models.CharField("desserte", max_length=150, blank=True)
    actif = models.BooleanField("actif", default=True)
    confirme_le = models.DateField("confirmé le", default=timezone.localdate)
    reference_tig360 = models.CharField(
        "référence TIG 360°",
        max_length=40,
        blank=True,
        help_text=(
            "identifiant du poste sur TIG 360°, saisi par le référent pour mémoire ; aucune "
            "synchronisation (la plateforme nationale n'a pas d'API publique)"
        ),
    )
    version = models.PositiveIntegerField("version", default=1)
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)

    objects = PosteQuerySet.as_manager()

    class Meta:
        verbose_name = "poste"
        verbose_name_plural = "postes"
        ordering = ["structure_id", "id"]
        indexes = [models.Index(fields=["actif", "confirme_le"], name="poste_actif_confirme")]
        constraints = [
            models.CheckConstraint(condition=Q(capacite__gte=1), name="poste_capacite_positive"),
        ]

    def __str__(self) -> str:
        return f"poste {self.pk}"

    def perime_au(self, jour: dt.date | None = None) -> bool:
        return self.confirme_le < limite_perime(jour)

    @property
    def perime(self) -> bool:
        return self.perime_au()

    def clean(self) -> None:
        super().clean()
        ouvre_le_week_end = isinstance(self.creneaux, dict) and WEEK_END & set(self.creneaux)
        if ouvre_le_week_end and not self.ouvert_week_end:
            raise ValidationError(
                {"creneaux": "Samedi ou dimanche : cochez l'ouverture le week-end."}
            )
        if self.desserte_detail and not self.desserte_transports:
            raise ValidationError(
                {"desserte_detail": "Une desserte décrite suppose un poste desservi."}
            )

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_poste(perimetre, action)
