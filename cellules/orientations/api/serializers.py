"""Input serializers refuse unknown fields; output ones show identity only to who may read it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acces.api.categories import ChampsParCategorie
from acces.enums import CategorieInformation as Cat
from cellules.orientations.enums import ResultatOrientation, StatutOrientation, TypeOrientation
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


class ReferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(read_only=True)
    libelle = serializers.CharField(read_only=True)
    article = serializers.CharField(read_only=True)
    ancienne_reference = serializers.CharField(read_only=True)


class MesureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    libelle = serializers.CharField(read_only=True)
    types = serializers.ListField(child=serializers.CharField(), read_only=True)
    reference = ReferenceSerializer(read_only=True, allow_null=True)


class OrientationSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    categories_des_champs = dict.fromkeys(
        ("type", "mesure", "organisation", "echeance", "statut", "resultat"), Cat.ORIENTATIONS
    )
    champs_references = frozenset(
        {"id", "situation", "seance", "decidee_le", "cloturee_le", "version"}
    )

    id = serializers.UUIDField(read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    type = serializers.ChoiceField(choices=TypeOrientation.choices, read_only=True)
    mesure = serializers.UUIDField(source="mesure_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    echeance = serializers.DateField(read_only=True)
    statut = serializers.ChoiceField(choices=StatutOrientation.choices, read_only=True)
    resultat = serializers.CharField(read_only=True)
    seance = serializers.UUIDField(source="seance_id", read_only=True, allow_null=True)
    decidee_le = serializers.DateField(read_only=True)
    cloturee_le = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class OrientationCreationSerializer(EntreeStricte):
    type = _choix(TypeOrientation.choices)
    mesure = serializers.UUIDField()
    organisation = serializers.UUIDField()
    echeance = serializers.DateField()
    seance = serializers.UUIDField(required=False, allow_null=True)


class OrientationModificationSerializer(EntreeStricte):
    """``statut``: ``en_cours`` starts it; ``realisee`` / ``abandonnee`` close it (with
    ``resultat``)."""

    echeance = serializers.DateField(required=False)
    organisation = serializers.UUIDField(required=False)
    statut = _choix(
        [
            (StatutOrientation.EN_COURS, "en cours"),
            (StatutOrientation.REALISEE, "réalisée"),
            (StatutOrientation.ABANDONNEE, "abandonnée"),
        ],
        required=False,
    )
    resultat = _choix(ResultatOrientation.choices, required=False)


class NotificationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An overdue notice: no name, no fact, only ids and the link to follow (authenticated)."""

    id = serializers.UUIDField(read_only=True)
    type = serializers.CharField(read_only=True)
    orientation = serializers.UUIDField(source="orientation_id", read_only=True)
    jour = serializers.DateField(read_only=True)
    lien = serializers.CharField(read_only=True)
    creee_le = serializers.DateTimeField(read_only=True)
