"""Auditor payloads: references (ids, codes, times), never names or case content (D7)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from audit.journal import detail_affiche
from audit.models import EvenementAcces


class PrecisionField(serializers.CharField):
    """A code of the closed list; free text logged before the list was closed stays masked."""

    def to_representation(self, value: Any) -> str:
        return detail_affiche(str(value or ""))


class EvenementSerializer(serializers.ModelSerializer[EvenementAcces]):
    utilisateur = serializers.UUIDField(source="utilisateur_id", allow_null=True)
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    roles = serializers.SerializerMethodField()
    personne = serializers.UUIDField(source="personne_id", allow_null=True)
    motif_detail = PrecisionField(read_only=True)

    class Meta:
        model = EvenementAcces
        fields = [
            "seq",
            "horodatage",
            "utilisateur",
            "roles",
            "organisation",
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


class ConsultationSerializer(serializers.ModelSerializer[EvenementAcces]):
    utilisateur = serializers.UUIDField(source="utilisateur_id", allow_null=True)
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    personne = serializers.UUIDField(source="personne_id", allow_null=True)
    motif_detail = PrecisionField(read_only=True)

    class Meta:
        model = EvenementAcces
        fields = [
            "seq",
            "horodatage",
            "utilisateur",
            "roles",
            "organisation",
            "action",
            "type_objet",
            "objet_id",
            "personne",
            "motif",
            "motif_detail",
        ]
        read_only_fields = fields


class VolumeSerializer(serializers.Serializer[dict[str, Any]]):
    utilisateur = serializers.UUIDField(source="utilisateur_id")
    jour = serializers.DateField()
    lectures = serializers.IntegerField()
    refus = serializers.IntegerField()
