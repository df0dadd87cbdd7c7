from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from socle import outbox
from socle.models import BattementWorker, TacheExecutee


def une_seule_fois(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task body at most once per outbox id, in one transaction with its marker."""

    @functools.wraps(func)
    def wrapper(*args: Any, outbox_id: str | None = None, **kwargs: Any) -> Any:
        if outbox_id is None:
            return func(*args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    TacheExecutee.objects.create(id=uuid.UUID(outbox_id), tache=func.__name__)
            except IntegrityError:
                return None  # already executed: redelivery or duplicate publication
            return func(*args, **kwargs)

    return wrapper


@shared_task(name="socle.relayer_outbox", ignore_result=True)
def relayer_outbox() -> int:
    return outbox.relay_pending()


@shared_task(
    name="socle.battement",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
@une_seule_fois
def battement(*, jeton: str | None = None) -> None:
    """Worker heartbeat, read by the health endpoint; keeps one day of rows."""
    BattementWorker.objects.get_or_create(id=uuid.UUID(jeton) if jeton else uuid.uuid4())
    BattementWorker.objects.filter(recu_le__lt=timezone.now() - timedelta(days=1)).delete()
