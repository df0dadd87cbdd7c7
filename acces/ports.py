"""The port through which ``acces`` reaches the access log and the change log.

``acces`` sits below ``audit`` and imports nothing from it (contract ``couches`` in
``pyproject.toml``). What it needs from there is this small interface, which ``audit`` installs
at start-up (``AuditConfig.ready``): security events, refusals, the change-log-aware update and
the request being served.

Fail closed: until an implementation is installed, every operation raises
:class:`JournalNonInstalle`. None of them has a correct no-op: the first two write the log; the
update without the change log would write rows the change log never sees; and
``requete_courante`` decides whether a decryption failure is logged, so a silent ``None`` would
drop the event.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from django.db import models
from django.http import HttpRequest

from acces.evenements import ActionAcces


class JournalNonInstalle(RuntimeError):
    """``acces`` was used before ``audit`` installed its journal (start-up or settings bug)."""


class EvenementConsigne(Protocol):
    """An event appended to the access log: its place in the chain."""

    @property
    def seq(self) -> int: ...


class Journal(Protocol):
    """What ``acces`` needs from ``audit`` (implemented by ``audit.journal.JournalAudit``)."""

    def evenement_securite(
        self,
        raison: str,
        *,
        request: Any = None,
        action: str = ActionAcces.SECURITE,
        type_objet: str = "",
        objet_id: uuid.UUID | str | None = None,
        utilisateur: Any = None,
        refuse: bool = True,
    ) -> EvenementConsigne: ...

    def refus(
        self, request: Any, type_objet: str, objet_id: uuid.UUID | str | None, raison: str
    ) -> EvenementConsigne: ...

    def mettre_a_jour(self, queryset: models.QuerySet[Any], **valeurs: Any) -> int: ...

    def requete_courante(self) -> HttpRequest | None: ...


_installe: Journal | None = None


def installer(journal: Journal) -> None:
    """Install the implementation (``AuditConfig.ready``); the last one installed wins."""
    global _installe  # one process-wide implementation, set at start-up
    _installe = journal


def actif() -> Journal:
    """The installed implementation, else :class:`JournalNonInstalle`."""
    if _installe is None:
        raise JournalNonInstalle("le journal des accès n'est pas installé (application audit)")
    return _installe


def consigner_evenement_securite(
    raison: str,
    *,
    request: Any = None,
    action: str = ActionAcces.SECURITE,
    type_objet: str = "",
    objet_id: uuid.UUID | str | None = None,
    utilisateur: Any = None,
    refuse: bool = True,
) -> EvenementConsigne:
    """Logins, failed logins, grants, decryption failures, alerts (``audit.journal``)."""
    return actif().evenement_securite(
        raison,
        request=request,
        action=action,
        type_objet=type_objet,
        objet_id=objet_id,
        utilisateur=utilisateur,
        refuse=refuse,
    )


def consigner_refus(
    request: Any, type_objet: str, objet_id: uuid.UUID | str | None, raison: str
) -> EvenementConsigne:
    """A denied attempt, with the object tried."""
    return actif().refus(request, type_objet, objet_id, raison)


def mettre_a_jour(queryset: models.QuerySet[Any], **valeurs: Any) -> int:
    """``queryset.update(**valeurs)`` that the change log sees (one save per row)."""
    return actif().mettre_a_jour(queryset, **valeurs)


def requete_courante() -> HttpRequest | None:
    """The request being served, or ``None`` in a command or a task."""
    return actif().requete_courante()
