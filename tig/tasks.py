"""Tasks of the ``tig`` app: opaque ids in, services do the work."""

from __future__ import annotations

import uuid

from socle.tasks import tache_idempotente
from tig import services

TACHE_MESURE_DEPUIS_TRANSACTION = "tig.mesure_depuis_transaction"


@tache_idempotente(TACHE_MESURE_DEPUIS_TRANSACTION)
def mesure_depuis_transaction(*, transaction_id: str) -> str | None:
    """Create the measure of an homologated transaction (once, whatever the deliveries)."""
    mesure = services.mesure_depuis_transaction(transaction_id=uuid.UUID(str(transaction_id)))
    return None if mesure is None else str(mesure.pk)
