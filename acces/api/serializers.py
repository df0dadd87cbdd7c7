from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.enums import CategorieInformation, Role, TypeOrganisation
from acces.models import (
    Charte,
    Commune,
    Habilitation,
    Organisation,
    Quartier,
    Ressort,
    Utilisateur,
)
from socle.serializers import EntreeStricte


class QuartierSerializer(serializers.ModelSerializer[Quartier]):
    class Meta:
        model = Quartier
        fields = ["id", "nom", "type", "code_officiel"]
        read_only_fields = fields


class CommuneSerializer(serializers.ModelSerializer[Commune]):
    quartiers = QuartierSerializer(many=True, read_only=True)
    ressort = serializers.CharField(source="ressort_id", read_only=True, allow_null=True)

    class Meta:
        model = Commune
        fields = ["code_insee", "nom", "code_postal", "population", "ressort", "quartiers"]
        read_only_fields = fields


class RessortSerializer(serializers.ModelSerializer[Ressort]):
    communes: serializers.RelatedField[Commune, Any, Any] = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, read_only=True
    )

    class Meta:
        model = Ressort
        fields = ["code", "nom", "communes"]
        read_only_fields = fields


STATUTS_HABILITATION = [
    ("en_attente_approbation", "en attente d'approbation"),
    ("a_venir", "à venir"),
    ("active", "active"),
    ("echue", "échue"),
    ("revoquee", "révoquée"),
]


class HabilitationSerializer(serializers.ModelSerializer[Habilitation]):
    communes: serializers.RelatedField[Commune, Any, Any] = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, read_only=True
    )
    utilisateur: serializers.RelatedField[Utilisateur, Any, Any] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    accordee_par: serializers.RelatedField[Utilisateur, Any, Any] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    approuvee_par: serializers.RelatedField[Utilisateur, Any, Any] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    statut = serializers.SerializerMethodField()

    class Meta:
        model = Habilitation
        fields = [
            "id",
            "utilisateur",
            "role",
            "communes",
            "ressort",
            "perimetre_cispd",
            "debut",
            "fin",
            "revoquee_le",
            "accordee_par",
            "approuvee_par",
            "approuvee_le",
            "statut",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=STATUTS_HABILITATION))
    def get_statut(self, habilitation: Habilitation) -> str:
        maintenant = timezone.now()
        if habilitation.revoquee_le is not None:
            return "revoquee"
        if habilitation.fin is not None and habilitation.fin <= maintenant:
            return "echue"
        if habilitation.approuvee_le is None:
            return "en_attente_approbation"
        return "active" if habilitation.debut <= maintenant else "a_venir"


class HabilitationEntreeSerializer(EntreeStricte):
    utilisateur = serializers.PrimaryKeyRelatedField(queryset=Utilisateur.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)
    communes = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, queryset=Commune.objects.all(), required=False
    )
    ressort = serializers.CharField(max_length=100, required=False, default="")
    perimetre_cispd = serializers.BooleanField(required=False, default=False)
    fin = serializers.DateTimeField(required=False, allow_null=True, default=None)


class MoiSerializer(serializers.ModelSerializer[Utilisateur]):
    organisation: serializers.RelatedField[Organisation, Any, Any] = serializers.SlugRelatedField(
        slug_field="nom", read_only=True
    )
    habilitations = serializers.SerializerMethodField()

    class Meta:
        model = Utilisateur
        fields = ["id", "username", "organisation", "habilitations"]
        read_only_fields = fields

    @extend_schema_field(HabilitationSerializer(many=True))
    def get_habilitations(self, user: Utilisateur) -> list[dict[str, Any]]:
        actives = user.habilitations.actives().prefetch_related("communes")
        return list(HabilitationSerializer(actives, many=True).data)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    communes: serializers.RelatedField[Commune, Any, Any] = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = ["id", "nom", "type", "communes", "active"]
        read_only_fields = fields


class OrganisationEntreeSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=TypeOrganisation.choices)
    communes = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, queryset=Commune.objects.all(), required=False
    )


class OrganisationModificationSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=200, required=False)
    active = serializers.BooleanField(required=False)
    communes = serializers.SlugRelatedField(
        slug_field="code_insee", many=True, queryset=Commune.objects.all(), required=False
    )


class UtilisateurSerializer(serializers.ModelSerializer[Utilisateur]):
    organisation: serializers.RelatedField[Organisation, Any, Any] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )

    class Meta:
        model = Utilisateur
        fields = ["id", "username", "organisation", "is_active", "last_login"]
        read_only_fields = fields


class MatriceCategoriesSerializer(EntreeStricte):
    autorisations = serializers.DictField(
        child=serializers.ListField(
            child=serializers.ChoiceField(choices=CategorieInformation.choices), max_length=10
        )
    )

    def validate_autorisations(self, value: dict[str, list[str]]) -> dict[str, list[str]]:
        inconnus = set(value) - set(TypeOrganisation.values)
        if inconnus:
            raise serializers.ValidationError("Type d'organisation inconnu.")
        return value


class CharteSerializer(serializers.ModelSerializer[Charte]):
    class Meta:
        model = Charte
        fields = ["id", "version", "titre", "texte", "en_vigueur_le"]
        read_only_fields = fields


class CharteCouranteSerializer(CharteSerializer):
    acceptee = serializers.BooleanField(read_only=True)

    class Meta(CharteSerializer.Meta):
        fields = [*CharteSerializer.Meta.fields, "acceptee"]
        read_only_fields = fields


class CharteEntreeSerializer(EntreeStricte):
    titre = serializers.CharField(max_length=200)
    texte = serializers.CharField(max_length=20000)
