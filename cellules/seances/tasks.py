"""Tasks of meetings: identifiers only in messages; bodies reload and re-check the rows."""

from __future__ import annotations

from celery import shared_task

from cellules.seances import envois, services
from socle.tasks import tache_idempotente


@tache_idempotente("cellules.seances.envoyer_convocation")
def envoyer_convocation(*, convocation_id: str, nature: str) -> int:
    """One convocation, reminder, rescheduling or cancellation e-mail (once per outbox id).

    A mail server away is retried; the last attempt records the failure on the convocation.
    """
    tache = envoyer_convocation
    dernier_essai = (tache.request.retries or 0) >= (tache.max_retries or 0)
    return envois.envoyer(convocation_id, nature, dernier_essai=dernier_essai)


@shared_task(name="cellules.seances.programmer_rappels", ignore_result=True)
def programmer_rappels() -> int:
    """Beat: enqueue the reminders of meetings starting soon (never a Celery ETA)."""
    return services.rappels_programmer()
