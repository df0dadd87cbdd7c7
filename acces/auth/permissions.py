"""Permissions of the authentication routes, and the step-up check used by sensitive routes."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from acces.auth.models import JetonApi
from acces.auth.services import Verification, verification
from socle.errors import ApiError

MESSAGES_VERIFICATION = {
    Verification.ABSENTE: (
        "Cette action demande un code de vérification de moins de cinq minutes "
        "(POST /api/v1/auth/verification/ en session, en-tête X-OTP avec un jeton d'API)."
    ),
    Verification.CODE_INVALIDE: (
        "Le code de vérification de l'en-tête X-OTP est faux, expiré ou déjà utilisé : "
        "envoyez le code affiché maintenant par votre application."
    ),
    Verification.CLE_EXIGEE: (
        "Ce compte confirme les actions sensibles avec sa clé de sécurité, pas avec un code : "
        "en session, POST /api/v1/auth/verification/cle-securite/."
    ),
}


def exige_verification_recente(request: Request) -> None:
    """Step-up (ASVS 7.5.3): a TOTP code less than five minutes old, else 403.

    Session: ``POST /api/v1/auth/verification/`` refreshes the verification. Bearer token: send
    the current code in the ``X-OTP`` header of the request. The message says which case it is
    (no code, a wrong code, a security key required); the code stays ``verification_requise``.
    """
    etat = verification(request)
    if etat is not Verification.RECENTE:
        raise ApiError(403, "verification_requise", MESSAGES_VERIFICATION[etat])


class VerificationRecente(BasePermission):
    """Put after ``IsAuthenticated``: anonymous callers still get 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        exige_verification_recente(request)
        return True


class SessionUniquement(BasePermission):
    """Refuse Bearer tokens (a token never mints another token)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, JetonApi):
            raise ApiError(
                403, "session_requise", "Cette action demande une session, pas un jeton d'API."
            )
        return True
