"""DRF permission classes; each one asks :mod:`acces.politiques`."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from acces import politiques
from acces.models import Utilisateur
from acces.perimetre import perimetre_de
from acces.selectors import charte_acceptee
from socle.errors import ApiError


class EstAdministrateur(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return politiques.peut_administrer(perimetre_de(request.user))


class AdministrateurPourEcrire(BasePermission):
    """Reads for every authenticated user (scoped by the queryset); writes for the IT admin."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return politiques.peut_administrer(perimetre_de(request.user))


class PeutExclure(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return politiques.peut_exclure(perimetre_de(request.user))


class DonneesPersonnelles(BasePermission):
    """Gate of every personal-data route: an operational role and the charter accepted."""

    def has_permission(self, request: Request, view: Any) -> bool:
        perimetre = perimetre_de(request.user)
        if not politiques.peut_lire_donnees_personnelles(perimetre):
            return False
        user = request.user
        assert isinstance(user, Utilisateur)
        if not charte_acceptee(user):
            raise ApiError(
                403,
                "charte_non_acceptee",
                "Acceptez la charte de confidentialité en vigueur avant tout accès aux données.",
            )
        return True
