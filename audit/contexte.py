"""Who is acting, from where, in which request: shared by the access log and the change log.

The client address is taken from ``X-Forwarded-For`` only when the direct peer is one of
``PROXIES_DE_CONFIANCE`` (the last entry, the one that proxy appended); otherwise from
``REMOTE_ADDR``. Never from auditlog's own middleware, which trusts any forwarded header.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from acces.models import Utilisateur
from acces.perimetre import perimetre_de
from audit.chaine import normaliser_ip
from socle.context import current_request_id


@dataclass(frozen=True)
class Acteur:
    utilisateur_id: uuid.UUID | None
    roles: str
    organisation_id: uuid.UUID | None
    adresse_ip: str | None
    request_id: str


def adresse_client(request: HttpRequest | Any) -> str | None:
    """Validated client address, trusting ``X-Forwarded-For`` from configured proxies only."""
    meta = getattr(request, "META", {})
    distante = str(meta.get("REMOTE_ADDR", ""))
    transmise = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
    if transmise and distante in settings.PROXIES_DE_CONFIANCE:
        return normaliser_ip(transmise.split(",")[-1])
    return normaliser_ip(distante)


def acteur_de(request: HttpRequest | Any | None, utilisateur: Any = None) -> Acteur:
    """The acting account of a request (DRF or Django) or of a task (``utilisateur``)."""
    user = utilisateur if utilisateur is not None else getattr(request, "user", None)
    perimetre = perimetre_de(user)
    utilisateur_id = user.pk if isinstance(user, Utilisateur) else None
    return Acteur(
        utilisateur_id=utilisateur_id,
        roles=",".join(sorted(perimetre.roles)),
        organisation_id=perimetre.organisation_id,
        adresse_ip=adresse_client(request) if request is not None else None,
        request_id=(current_request_id() or "")[:64],
    )


# The request being served (set by the middleware) or the account a task acts for.
_requete: ContextVar[HttpRequest | None] = ContextVar("audit_requete", default=None)
_acteur_tache: ContextVar[Utilisateur | None] = ContextVar("audit_acteur_tache", default=None)


def requete_courante() -> HttpRequest | None:
    return _requete.get()


def utilisateur_courant() -> Utilisateur | None:
    """The authenticated account of the current request or task, if any."""
    tache = _acteur_tache.get()
    if tache is not None:
        return tache
    requete = _requete.get()
    user = getattr(requete, "user", None) if requete is not None else None
    if isinstance(user, Utilisateur) and user.is_authenticated:
        return user
    return None


@contextmanager
def agir_pour(utilisateur: Utilisateur) -> Iterator[None]:
    """Attribute the change-log entries written by a task to ``utilisateur``."""
    jeton = _acteur_tache.set(utilisateur)
    try:
        yield
    finally:
        _acteur_tache.reset(jeton)


class ContexteAuditMiddleware:
    """Remember the request so that change-log entries get actor, address and request id.

    DRF authenticates inside the view and copies the user onto the Django request, so the
    actor is read when the entry is saved, not here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        jeton = _requete.set(request)
        try:
            return self.get_response(request)
        finally:
            _requete.reset(jeton)
