"""Wiring of the sub-package, called from ``CellulesConfig.ready``."""

from __future__ import annotations


def pret() -> None:
    # Celery's autodiscovery looks at ``<app>.tasks`` only: import the sub-package's tasks.
    from cellules.orientations import journal, tasks  # noqa: F401

    journal.enregistrer()
