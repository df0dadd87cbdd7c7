"""Change log (django-auditlog) of the meeting models.

The encrypted decision note is excluded; the place (short free text, which could name a home)
and the decision type are masked entirely.
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance

    suivre(Seance, mask_fields=["lieu"])
    suivre(PointOrdreDuJour)
    suivre(Convocation)
    suivre(Presence)
    suivre(Decision, exclude_fields=["note"], mask_fields=["type"])
