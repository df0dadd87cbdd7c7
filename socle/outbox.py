"""Transactional outbox: tasks survive a broker outage.

A write calls :func:`enqueue` inside its transaction; the row commits with the change, or not at
all. After the commit the message is published at once if the broker answers; otherwise the
periodic relay (``socle.relayer_outbox``, Celery beat) publishes it later, with backoff. Tasks get
the outbox id as their Celery id and as ``outbox_id`` (idempotency key, see ``une_seule_fois``).
Written here rather than taken from a package: the maintained ones either publish on commit only
(losing the task when the broker is down) or need a separate relay process we would not run.

Delivery is at least once: a crash between publishing and marking the row sent publishes the
message again, which idempotent tasks absorb.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu import Connection

from socle.models import OutboxMessage

logger = logging.getLogger("socle.outbox")

# Opaque identifiers only: UUIDs, integers, short machine codes. Never names or free text.
_IDENTIFIANT = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_TACHE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


class ArgumentNonOpaque(ValueError):
    """A task argument that is not an opaque identifier (personal data could leak to Redis)."""


def _opaque(key: str, value: object) -> str | int:
    if isinstance(value, uuid.UUID):
        return str(value)
    # bool is an int subclass; floats, dicts, lists and None are refused too.
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ArgumentNonOpaque(key)
    if isinstance(value, str) and not _IDENTIFIANT.fullmatch(value):
        raise ArgumentNonOpaque(key)
    return value


def verifier_arguments(arguments: Mapping[str, object]) -> dict[str, str | int]:
    """Return the arguments as JSON-ready opaque ids, or raise :class:`ArgumentNonOpaque`."""
    clean: dict[str, str | int] = {}
    for key, value in arguments.items():
        if not _IDENTIFIANT.fullmatch(key) or key == "outbox_id":
            raise ArgumentNonOpaque(key)
        clean[key] = _opaque(key, value)
    return clean


def enqueue(
    tache: str, arguments: Mapping[str, object] | None = None, /, **kwargs: object
) -> OutboxMessage:
    """Record a task in the current transaction; it is published after commit.

    Arguments are checked before anything is written, so a refused call leaves no row. The task
    receives them plus ``outbox_id``: declare it with ``socle.tasks.tache_idempotente``.
    """
    if not _TACHE.fullmatch(tache):
        raise ArgumentNonOpaque("tache")
    clean = verifier_arguments({**(arguments or {}), **kwargs})
    message = OutboxMessage.objects.create(tache=tache, arguments=clean)
    # robust: the write is committed whatever happens here; the relay retries later.
    transaction.on_commit(lambda: relay_one(message.pk), robust=True)
    return message


def _connexion() -> AbstractContextManager[Connection | None]:
    """A fresh, fail-fast connection: a request must not wait on a dead broker.

    None when tasks run eagerly (embedded default): nothing goes through a broker then.
    ``current_app`` is the project's app (``config/celery.py`` sets it as the default of every
    thread): socle imports nothing from ``config``.
    """
    if current_app.conf.task_always_eager:
        return nullcontext(None)
    delai = settings.OUTBOX_DELAI_CONNEXION
    conn: Connection = current_app.connection_for_write(
        connect_timeout=delai,
        transport_options={"socket_timeout": delai, "socket_connect_timeout": delai},
    )
    return conn


class TacheInconnue(LookupError):
    """No registered task of that name in this deployment."""


def _tache(nom: str) -> Task[Any, Any] | None:
    if nom not in current_app.tasks:
        # Task modules are discovered lazily; a web process may not have imported them yet.
        current_app.loader.import_default_modules()
    return current_app.tasks.get(nom)


def _publish(message: OutboxMessage, conn: Connection | None) -> None:
    kwargs = {**message.arguments, "outbox_id": str(message.pk)}
    task_id = str(message.pk)
    task = _tache(message.tache)
    if task is None:
        # A worker drops a task it does not know: the message waits here until the app that
        # consumes it is deployed (e.g. the hand-off of a transaction to ``tig``).
        raise TacheInconnue(message.tache)
    # apply_async, not send_task: honours task options and eager mode; the stubs omit
    # the ``connection`` option that Celery forwards to send_task.
    task.apply_async(kwargs=kwargs, task_id=task_id, retry=False, connection=conn)  # type: ignore[call-arg]


def _backoff(tentatives: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** min(tentatives, 10)))


def _echec(message: OutboxMessage, exc: BaseException) -> None:
    message.tentatives += 1
    message.derniere_erreur = type(exc).__name__[:200]
    message.prochain_essai = timezone.now() + _backoff(message.tentatives)
    message.save(update_fields=["tentatives", "derniere_erreur", "prochain_essai"])
    logger.warning(
        "publication impossible, message conservé pour le relais",
        extra={"outbox": str(message.pk), "tentatives": message.tentatives},
    )


def _try(message: OutboxMessage, conn: Connection | None) -> bool | None:
    """True: published; False: the broker failed; None: this message only must wait."""
    try:
        if conn is not None and not conn.connected:
            conn.ensure_connection(max_retries=0, timeout=settings.OUTBOX_DELAI_CONNEXION)
        _publish(message, conn)
    except TacheInconnue as exc:
        _echec(message, exc)
        return None
    except Exception as exc:  # noqa: BLE001 - any failure keeps the row for the next relay
        _echec(message, exc)
        return False
    message.envoye_le = timezone.now()
    message.save(update_fields=["envoye_le"])
    return True


def relay_one(message_id: uuid.UUID) -> bool:
    """Publish one message now if nobody else is; used right after commit."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, envoye_le__isnull=True)
            .first()
        )
        if message is None:
            return False
        with _connexion() as conn:
            return bool(_try(message, conn))


def _relay_batch(limit: int) -> tuple[int, bool]:
    sent = 0
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(envoye_le__isnull=True, prochain_essai__lte=timezone.now())
            .order_by("prochain_essai", "cree_le")[:limit]
        )
        if not batch:
            return 0, False
        with _connexion() as conn:
            for message in batch:
                publie = _try(message, conn)
                if publie is False:
                    return sent, False  # broker down: the rest waits for the next run
                sent += int(bool(publie))
    return sent, len(batch) == limit


def relay_pending(limit: int | None = None, lots_max: int = 50) -> int:
    """Publish due messages, batch by batch; stops at the first broker failure.

    Returns how many messages were sent. Each batch commits on its own so a crash loses no
    bookkeeping already done; concurrent relays skip each other's locked rows.
    """
    sent = 0
    for _ in range(lots_max):
        count, more = _relay_batch(limit or settings.OUTBOX_LOT)
        sent += count
        if not more:
            break
    return sent


def en_attente() -> int:
    """Messages written but not yet handed to the broker."""
    return OutboxMessage.objects.filter(envoye_le__isnull=True).count()
