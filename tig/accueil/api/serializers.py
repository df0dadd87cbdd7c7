"""Reception sites and posts. Inputs refuse unknown fields; messages never echo the input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socle.serializers import EntreeStricte
from tig.accueil.enums import DemiJournee, Jour, TypeStructure
from tig.accueil.models import (
    AGE_MINIMUM_LEGAL,
    AGE_MINIMUM_MAX,
    LATITUDE_MAX,
    LATITUDE_MIN,
    LONGITUDE_MAX,
    LONGITUDE_MIN,
    Poste,
    StructureAccueil,
    valider_creneaux,
)
from tig.enums import NatureMesure

_HORS_METROPOLE = "Coordonnée hors de la France métropolitaine."
CRENEAUX_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "demi-journées ouvertes par jour de la semaine",
    "properties": {
        jour: {"type": "array", "items": {"type": "string", "enum": DemiJournee.values}}
        for jour in Jour.values
    },
    "additionalProperties": False,
    "example": {"lundi": ["matin", "apres_midi"], "mercredi": ["matin"]},
}


def _latitude(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8,
        decimal_places=5,
        min_value=LATITUDE_MIN,
        max_value=LATITUDE_MAX,
        error_messages={"min_value": _HORS_METROPOLE, "max_value": _HORS_METROPOLE},
        **kwargs,
    )


def _longitude(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8,
        decimal_places=5,
        min_value=LONGITUDE_MIN,
        max_value=LONGITUDE_MAX,
        error_messages={"min_value": _HORS_METROPOLE, "max_value": _HORS_METROPOLE},
        **kwargs,
    )


class StructureSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    nom = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    commune_nom = serializers.CharField(source="commune.nom", read_only=True)
    # Not « adresse »: that key marks a person's address for the personal-data scanner.
    adresse_structure = serializers.CharField(source="adresse", read_only=True)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True)
    habilitee_de_droit = serializers.BooleanField(read_only=True)
    habilitee = serializers.SerializerMethodField(help_text="habilitée au TIG aujourd'hui")
    habilitation_par = serializers.CharField(read_only=True)
    habilitation_le = serializers.DateField(read_only=True, allow_null=True)
    habilitation_jusqu_au = serializers.DateField(read_only=True, allow_null=True)
    contact_service = serializers.CharField(read_only=True)
    contact_courriel = serializers.EmailField(read_only=True)
    contact_telephone = serializers.CharField(read_only=True)
    referents = serializers.SerializerMethodField(help_text="identifiants des comptes référents")
    active = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    def get_habilitee(self, structure: StructureAccueil) -> bool:
        return structure.habilitee_au()

    def get_referents(self, structure: StructureAccueil) -> list[str]:
        return sorted(str(u.pk) for u in structure.referents.all())


class PageStructuresSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StructureSerializer(many=True)


class StructureEntreeSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=150)
    type = serializers.ChoiceField(choices=TypeStructure.choices)
    commune = serializers.CharField(max_length=5)
    adresse_structure = serializers.CharField(max_length=200, source="adresse")
    latitude = _latitude()
    longitude = _longitude()
    habilitation_par = serializers.CharField(max_length=150, required=False, allow_blank=True)
    habilitation_le = serializers.DateField(required=False, allow_null=True)
    habilitation_jusqu_au = serializers.DateField(required=False, allow_null=True)
    contact_service = serializers.CharField(max_length=150)
    contact_courriel = serializers.EmailField(max_length=200)
    contact_telephone = serializers.RegexField(
        r"^\+?[0-9 .]{6,20}$",
        max_length=20,
        error_messages={"invalid": "Un numéro de téléphone (chiffres, espaces, points)."},
    )
    referents = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=20, allow_empty=True
    )
    active = serializers.BooleanField(required=False)


class CreneauxField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> Any:
        valeur = super().to_internal_value(data)
        try:
            valider_creneaux(valeur)
        except DjangoValidationError as erreur:
            raise serializers.ValidationError(erreur.messages) from None
        return valeur


@extend_schema_field(CRENEAUX_SCHEMA)
class _CreneauxDocumente(CreneauxField):
    pass


class PosteSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    structure = serializers.UUIDField(source="structure_id", read_only=True)
    structure_nom = serializers.CharField(source="structure.nom", read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    commune_nom = serializers.CharField(source="commune.nom", read_only=True)
    activite = serializers.CharField(source="activite_id", read_only=True)
    activite_libelle = serializers.CharField(source="activite.libelle", read_only=True)
    lieu = serializers.CharField(read_only=True)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True)
    capacite = serializers.IntegerField(read_only=True)
    creneaux = _CreneauxDocumente(read_only=True)
    ouvert_week_end = serializers.BooleanField(read_only=True)
    age_minimum = serializers.IntegerField(read_only=True)
    natures = serializers.ListField(child=serializers.CharField(), read_only=True)
    desserte_transports = serializers.BooleanField(read_only=True)
    desserte_detail = serializers.CharField(read_only=True)
    actif = serializers.BooleanField(read_only=True)
    confirme_le = serializers.DateField(read_only=True)
    perime = serializers.BooleanField(
        read_only=True, help_text="non confirmé depuis TIG_POSTE_PERIME_JOURS jours (90)"
    )
    reference_tig360 = serializers.CharField(
        read_only=True, help_text=Poste._meta.get_field("reference_tig360").help_text
    )
    version = serializers.IntegerField(read_only=True)


class PagePostesSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PosteSerializer(many=True)


class PosteModificationSerializer(EntreeStricte):
    activite = serializers.CharField(max_length=40)
    commune = serializers.CharField(
        max_length=5,
        required=False,
        help_text="code INSEE de la commune du poste (par défaut celle de la structure)",
    )
    lieu = serializers.CharField(max_length=200)
    latitude = _latitude()
    longitude = _longitude()
    capacite = serializers.IntegerField(min_value=1, max_value=100)
    creneaux = _CreneauxDocumente()
    ouvert_week_end = serializers.BooleanField(required=False)
    age_minimum = serializers.IntegerField(
        min_value=AGE_MINIMUM_LEGAL, max_value=AGE_MINIMUM_MAX, required=False
    )
    natures = serializers.ListField(
        child=serializers.ChoiceField(choices=NatureMesure.choices),
        min_length=1,
        max_length=len(NatureMesure.values),
    )
    desserte_transports = serializers.BooleanField(required=False)
    desserte_detail = serializers.CharField(max_length=150, required=False, allow_blank=True)
    actif = serializers.BooleanField(required=False)
    reference_tig360 = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=Poste._meta.get_field("reference_tig360").help_text,
    )

    def validate_natures(self, valeur: list[str]) -> list[str]:
        if len(set(valeur)) != len(valeur):
            raise serializers.ValidationError("Chaque nature une seule fois.")
        return valeur


class PosteCreationSerializer(PosteModificationSerializer):
    structure = serializers.UUIDField()


class GeometrieSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="Point")
    coordinates = serializers.ListField(
        child=serializers.FloatField(), help_text="[longitude, latitude]"
    )


class ProprietesGeoSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    activite = serializers.CharField()
    activite_libelle = serializers.CharField()
    structure = serializers.CharField(help_text="nom de la structure d'accueil")
    commune = serializers.CharField()
    commune_nom = serializers.CharField()
    capacite = serializers.IntegerField()
    natures = serializers.ListField(child=serializers.CharField())
    age_minimum = serializers.IntegerField()
    perime = serializers.BooleanField()


class EntiteGeoSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="Feature")
    geometry = GeometrieSerializer()
    properties = ProprietesGeoSerializer()


class CollectionGeoSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="FeatureCollection")
    features = EntiteGeoSerializer(many=True)


def geojson(postes: list[Poste]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946) of posts: places and offer only, no person."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(p.longitude), float(p.latitude)],
                },
                "properties": {
                    "id": str(p.pk),
                    "activite": p.activite_id,
                    "activite_libelle": p.activite.libelle,
                    "structure": p.structure.nom,
                    "commune": p.commune_id,
                    "commune_nom": p.commune.nom,
                    "capacite": p.capacite,
                    "natures": list(p.natures),
                    "age_minimum": p.age_minimum,
                    "perime": p.perime,
                },
            }
            for p in postes
        ],
    }
