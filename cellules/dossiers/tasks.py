"""Daily retention job of the cases (Celery beat): no arguments, counts only in the result."""

from __future__ import annotations

from celery import shared_task

from cellules.dossiers.purge import purger_situations as purger


@shared_task(name="cellules.purger_situations", ignore_result=True)
def purger_situations() -> dict[str, int]:
    """Idempotent: a second run the same day finds nothing left to do."""
    return purger().comptes()
