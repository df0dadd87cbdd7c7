"""Field-level read rules (ASVS 8.2.3): serializers expose only the categories a reader may get."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces import politiques
from acces.crypto.champs import dechiffrer
from acces.perimetre import Perimetre, perimetre_de

# Set by ``contexte_de_rendu`` only, which only the doorway (``noyau.vues``) calls (a
# conventions test checks it): personal fields refuse to render without it.
_PORTE = object()
CLE_PORTE = "porte"


def contexte_de_rendu(request: Any, vue: Any) -> dict[str, Any]:
    """The serializer context of a personal-data response (for ``noyau.vues.VueDonnees``)."""
    return {"request": request, "view": vue, CLE_PORTE: _PORTE}


def exiger_porte(context: dict[str, Any]) -> None:
    """Refuse to render personal data outside the doorway (schema generation aside)."""
    request = context.get("request")
    if request is not None and _generation_du_schema(context, request):
        return
    if context.get(CLE_PORTE) is not _PORTE:
        raise ImproperlyConfigured(
            "donnée personnelle rendue hors de la porte unique (noyau.vues.VueDonnees)"
        )


class ChampsParCategorie:
    """Serializer mixin: drops every field whose information category the reader may not receive.

    Every field is declared, once:

    - ``categories_des_champs`` maps a field to its :class:`acces.enums.CategorieInformation`;
    - ``categories_des_valeurs`` refines it per value of a closed list (a profile or a closing
      reason may be a judicial record): the field is shown if the reader may receive one of its
      categories; a list then keeps only the values he may receive; a single value he may not
      receive is shown as the field's ``valeurs_de_repli`` entry when he may receive it (a
      value of the same list that real records carry too, such as ``autre``, so that it tells
      nothing: ``None`` would name the one judicial closing reason to a commune's director),
      and as ``None`` otherwise;
    - ``champs_references`` lists the fields that hold no personal data (ids, dates of the
      record, version, status).

    A field declared nowhere is dropped (fail closed; a meta-test fails on it). Rendering needs
    the doorway's context (``contexte_de_rendu``): any other use raises. During schema generation
    (``swagger_fake_view``) every field is kept, so that the schema documents them.
    """

    categories_des_champs: ClassVar[dict[str, str]] = {}
    categories_des_valeurs: ClassVar[dict[str, dict[str, str]]] = {}
    valeurs_de_repli: ClassVar[dict[str, str]] = {}
    champs_references: ClassVar[frozenset[str]] = frozenset()

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        context = getattr(self, "context", {})
        request = context.get("request")
        if request is not None and _generation_du_schema(context, request):
            return fields
        exiger_porte(context)
        perimetre = self._perimetre_lecteur()
        return {
            name: field
            for name, field in fields.items()
            if name in self.champs_references or self._lisible(perimetre, name)
        }

    def _lisible(self, perimetre: Perimetre, name: str) -> bool:
        return any(
            politiques.peut_lire_categorie(perimetre, categorie)
            for categorie in self._categories_du_champ(name)
        )

    def _categories_du_champ(self, name: str) -> set[str]:
        """Every category a field may disclose (none when it is not declared)."""
        if name not in self.categories_des_champs:
            return set()
        return {
            self.categories_des_champs[name],
            *self.categories_des_valeurs.get(name, {}).values(),
        }

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        if not self.categories_des_valeurs:
            return data
        perimetre = self._perimetre_lecteur()
        for name, par_valeur in self.categories_des_valeurs.items():
            if name not in data or data[name] in (None, ""):
                continue
            defaut = self.categories_des_champs[name]
            lisibles = {
                valeur
                for valeur in (data[name] if isinstance(data[name], list) else [data[name]])
                if politiques.peut_lire_categorie(perimetre, par_valeur.get(valeur, defaut))
            }
            if isinstance(data[name], list):
                data[name] = [v for v in data[name] if v in lisibles]
            elif data[name] not in lisibles:
                data[name] = self._repli(perimetre, name)
        return data

    def _repli(self, perimetre: Perimetre, name: str) -> str | None:
        """What a withheld single value is shown as: the field's fallback if the reader may
        receive it (it then reads like a real one), else ``None``, which among the many values
        he may not receive names none."""
        repli = self.valeurs_de_repli.get(name)
        if repli is None:
            return None
        categorie = self.categories_des_valeurs[name].get(repli, self.categories_des_champs[name])
        return repli if politiques.peut_lire_categorie(perimetre, categorie) else None

    def _perimetre_lecteur(self) -> Perimetre:
        # DRF gives a nested serializer its root's context.
        request = getattr(self, "context", {}).get("request")
        return perimetre_de(getattr(request, "user", None))


class ChampDechiffre(serializers.Field):  # type: ignore[type-arg]
    """The one decrypting field: the clear value of ``champ`` on the object at ``source``.

    ``source="*"`` reads the record itself, ``"personne"`` or ``"situation.personne"`` a related
    record (loaded with ``select_related``). Dates are given in ISO format. Like the categorised
    serializers, it renders only in the doorway's context.
    """

    def __init__(self, champ: str, **kwargs: Any) -> None:
        self.champ = champ
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: models.Model) -> Any:
        exiger_porte(self.context)
        clair = dechiffrer(value, self.champ)
        return clair.isoformat() if isinstance(clair, dt.date) else clair


@extend_schema_field(OpenApiTypes.STR)
class TexteDechiffre(ChampDechiffre):
    pass


@extend_schema_field(OpenApiTypes.DATE)
class DateDechiffree(ChampDechiffre):
    pass


def serializer_personnel(classe: type[Any], _vus: frozenset[type] = frozenset()) -> bool:
    """Whether a serializer shows personal data: categorised, with a decrypting field, or
    nesting such a serializer (a page of cases, say)."""
    if not isinstance(classe, type) or classe in _vus:
        return False
    if issubclass(classe, ChampsParCategorie):
        return True
    for champ in getattr(classe, "_declared_fields", {}).values():
        if isinstance(champ, ChampDechiffre):
            return True
        imbrique = getattr(champ, "child", champ)
        if isinstance(imbrique, serializers.BaseSerializer) and serializer_personnel(
            type(imbrique), _vus | {classe}
        ):
            return True
    return False


def champs_non_declares(classe: type[Any]) -> set[str]:
    """Fields of a :class:`ChampsParCategorie` serializer declared in no mapping (meta-test)."""
    declares = set(classe.categories_des_champs) | set(classe.champs_references)
    return set(classe._declared_fields) - declares


def _generation_du_schema(context: dict[str, Any], request: Any) -> bool:
    vue = context.get("view") or (getattr(request, "parser_context", None) or {}).get("view")
    return bool(getattr(vue, "swagger_fake_view", False))
