"""Reads of the access log, for auditors only (the views check the role first)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from acces.models import Organisation, Utilisateur
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


class Annuaire:
    """Display names of the staff accounts and organisations named by log rows.

    Staff are not data subjects: an auditor turns the ids of the log into who did what. One
    query per kind for the ids not looked up yet, however many rows share them.
    """

    def __init__(self) -> None:
        self.comptes: dict[uuid.UUID, str] = {}
        self.organisations: dict[uuid.UUID, str] = {}
        # Ids already looked up, found or not (a deleted account is not looked up again).
        self._comptes_cherches: set[uuid.UUID] = set()
        self._organisations_cherchees: set[uuid.UUID] = set()

    def completer(
        self, utilisateurs: Iterable[uuid.UUID | None], organisations: Iterable[uuid.UUID | None]
    ) -> Annuaire:
        comptes = {pk for pk in utilisateurs if pk is not None} - self._comptes_cherches
        autres = {pk for pk in organisations if pk is not None} - self._organisations_cherchees
        self._comptes_cherches |= comptes
        self._organisations_cherchees |= autres
        if comptes:
            for pk, prenom, nom, identifiant in Utilisateur.objects.filter(
                pk__in=comptes
            ).values_list("pk", "first_name", "last_name", "username"):
                self.comptes[pk] = f"{prenom} {nom}".strip() or identifiant
        if autres:
            # A reference list, not personal data: every organisation a log row names.
            self.organisations |= dict(
                Organisation.objects.filter(pk__in=autres).values_list("pk", "nom")
            )
        return self

    def completer_evenements(self, evenements: Iterable[EvenementAcces]) -> Annuaire:
        lignes = list(evenements)
        return self.completer(
            (e.utilisateur_id for e in lignes), (e.organisation_id for e in lignes)
        )

    def compte(self, pk: uuid.UUID | None) -> str | None:
        return None if pk is None else self.comptes.get(pk)

    def organisation(self, pk: uuid.UUID | None) -> str | None:
        return None if pk is None else self.organisations.get(pk)
