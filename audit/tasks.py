"""Periodic jobs of the audit app (Celery beat); arguments are opaque ids and counts only."""

from __future__ import annotations

import logging

from celery import shared_task

from audit import anomalies, expedition, journal, notifications, points, purge, verification
from audit.enums import Raison
from socle.outbox import enqueue
from socle.tasks import tache_idempotente

logger = logging.getLogger("audit.tasks")


@shared_task(name="audit.point_de_controle", ignore_result=True)
def point_de_controle() -> int:
    return points.ecrire_tete().seq


@shared_task(name="audit.anomalies", ignore_result=True)
def detecter_anomalies() -> int:
    return len(anomalies.detecter())


@shared_task(name="audit.expedition", ignore_result=True)
def expedier() -> int:
    """Copy the new access events to the external syslog sink (D12); ids and counts only."""
    return expedition.expedier().envoyes


@shared_task(name="audit.purge", ignore_result=True)
def purger() -> int:
    return purge.purger().supprimes


@shared_task(name="audit.verification", ignore_result=True)
def verifier() -> bool:
    """A broken chain becomes a security event and an alert to the auditors (D11)."""
    rapport = verification.verifier()
    if not rapport.ok:
        logger.error(
            "audit_verification_echec",
            extra={"seq": rapport.premier_seq_invalide, "raison": rapport.raison},
        )
        evenement = journal.consigner_evenement_securite(Raison.VERIFICATION_CHAINE)
        enqueue("audit.notifier_alertes", premier_seq=evenement.seq, nombre=1)
    return rapport.ok


@tache_idempotente("audit.notifier_alertes")
def notifier_alertes(*, premier_seq: int, nombre: int) -> int:
    return notifications.notifier_alertes(premier_seq, nombre)
