"""Only auditors reach the log; every other authenticated caller is refused and logged (D3)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from acces import politiques
from acces.perimetre import perimetre_de
from audit import journal
from audit.enums import Raison


class EstAuditeur(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if politiques.peut_auditer(perimetre_de(request.user)):
            return True
        journal.consigner_refus(request, "audit.evenements", None, Raison.ROLE_INSUFFISANT)
        return False
