from __future__ import annotations

from rest_framework import serializers

from acces.models import Habilitation, Utilisateur


class HabilitationSerializer(serializers.ModelSerializer[Habilitation]):
    communes = serializers.SlugRelatedField(slug_field="code_insee", many=True, read_only=True)

    class Meta:
        model = Habilitation
        fields = ["id", "role", "communes", "ressort", "perimetre_cispd", "debut", "fin"]
        read_only_fields = fields


class MoiSerializer(serializers.ModelSerializer[Utilisateur]):
    organisation = serializers.SlugRelatedField(slug_field="nom", read_only=True)
    habilitations = serializers.SerializerMethodField()

    class Meta:
        model = Utilisateur
        fields = ["id", "username", "organisation", "habilitations"]
        read_only_fields = fields

    def get_habilitations(self, user: Utilisateur) -> list[dict[str, object]]:
        actives = user.habilitations.actives().prefetch_related("communes")
        return list(HabilitationSerializer(actives, many=True).data)
