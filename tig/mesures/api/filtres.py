"""Filters of the measure list (``GET /api/v1/mesures/``), applied to the restricted queryset."""

from __future__ import annotations

import django_filters as df

from noyau.filtres import Filtres
from tig.enums import NatureMesure, StatutMesure
from tig.models import Mesure


class MesureFiltre(Filtres):
    nature = df.MultipleChoiceFilter(choices=NatureMesure.choices, label="nature de la mesure")
    statut = df.MultipleChoiceFilter(choices=StatutMesure.choices, label="statut de la mesure")

    class Meta:
        model = Mesure
        fields: list[str] = []
