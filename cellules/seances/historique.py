"""Change log (django-auditlog) of the meeting models.

The encrypted decision note is excluded; the place (short free text, which could name a home)
and the decision type, owner, deadline and orientation are masked entirely.
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance

    suivre(Seance, mask_fields=["lieu"])
    suivre(PointOrdreDuJour)
    suivre(Convocation)
    suivre(Presence)
    # Owner and deadline of a decision on a named person are case content, as for orientations.
    suivre(
        Decision,
        exclude_fields=["note"],
        mask_fields=["type", "organisation", "echeance", "orientation"],
    )
