"""Query parameters of the list routes: each list declares the ones it accepts (its filters,
plus the pagination and the motif); anything else, a repeated parameter or a malformed value
is a JSON 400 that names the parameter (and lists the allowed values of a closed list).

Filters are django-filter ``FilterSet`` classes applied to the queryset the view's selector
already restricted: they narrow the scope, never widen it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import django_filters as df
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from socle.errors import ApiError

# ``motif`` may come as a query parameter (``audit.journal``); ``page`` and ``taille`` paginate.
COMMUNS = ("motif", "page", "taille")
# A parameter name is echoed only if it looks like one (never arbitrary input).
_NOM_AFFICHABLE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")


def _nom(nom: str) -> str:
    return nom if _NOM_AFFICHABLE.fullmatch(nom) else "parametre"


def parametre_invalide(nom: str, detail: str) -> ApiError:
    """400 ``parametre_invalide`` naming the query parameter ``nom``."""
    affiche = _nom(nom)
    return ApiError(
        400,
        "parametre_invalide",
        f"Paramètre de requête « {affiche} » invalide.",
        {affiche: [detail]},
    )


class Filtres(df.FilterSet):
    """Base of the list filters. ``self.request`` is the request (for the reader's scope)."""

    def choix_permis(self, nom: str, valeurs: Iterable[str]) -> None:
        """Narrow the closed list of filter ``nom`` to ``valeurs`` for this reader."""
        permis = set(valeurs)
        filtre = self.filters[nom]
        filtre.extra["choices"] = [c for c in filtre.extra["choices"] if c[0] in permis]


def _choix(filtre: df.Filter) -> list[str] | None:
    choix = filtre.extra.get("choices")
    if choix is None or callable(choix):
        return None
    return [str(c[0]) for c in choix]


def _multiple(filtre: df.Filter) -> bool:
    return isinstance(filtre, df.MultipleChoiceFilter)


def acceptes(filtres: type[Filtres] | None, autres: Sequence[str] = ()) -> list[str]:
    noms = [*COMMUNS, *autres, *(filtres.base_filters if filtres else ())]
    return sorted(set(noms))


def verifier(request: Request, filtres: type[Filtres] | None, autres: Sequence[str] = ()) -> None:
    """400 for an unknown query parameter, or one given twice that takes a single value."""
    permis = acceptes(filtres, autres)
    multiples = {
        nom
        for nom, filtre in (filtres.base_filters.items() if filtres else ())
        if _multiple(filtre)
    }
    for nom in request.query_params:
        if nom not in permis:
            affiche = _nom(nom)
            message = "Paramètre inconnu. Paramètres acceptés : " + ", ".join(permis) + "."
            raise ApiError(
                400,
                "parametre_inconnu",
                f"Paramètre de requête inconnu : « {affiche} ».",
                {affiche: [message]},
            )
        if nom not in multiples and len(request.query_params.getlist(nom)) > 1:
            raise parametre_invalide(nom, "Ce paramètre ne se donne qu'une seule fois.")


def filtrer(request: Request, queryset: QuerySet[Any], filtres: type[Filtres]) -> QuerySet[Any]:
    """``queryset`` narrowed by the filters of the query string; 400 on a malformed value."""
    filtre = filtres(request.query_params, queryset=queryset, request=request)
    if not filtre.is_valid():
        nom, erreurs = next(iter(filtre.errors.items()))
        choix = _choix(filtre.filters[nom])
        if choix is not None:
            raise parametre_invalide(
                nom, "Valeur hors de la liste fermée. Valeurs permises : " + ", ".join(choix) + "."
            )
        raise parametre_invalide(nom, str(erreurs[0]))
    resultat: QuerySet[Any] = filtre.qs
    return resultat


def _type(filtre: df.Filter) -> Any:
    if isinstance(filtre, df.UUIDFilter):
        return {"type": "string", "format": "uuid"}
    return str


def parametres_openapi(filtres: type[Filtres]) -> list[OpenApiParameter]:
    """One OpenAPI query parameter per filter (closed lists as enums, French descriptions)."""
    parametres = []
    for nom, filtre in filtres.base_filters.items():
        choix = _choix(filtre)
        description = str(filtre.label or nom)
        if _multiple(filtre):
            description += " (répétable : l'une des valeurs)"
        parametres.append(
            OpenApiParameter(
                nom,
                _type(filtre),
                OpenApiParameter.QUERY,
                required=False,
                enum=choix,
                many=_multiple(filtre) or None,
                description=description,
            )
        )
    return parametres
