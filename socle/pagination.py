"""Page-number pagination: ``page`` (from 1) and ``taille`` (capped), both strict.

A malformed ``page`` or ``taille`` is a 400 naming it (never silently the default); a page beyond
the last is a 404 that says the page does not exist (an empty list still has its page 1).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import InvalidPage
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from socle.errors import ApiError

_ENTIER = re.compile(r"[0-9]{1,9}")


def _entier(request: Request, nom: str, detail: str) -> int | None:
    valeurs = request.query_params.getlist(nom)
    if not valeurs:
        return None
    if len(valeurs) > 1:
        raise _invalide(nom, "Ce paramètre ne se donne qu'une seule fois.")
    brut = valeurs[0].strip()
    if not _ENTIER.fullmatch(brut) or int(brut) < 1:
        raise _invalide(nom, detail)
    return int(brut)


def _invalide(nom: str, detail: str) -> ApiError:
    return ApiError(
        400, "parametre_invalide", f"Paramètre de requête « {nom} » invalide.", {nom: [detail]}
    )


class Pagination(PageNumberPagination):
    """Stable page-number pagination; ``taille`` is capped."""

    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 200
    page_query_param = "page"
    last_page_strings = ()

    def get_page_size(self, request: Request) -> int:
        taille = _entier(
            request, "taille", f"Un entier de 1 à {self.max_page_size} (lignes par page)."
        )
        return self.page_size if taille is None else min(taille, self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        taille = self.get_page_size(request)
        numero = _entier(request, "page", "Un entier à partir de 1 (numéro de page).") or 1
        paginator = self.django_paginator_class(queryset, taille)
        try:
            self.page = paginator.page(numero)
        except InvalidPage:
            pages = paginator.num_pages
            raise ApiError(
                404,
                "page_introuvable",
                f"La page {numero} n'existe pas : la liste compte {pages} page"
                f"{'s' if pages > 1 else ''}.",
            ) from None
        return list(self.page)
