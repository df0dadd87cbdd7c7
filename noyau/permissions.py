"""Gate of the personal-data routes: the ``acces`` rule, plus a trace of every refusal."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from acces.api.permissions import DonneesPersonnelles
from audit import journal
from audit.enums import Raison
from socle.errors import ApiError


class AccesDonneesTrace(BasePermission):
    """``DonneesPersonnelles`` (operational role + charter accepted); refusals are logged."""

    def has_permission(self, request: Request, view: Any) -> bool:
        type_objet = getattr(view, "type_objet", "")
        try:
            autorise = DonneesPersonnelles().has_permission(request, view)
        except ApiError:
            journal.consigner_refus(request, type_objet, None, Raison.CHARTE_NON_ACCEPTEE)
            raise
        if not autorise:
            journal.consigner_refus(request, type_objet, None, Raison.ROLE_INSUFFISANT)
        return autorise
