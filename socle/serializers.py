from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class EntreeStricte(serializers.Serializer[Any]):
    """Input serializer refusing unknown fields (mass assignment, typos, pollution)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            inconnus = sorted(set(data) - set(self.fields))
            if inconnus:
                raise serializers.ValidationError(
                    {nom: ["Champ inconnu ou non modifiable."] for nom in inconnus}
                )
        return super().to_internal_value(data)
