from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

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


def message_hors_liste(valeurs: Iterable[object]) -> str:
    """The error of a value outside a closed list: the allowed values, never the one sent
    (it may be a name typed in the wrong field)."""
    return (
        "Valeur hors de la liste fermée ; choisissez parmi : " + ", ".join(map(str, valeurs)) + "."
    )


def _fail_hors_liste(self: serializers.ChoiceField, key: str, **kwargs: Any) -> NoReturn:
    if key == "invalid_choice":
        valeurs = [v for v in self.choice_strings_to_values if v != ""]
        raise serializers.ValidationError(message_hors_liste(valeurs), code=key)
    serializers.Field.fail(self, key, **kwargs)
    raise AssertionError  # Field.fail always raises


# Counts in messages that read right for one as for several (DRF's say "au moins 1 éléments").
MESSAGES_DE_LONGUEUR: dict[type[serializers.Field[Any, Any, Any, Any]], dict[str, str]] = {
    serializers.ListField: {
        "min_length": "Pas assez d'éléments (minimum : {min_length}).",
        "max_length": "Trop d'éléments (maximum : {max_length}).",
    },
    serializers.CharField: {
        "min_length": "Texte trop court (longueur minimale : {min_length}).",
        "max_length": "Texte trop long (longueur maximale : {max_length}).",
    },
}


def installer_messages() -> None:
    """Messages of every serializer field, set once at start-up (``SocleConfig.ready``):

    - every closed-list field (ChoiceField, MultipleChoiceField, the ModelSerializer field of a
      model's choices, a list's children) names the allowed values, as the ``X-Motif`` error
      does;
    - list and text lengths read right whatever the count.
    """
    serializers.ChoiceField.fail = _fail_hors_liste  # type: ignore[method-assign,assignment]
    for classe, messages in MESSAGES_DE_LONGUEUR.items():
        classe.default_error_messages = {**classe.default_error_messages, **messages}
