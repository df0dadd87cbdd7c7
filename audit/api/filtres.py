"""Search filters of the auditor API (django-filter): invalid values give a JSON 400."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import django_filters as df
from django.db.models import QuerySet, TextChoices

from audit.enums import ActionAcces, Motif, Raison, Resultat
from audit.models import EvenementAcces
from socle.serializers import message_hors_liste

PARIS = ZoneInfo("Europe/Paris")


def _choix(enum: type[TextChoices]) -> df.ChoiceFilter:
    """A closed-list filter whose error names the allowed values (as every closed list does)."""
    return df.ChoiceFilter(
        choices=enum.choices, error_messages={"invalid_choice": message_hors_liste(enum.values)}
    )


def _debut_du_jour(jour: dt.date) -> dt.datetime:
    return dt.datetime.combine(jour, dt.time.min, tzinfo=PARIS)


class EvenementFiltre(df.FilterSet):
    utilisateur = df.UUIDFilter(field_name="utilisateur_id")
    organisation = df.UUIDFilter(field_name="organisation_id")
    type_objet = df.CharFilter(field_name="type_objet", max_length=60)
    objet_id = df.CharFilter(field_name="objet_id", max_length=64)
    personne = df.UUIDFilter(field_name="personne_id")
    action = _choix(ActionAcces)
    resultat = _choix(Resultat)
    motif = _choix(Motif)
    raison = _choix(Raison)
    du = df.DateFilter(method="filtrer_du", label="du (jour inclus, heure de Paris)")
    au = df.DateFilter(method="filtrer_au", label="au (jour inclus, heure de Paris)")
    seq_min = df.NumberFilter(field_name="seq", lookup_expr="gte", min_value=0)

    class Meta:
        model = EvenementAcces
        fields: list[str] = []

    def filtrer_du(
        self, queryset: QuerySet[EvenementAcces], name: str, value: dt.date
    ) -> QuerySet[EvenementAcces]:
        return queryset.filter(horodatage__gte=_debut_du_jour(value))

    def filtrer_au(
        self, queryset: QuerySet[EvenementAcces], name: str, value: dt.date
    ) -> QuerySet[EvenementAcces]:
        return queryset.filter(horodatage__lt=_debut_du_jour(value + dt.timedelta(days=1)))


class ConsultationFiltre(df.FilterSet):
    type_objet = df.CharFilter(field_name="type_objet", max_length=60)
    du = df.DateFilter(method="filtrer_du")
    au = df.DateFilter(method="filtrer_au")

    class Meta:
        model = EvenementAcces
        fields: list[str] = []

    filtrer_du = EvenementFiltre.filtrer_du
    filtrer_au = EvenementFiltre.filtrer_au
