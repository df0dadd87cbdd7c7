"""Reads of the access log, for auditors only (the views check the role first)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from audit.enums import ACTIONS_LECTURE, Resultat
from audit.models import EvenementAcces

PARIS = ZoneInfo("Europe/Paris")


def evenements() -> QuerySet[EvenementAcces]:
    """Every event, in chain order (stable pagination)."""
    return EvenementAcces.objects.order_by("seq")


def volumes(
    evenements_filtres: QuerySet[EvenementAcces],
) -> QuerySet[EvenementAcces, dict[str, object]]:
    """Reads and refusals per user and local (Paris) day."""
    return (
        evenements_filtres.filter(utilisateur_id__isnull=False)
        .annotate(jour=TruncDate("horodatage", tzinfo=PARIS))
        .values("utilisateur_id", "jour")
        .annotate(
            lectures=Count("seq", filter=Q(action__in=ACTIONS_LECTURE, resultat=Resultat.AUTORISE)),
            refus=Count("seq", filter=Q(resultat=Resultat.REFUSE)),
        )
        .order_by("jour", "utilisateur_id")
    )


def consultations(objet_id: str) -> QuerySet[EvenementAcces]:
    """Who read this record or this person, when and why (GDPR access requests, E9): for a
    person, every read that disclosed him, whatever the object read (case, relevé, register
    entry, transaction, orientation…)."""
    return EvenementAcces.objects.filter(
        Q(objet_id=objet_id) | Q(personne_id=objet_id),
        action__in=ACTIONS_LECTURE,
        resultat=Resultat.AUTORISE,
    ).order_by("seq")
