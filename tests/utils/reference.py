"""Reference data that migrations load (communes, CISPD phases, category matrix, content types).

A transactional test ends with a flush that empties these tables; the suite puts them back so
that every later test, and the next run on a reused database, finds them.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS

CHARGEURS = (
    "acces.migrations.0002_communes_dijon_metropole",
    "acces.migrations.0004_matrice_categories_defaut",
    "acces.migrations.0013_ressorts_reference",
    "cispd.migrations.0002_phases",
)


def recharger() -> None:
    """Idempotent: content types and permissions, then each data migration's loader."""
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    for module in CHARGEURS:
        importlib.import_module(module).charger(apps, None)
    ContentType.objects.clear_cache()
