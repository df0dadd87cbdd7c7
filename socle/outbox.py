"""Transactional outbox: tasks survive a broker outage.

A write calls :func:`enqueue` inside its transaction; the row commits with the change. After the
commit the message is published at once if the broker answers; otherwise the periodic relay
publishes it later, with backoff. Tasks get the outbox id as their Celery id (idempotency key).
Written here rather than taken from a package: the maintained ones either publish on commit only
(losing the task when the broker is down) or need a separate relay process we would not run.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from socle.models import OutboxMessage

logger = logging.getLogger("socle.outbox")

# Opaque identifiers only: UUIDs, integers, short machine codes. Never names or free text.
_IDENTIFIANT = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError, TimeoutError)


class ArgumentNonOpaque(ValueError):
    pass


def _check_arguments(arguments: dict[str, object]) -> dict[str, str | int]:
    clean: dict[str, str | int] = {}
    for key, value in arguments.items():
        if isinstance(value, uuid.UUID):
            clean[key] = str(value)
        elif isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ArgumentNonOpaque(key)
        elif isinstance(value, str) and not _IDENTIFIANT.match(value):
            raise ArgumentNonOpaque(key)
        else:
            clean[key] = value
    return clean


def enqueue(tache: str, **arguments: object) -> OutboxMessage:
    """Record a task in the current transaction; it is published after commit."""
    message = OutboxMessage.objects.create(tache=tache, arguments=_check_arguments(arguments))
    transaction.on_commit(lambda: relay_one(message.pk))
    return message


def _publish(message: OutboxMessage) -> None:
    from config.celery import app

    kwargs = {**message.arguments, "outbox_id": str(message.pk)}
    task = app.tasks.get(message.tache)
    if task is not None:
        task.apply_async(kwargs=kwargs, task_id=str(message.pk), retry=False)
    else:
        app.send_task(message.tache, kwargs=kwargs, task_id=str(message.pk), retry=False)


def _backoff(tentatives: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** min(tentatives, 10)))


def _try(message: OutboxMessage) -> bool:
    try:
        _publish(message)
    except _BROKER_ERRORS as exc:
        message.tentatives += 1
        message.derniere_erreur = type(exc).__name__
        message.prochain_essai = timezone.now() + _backoff(message.tentatives)
        message.save(update_fields=["tentatives", "derniere_erreur", "prochain_essai"])
        logger.warning("courtier injoignable, message conservé", extra={"outbox": str(message.pk)})
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
        return _try(message)


def relay_pending(limit: int | None = None) -> int:
    """Publish due messages; stops at the first broker failure. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(envoye_le__isnull=True, prochain_essai__lte=timezone.now())
            .order_by("cree_le")[: limit or settings.OUTBOX_LOT]
        )
        for message in batch:
            if not _try(message):
                break
            sent += 1
    return sent
