"""Field-level read rules (ASVS 8.2.3): serializers expose only the categories a reader may get."""

from __future__ import annotations

from typing import Any, ClassVar

from acces import politiques
from acces.perimetre import perimetre_de


class ChampsParCategorie:
    """Serializer mixin: drops every field whose information category the reader may not receive.

    ``categories_des_champs`` maps field names to :class:`acces.enums.CategorieInformation`;
    unmapped fields (ids, dates of the record) are always kept. Without a request in the context
    (schema generation) every field is kept.
    """

    categories_des_champs: ClassVar[dict[str, str]] = {}

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        request = getattr(self, "context", {}).get("request")
        if request is None:
            return fields
        perimetre = perimetre_de(request.user)
        return {
            name: field
            for name, field in fields.items()
            if name not in self.categories_des_champs
            or politiques.peut_lire_categorie(perimetre, self.categories_des_champs[name])
        }
