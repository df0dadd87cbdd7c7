"""Ending every session of an account at once.

Revocations already take effect on the account's next request (each request checks the
account, its habilitations and the session timeouts); deleting the server-side sessions as
well leaves nothing behind to replay, whatever a later bug in those checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone

from acces import ports
from acces.auth.models import JetonApi, SessionOuverte


def session_enregistrer(*, utilisateur: Any, cle_session: str | None) -> None:
    """Index a freshly opened session; forget the account's sessions that no longer exist."""
    if not cle_session:
        return
    existantes = Session.objects.values("session_key")
    SessionOuverte.objects.filter(utilisateur=utilisateur).exclude(
        cle_session__in=existantes
    ).delete()
    SessionOuverte.objects.update_or_create(
        cle_session=cle_session, defaults={"utilisateur": utilisateur}
    )


def session_oublier(cle_session: str | None) -> None:
    if cle_session:
        SessionOuverte.objects.filter(cle_session=cle_session).delete()


def sessions_fermer(*, utilisateur: Any, jetons: bool = True) -> int:
    """Delete every server-side session of the account (and revoke its API tokens).

    Returns the number of sessions deleted.
    """
    cles = list(
        SessionOuverte.objects.filter(utilisateur=utilisateur).values_list("cle_session", flat=True)
    )
    supprimees, _ = Session.objects.filter(session_key__in=cles).delete()
    SessionOuverte.objects.filter(utilisateur=utilisateur).delete()
    if jetons:
        ports.mettre_a_jour(
            JetonApi.objects.filter(utilisateur=utilisateur, revoque_le__isnull=True),
            revoque_le=timezone.now(),
        )
    return supprimees
