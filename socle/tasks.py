"""Plumbing tasks and the decorators every app uses for its own tasks.

Task arguments are opaque identifiers only (checked by ``socle.outbox.enqueue``); task bodies
call services, which reload what they need from the database.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from socle import outbox
from socle.models import BattementWorker, TacheExecutee

logger = logging.getLogger("socle.tasks")

# Transient failures worth retrying; anything else is a bug and fails at once.
# Database hiccups, and the mail server or network being away (OSError covers connection
# refusals and timeouts): the marker rolls back with the body, so a retry sends once.
ERREURS_TRANSITOIRES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    SMTPException,
    OSError,
)


def une_seule_fois(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task body at most once per outbox id, in one transaction with its marker.

    The marker row and the body's writes commit together: a crash or an exception rolls both
    back so a retry can run; a redelivery or a duplicate publication finds the marker and stops.
    Concurrent duplicates wait on the marker's primary key, then stop.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, outbox_id: str | None = None, **kwargs: Any) -> Any:
        if outbox_id is None:
            return func(*args, **kwargs)
        cle = uuid.UUID(str(outbox_id))
        with transaction.atomic():
            try:
                with transaction.atomic():
                    TacheExecutee.objects.create(id=cle, tache=func.__name__[:200])
            except IntegrityError:
                logger.info("tâche déjà exécutée, ignorée", extra={"outbox": str(cle)})
                return None
            return func(*args, **kwargs)

    wrapper.une_seule_fois = True  # type: ignore[attr-defined]  # read by convention tests
    return wrapper


def tache_idempotente(name: str, **options: Any) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    """Declare an idempotent task: acknowledged late, retried with backoff, run once per id.

    Only tasks wrapped in ``une_seule_fois`` may be acknowledged late: a redelivery after a
    worker crash must not repeat the effect.
    """
    defaults: dict[str, Any] = {
        "name": name,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": ERREURS_TRANSITOIRES,
        "retry_backoff": 5,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": 5,
    }

    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        task: Task[Any, Any] = shared_task(**{**defaults, **options})(une_seule_fois(func))
        return task

    return decorate


@shared_task(name="socle.relayer_outbox", ignore_result=True)
def relayer_outbox() -> int:
    """Periodic relay (beat): publishes what the commit-time attempt could not."""
    return outbox.relay_pending()


@tache_idempotente("socle.battement")
def battement(*, jeton: str | None = None) -> None:
    """Worker heartbeat, read by the health endpoint; keeps one day of rows."""
    BattementWorker.objects.get_or_create(id=uuid.UUID(jeton) if jeton else uuid.uuid4())
    BattementWorker.objects.filter(recu_le__lt=timezone.now() - timedelta(days=1)).delete()
