"""Change log (django-auditlog) of the meeting models; the encrypted decision note is excluded."""

from __future__ import annotations

from auditlog.registry import auditlog

from audit.changements import MASQUAGE


def enregistrer() -> None:
    from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance

    if auditlog.contains(Seance):
        return
    auditlog.register(Seance)
    auditlog.register(PointOrdreDuJour)
    auditlog.register(Convocation)
    auditlog.register(Presence)
    auditlog.register(
        Decision, exclude_fields=["note"], mask_fields=["type"], mask_callable=MASQUAGE
    )
