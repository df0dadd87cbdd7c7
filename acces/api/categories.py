"""Field-level read rules (ASVS 8.2.3): serializers expose only the categories a reader may get."""

from __future__ import annotations

from typing import Any, ClassVar

from acces import politiques
from acces.perimetre import perimetre_de


class ChampsParCategorie:
    """Serializer mixin: drops every field whose information category the reader may not receive.

    ``categories_des_champs`` maps field names to :class:`acces.enums.CategorieInformation`;
    unmapped fields (ids, dates of the record) are always kept. Without a request in the context
    no categorised field is kept (fail closed); during schema generation (``swagger_fake_view``)
    every field is kept, so that the schema documents them.
    """

    categories_des_champs: ClassVar[dict[str, str]] = {}

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        context = getattr(self, "context", {})
        request = context.get("request")
        if request is not None and _generation_du_schema(context, request):
            return fields
        # Fail closed: without a reader, no categorised field is shown.
        user = getattr(request, "user", None)
        perimetre = perimetre_de(user)
        return {
            name: field
            for name, field in fields.items()
            if name not in self.categories_des_champs
            or politiques.peut_lire_categorie(perimetre, self.categories_des_champs[name])
        }


def _generation_du_schema(context: dict[str, Any], request: Any) -> bool:
    vue = context.get("view") or (getattr(request, "parser_context", None) or {}).get("view")
    return bool(getattr(vue, "swagger_fake_view", False))
