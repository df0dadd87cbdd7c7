"""Auditor payloads: references (ids, codes, times) and the names of the staff accounts and
organisations, never names of the persons concerned nor case content (D7)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from audit.journal import detail_affiche
from audit.models import EvenementAcces
from audit.selectors import Annuaire

PARIS = ZoneInfo("Europe/Paris")
HORODATAGE_AIDE = (
    "Heure de Paris, au format ISO 8601 avec son décalage (+01:00 en hiver, +02:00 en été) ; "
    "la même dans l'export CSV."
)


def iso_paris(moment: dt.datetime) -> str:
    """One convention for every time of the log, JSON and CSV: Paris time, offset written."""
    return moment.astimezone(PARIS).isoformat()


class HorodatageField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True, label="horodatage (heure de Paris)", help_text=HORODATAGE_AIDE, **kwargs
        )

    def to_representation(self, value: dt.datetime) -> str:
        return iso_paris(value)


def annuaire_de(serializer: serializers.Field[Any, Any, Any, Any]) -> Annuaire:
    """The names looked up for this rendering: the views fill it once per page; a field alone
    looks its own id up."""
    contexte = serializer.context
    annuaire = contexte.get("annuaire")
    if not isinstance(annuaire, Annuaire):
        annuaire = contexte["annuaire"] = Annuaire()
    return annuaire


@extend_schema_field(OpenApiTypes.STR)
class NomCompteField(serializers.Field):  # type: ignore[type-arg]
    """Display name of a staff account (first and last name, else its username)."""

    def __init__(self) -> None:
        super().__init__(
            source="utilisateur_id",
            read_only=True,
            allow_null=True,
            label="nom du compte",
            help_text="Prénom et nom du compte professionnel (son identifiant s'il n'en a pas).",
        )

    def to_representation(self, value: Any) -> str | None:
        annuaire = annuaire_de(self).completer([value], [])
        return annuaire.compte(value)


@extend_schema_field(OpenApiTypes.STR)
class NomOrganisationField(serializers.Field):  # type: ignore[type-arg]
    """Name of the organisation the account belonged to when the event was logged."""

    def __init__(self) -> None:
        super().__init__(
            source="organisation_id",
            read_only=True,
            allow_null=True,
            label="nom de l'organisation",
            help_text="Organisation du compte au moment de l'événement.",
        )

    def to_representation(self, value: Any) -> str | None:
        annuaire = annuaire_de(self).completer([], [value])
        return annuaire.organisation(value)


class PrecisionField(serializers.CharField):
    """A code of the closed list; free text logged before the list was closed stays masked."""

    def to_representation(self, value: Any) -> str:
        return detail_affiche(str(value or ""))


@extend_schema_serializer(description="Un événement du journal des accès.")
class EvenementSerializer(serializers.ModelSerializer[EvenementAcces]):
    horodatage = HorodatageField()
    utilisateur = serializers.UUIDField(source="utilisateur_id", allow_null=True)
    utilisateur_nom = NomCompteField()
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    organisation_nom = NomOrganisationField()
    roles = serializers.SerializerMethodField()
    personne = serializers.UUIDField(source="personne_id", allow_null=True)
    motif_detail = PrecisionField(read_only=True)

    class Meta:
        model = EvenementAcces
        fields = [
            "seq",
            "horodatage",
            "utilisateur",
            "utilisateur_nom",
            "roles",
            "organisation",
            "organisation_nom",
            "action",
            "type_objet",
            "objet_id",
            "personne",
            "motif",
            "motif_detail",
            "resultat",
            "raison",
            "nombre",
            "request_id",
            "adresse_ip",
            "hash",
        ]
        read_only_fields = fields

    def get_roles(self, evenement: EvenementAcces) -> list[str]:
        return [role for role in evenement.roles.split(",") if role]


@extend_schema_serializer(description="Une lecture de la fiche : qui, quand, pourquoi.")
class ConsultationSerializer(serializers.ModelSerializer[EvenementAcces]):
    horodatage = HorodatageField()
    utilisateur = serializers.UUIDField(source="utilisateur_id", allow_null=True)
    utilisateur_nom = NomCompteField()
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    organisation_nom = NomOrganisationField()
    personne = serializers.UUIDField(source="personne_id", allow_null=True)
    motif_detail = PrecisionField(read_only=True)

    class Meta:
        model = EvenementAcces
        fields = [
            "seq",
            "horodatage",
            "utilisateur",
            "utilisateur_nom",
            "roles",
            "organisation",
            "organisation_nom",
            "action",
            "type_objet",
            "objet_id",
            "personne",
            "motif",
            "motif_detail",
        ]
        read_only_fields = fields


@extend_schema_serializer(description="Lectures et refus d'un compte sur un jour (heure de Paris).")
class VolumeSerializer(serializers.Serializer[dict[str, Any]]):
    utilisateur = serializers.UUIDField(source="utilisateur_id")
    utilisateur_nom = NomCompteField()
    jour = serializers.DateField(help_text="Jour, heure de Paris.")
    lectures = serializers.IntegerField()
    refus = serializers.IntegerField()
