"""DRF authentication: MFA-verified sessions with server-side timeouts, and Bearer API tokens.

Both check, on every request, that the account is active and holds an active habilitation, so a
deactivation or a revocation takes effect on the next request (ASVS 7.4.2, 8.3.2).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.request import Request

from acces.auth.models import JetonApi
from acces.models import Habilitation

# Session entries, as Unix timestamps (the session serializer is JSON).
CLE_CONNEXION = "acces.connexion_le"
CLE_ACTIVITE = "acces.activite_le"
CLE_OTP = "acces.otp_verifie_le"

DUREE_ABSOLUE_DEFAUT = 12 * 3600
INACTIVITE_DEFAUT = 15 * 60
RAFRAICHISSEMENT_ACTIVITE = 60

Authentifie = tuple[Any, Any]


def maintenant() -> float:
    return timezone.now().timestamp()


def duree_absolue() -> int:
    return int(getattr(settings, "SESSION_COOKIE_AGE", DUREE_ABSOLUE_DEFAUT))


def inactivite_max() -> int:
    return int(getattr(settings, "SESSION_INACTIVITE_MAX", INACTIVITE_DEFAUT))


def a_une_habilitation_active(user: Any) -> bool:
    """An active habilitation, and an organisation that has not been deactivated."""
    return (
        Habilitation.objects.actives()
        .filter(utilisateur_id=user.pk)
        .exclude(utilisateur__organisation__active=False)
        .exists()
    )


def session_valide(session: SessionBase) -> bool:
    """Idle and absolute timeouts, checked on the server whatever the cookie says."""
    connexion = session.get(CLE_CONNEXION)
    activite = session.get(CLE_ACTIVITE)
    if not isinstance(connexion, (int, float)) or not isinstance(activite, (int, float)):
        return False
    instant = maintenant()
    return instant - connexion <= duree_absolue() and instant - activite <= inactivite_max()


class SessionMfaAuthentication(SessionAuthentication):
    """Session authentication that requires django-otp verification and enforces timeouts.

    A password-only session (``mfa_pending``) is not authenticated. An expired session is
    flushed on the server, so replaying its cookie later fails too.
    """

    def authenticate(self, request: Request) -> Authentifie | None:
        django_request = request._request
        user = getattr(django_request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        session = django_request.session
        est_verifie = getattr(user, "is_verified", None)
        if not callable(est_verifie) or not est_verifie():
            return None
        if not session_valide(session) or not a_une_habilitation_active(user):
            session.flush()
            return None
        self.enforce_csrf(request)
        instant = maintenant()
        # Rewriting the session costs a write per request: refresh the activity once a minute,
        # which keeps the idle timeout within a minute of its setting.
        if instant - session[CLE_ACTIVITE] >= RAFRAICHISSEMENT_ACTIVITE:
            session[CLE_ACTIVITE] = instant
        return (user, None)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def empreinte_jeton(valeur: str) -> str:
    return hashlib.sha256(valeur.encode("utf-8")).hexdigest()


class JetonAuthentication(BaseAuthentication):
    """``Authorization: Bearer <jeton>``; issued after MFA, so it counts as verified."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> Authentifie | None:
        morceaux = get_authorization_header(request).split()
        if not morceaux or morceaux[0].lower() != self.keyword:
            return None
        if len(morceaux) != 2 or len(morceaux[1]) > 128:
            raise self._echec()
        try:
            valeur = morceaux[1].decode("ascii")
        except UnicodeDecodeError:
            raise self._echec() from None
        jeton = (
            JetonApi.objects.valides()
            .select_related("utilisateur")
            .filter(hash=empreinte_jeton(valeur))
            .first()
        )
        if jeton is None:
            raise self._echec()
        user = jeton.utilisateur
        if not user.is_active or not a_une_habilitation_active(user):
            raise self._echec()
        # Usage timestamp only: kept out of the change log on purpose (one row per request).
        JetonApi.objects.filter(pk=jeton.pk).update(dernier_usage=timezone.now())
        user.__dict__.update(otp_device=None, is_verified=_toujours_vrai)
        return (user, jeton)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'

    @staticmethod
    def _echec() -> exceptions.AuthenticationFailed:
        return exceptions.AuthenticationFailed()


def _toujours_vrai() -> bool:
    return True
