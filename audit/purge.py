"""Retention purge of the access log (D10), the one documented way to delete events.

In one transaction: find the last event older than ``AUDIT_RETENTION_JOURS``, write a signed
``sceau`` checkpoint of it (fsync, outside the database), then delete the prefix up to it through
the ``audit_purger`` function (PostgreSQL: SECURITY DEFINER, owned by the schema owner, since the
application role holds no DELETE on the log), which the trigger lets through for rows older than
180 days only.
Verification then resumes from the seal. Running it twice deletes nothing more; concurrent
appends are not blocked (only old rows are touched).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from audit import expedition, points
from audit.models import EvenementAcces

logger = logging.getLogger("audit.purge")

RETENTION_MIN_JOURS = 180  # CNIL: access logs are kept at least six months


@dataclass(frozen=True)
class ResultatPurge:
    supprimes: int
    jusqu_a: int | None
    essai: bool


def retention_jours() -> int:
    jours = int(settings.AUDIT_RETENTION_JOURS)
    if not RETENTION_MIN_JOURS <= jours <= 3 * 366:
        raise ImproperlyConfigured("AUDIT_RETENTION_JOURS doit être entre 180 jours et 3 ans")
    return jours


@transaction.atomic
def purger(*, essai: bool = False) -> ResultatPurge:
    """Delete the sealed prefix older than the retention; ``essai`` only counts."""
    limite = timezone.now() - timedelta(days=retention_jours())
    anciens = EvenementAcces.objects.filter(horodatage__lt=limite).order_by("-seq")
    expedie = expedition.expedie_jusqu_a()
    if expedie is not None:
        # Never delete what the external sink has not received yet (D12).
        anciens = anciens.filter(seq__lte=expedie)
    dernier = anciens.values_list("seq", "hash").first()
    if dernier is None:
        return ResultatPurge(0, None, essai)
    seq, hash_ = dernier
    if essai:
        return ResultatPurge(EvenementAcces.objects.filter(seq__lte=seq).count(), seq, True)
    points.ecrire(points.SCEAU, seq, hash_)
    if connection.vendor == "postgresql":
        # The application role may not DELETE from the log: the owner's function does it,
        # within the 180-day floor whatever it is asked (migration 0003).
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_purger(%s, %s)", [seq, limite])
            supprimes = int(cursor.fetchone()[0])
    else:
        supprimes, _ = EvenementAcces.objects.filter(seq__lte=seq).delete()
    logger.info("audit_purge", extra={"jusqu_a": seq, "supprimes": supprimes})
    return ResultatPurge(supprimes, seq, False)
