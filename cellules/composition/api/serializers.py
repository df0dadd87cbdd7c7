"""Cells and their members. Inputs refuse unknown fields; messages never echo the input."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.enums import MotifExclusion, MotifLevee, Role, TypeOrganisation
from acces.models import Utilisateur
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule, MembreCellule
from cellules.composition.services import FONCTION_MAX, NOM_MAX, REFERENCE_MAX
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}


def _type(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=TypeCellule.choices, error_messages=_HORS_LISTE, **kwargs
    )


class CelluleSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    nom = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True, allow_null=True)
    cispd = serializers.BooleanField(read_only=True)
    ressort = serializers.CharField(source="ressort_id", read_only=True)
    communes_membres = serializers.SerializerMethodField(
        help_text="communes membres d'une cellule du CISPD (vide pour une cellule communale)"
    )
    reference_reglement_interieur = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    coordonnateurs = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)
    charte_version = serializers.SerializerMethodField(
        help_text="version de la charte de la cellule en vigueur (null : aucune)"
    )
    charte_acceptee = serializers.SerializerMethodField(
        help_text="charte de la cellule acceptée par l'appelant (vrai s'il n'y en a aucune)"
    )

    def get_communes_membres(self, cellule: Cellule) -> list[str]:
        return sorted(c.pk for c in cellule.communes_membres.all())

    def get_coordonnateurs(self, cellule: Cellule) -> list[str]:
        return [str(u.pk) for u in cellule.coordonnateurs.all()]

    def get_charte_version(self, cellule: Cellule) -> int | None:
        return getattr(cellule, "charte_version", None)

    def get_charte_acceptee(self, cellule: Cellule) -> bool:
        return bool(getattr(cellule, "charte_acceptee", True))


class PageCellulesSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CelluleSerializer(many=True)


class CelluleCreationSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=NOM_MAX)
    type = _type()
    commune = serializers.CharField(max_length=5, required=False, allow_null=True)
    cispd = serializers.BooleanField(required=False, default=False)
    # The ressort is not typed: it comes from the commune (or the CISPD's member communes).
    communes = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, max_length=100
    )
    reference_reglement_interieur = serializers.CharField(
        max_length=REFERENCE_MAX, required=False, allow_blank=True
    )


class CelluleModificationSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=NOM_MAX, required=False)
    type = _type(required=False)
    reference_reglement_interieur = serializers.CharField(
        max_length=REFERENCE_MAX, required=False, allow_blank=True
    )


class MembreSerializer(serializers.Serializer[Any]):
    """A member (staff): account, organisation, function, and the charter in force accepted."""

    id = serializers.UUIDField(read_only=True)
    utilisateur = serializers.UUIDField(source="utilisateur_id", read_only=True)
    nom_complet = serializers.SerializerMethodField()
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_nom = serializers.CharField(source="organisation.nom", read_only=True)
    fonction = serializers.CharField(read_only=True)
    actif = serializers.BooleanField(read_only=True)
    charte_acceptee = serializers.SerializerMethodField()

    def get_nom_complet(self, membre: MembreCellule) -> str:
        user = membre.utilisateur
        return user.get_full_name() or user.get_username()

    def get_charte_acceptee(self, membre: MembreCellule) -> bool:
        return membre.utilisateur_id in self.context.get("charte_acceptee", set())


class MembresSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    results = MembreSerializer(many=True)


class MembreAjoutSerializer(EntreeStricte):
    utilisateur = serializers.UUIDField()
    fonction = serializers.CharField(max_length=FONCTION_MAX)


class RetraitSerializer(serializers.Serializer[Any]):
    membre = MembreSerializer()
    acces_retires = serializers.IntegerField()


class ExclusionEntreeSerializer(EntreeStricte):
    utilisateur = serializers.UUIDField()
    motif = serializers.ChoiceField(choices=MotifExclusion.choices, error_messages=_HORS_LISTE)
    # Coordinators only: the cells to exclude from (default: every cell he coordinates).
    cellules = serializers.ListField(
        child=serializers.UUIDField(), required=False, allow_empty=False, max_length=100
    )


class ExclusionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    utilisateur = serializers.UUIDField(source="utilisateur_id", read_only=True)
    motif = serializers.CharField(read_only=True)
    portee = serializers.CharField(read_only=True)
    cellules = serializers.ListField(
        child=serializers.UUIDField(),
        read_only=True,
        help_text="cellules d'une exclusion prononcée par un coordonnateur (vide : plateforme)",
    )
    exclu_le = serializers.DateTimeField(read_only=True)
    par = serializers.UUIDField(
        source="par_id", read_only=True, help_text="compte qui a prononcé l'exclusion"
    )
    levee_le = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="null tant que l'exclusion est en vigueur"
    )
    levee_par = serializers.UUIDField(
        source="levee_par_id",
        read_only=True,
        allow_null=True,
        help_text="compte qui a levé l'exclusion",
    )
    motif_levee = serializers.CharField(
        read_only=True,
        help_text="motif de la levée (vide tant que l'exclusion est en vigueur)",
    )


class PageExclusionsSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ExclusionSerializer(many=True)


class LeveeEntreeSerializer(EntreeStricte):
    motif = serializers.ChoiceField(choices=MotifLevee.choices, error_messages=_HORS_LISTE)


class AnnuaireSerializer(serializers.Serializer[Any]):
    """An account of the staff directory: what adding a member needs, no contact detail."""

    id = serializers.UUIDField(read_only=True, help_text="compte à ajouter comme membre")
    nom_complet = serializers.SerializerMethodField(help_text="prénom et nom")
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_nom = serializers.CharField(source="organisation.nom", read_only=True)
    organisation_type = serializers.ChoiceField(
        source="organisation.type", choices=TypeOrganisation.choices, read_only=True
    )
    roles = serializers.SerializerMethodField(help_text="rôles des habilitations actives")
    fonctions = serializers.SerializerMethodField(
        help_text="fonctions exercées dans les cellules où le compte siège déjà"
    )

    def get_nom_complet(self, user: Utilisateur) -> str:
        return user.get_full_name() or user.get_username()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, user: Utilisateur) -> list[str]:
        return sorted({h.role for h in getattr(user, "roles_actifs", [])})

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_fonctions(self, user: Utilisateur) -> list[str]:
        return sorted({m.fonction for m in getattr(user, "participations_actives", [])})


class PageAnnuaireSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AnnuaireSerializer(many=True)


class PartenaireSerializer(serializers.Serializer[Any]):
    """A partner organisation of a cell (reference data, no personal data)."""

    id = serializers.UUIDField(read_only=True)
    nom = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(choices=TypeOrganisation.choices, read_only=True)


class PartenairesSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    results = PartenaireSerializer(many=True)
