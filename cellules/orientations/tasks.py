"""Periodic job of the orientations (Celery beat): overdue notices, ids only."""

from __future__ import annotations

from celery import shared_task

from cellules.orientations import services


@shared_task(name="cellules.orientations_en_retard", ignore_result=True)
def orientations_en_retard() -> int:
    """Idempotent per day: a second run the same day creates nothing."""
    return services.orientations_en_retard_notifier()
