"""Serializers of the cells' charters: the input ones refuse unknown fields."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cellules.chartes.models import TEXTE_MAX, TITRE_MAX, CharteCellule
from socle.serializers import EntreeStricte

# Bound of the version sent back (a PostgreSQL integer).
VERSION_MAX = 2_147_483_647


class CharteCelluleSerializer(serializers.Serializer[Any]):
    """The charter in force of a cell and whether the caller accepted it."""

    cellule = serializers.UUIDField(source="cellule_id", read_only=True)
    version = serializers.IntegerField(read_only=True)
    titre = serializers.CharField(read_only=True)
    texte = serializers.CharField(read_only=True)
    en_vigueur_le = serializers.DateTimeField(read_only=True)
    acceptee = serializers.SerializerMethodField()

    def get_acceptee(self, charte: CharteCellule) -> bool:
        return bool(self.context.get("acceptee", False))


class CharteCellulePublicationSerializer(EntreeStricte):
    titre = serializers.CharField(max_length=TITRE_MAX)
    texte = serializers.CharField(max_length=TEXTE_MAX)


class CharteCelluleAcceptationSerializer(EntreeStricte):
    version = serializers.IntegerField(min_value=1, max_value=VERSION_MAX)
