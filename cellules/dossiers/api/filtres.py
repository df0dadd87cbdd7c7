"""Filters of the case list (``GET /api/v1/situations/``), applied to the restricted queryset.

A closed-list value whose information category the reader's organisation does not receive
(a judicial profile for a commune) is not offered to him: filtering on it would tell which
cases carry it. The same goes for ``mineur`` (identity).
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet

from acces.enums import CategorieInformation as Cat
from acces.models import Commune
from acces.perimetre import perimetre_de
from acces.politiques import peut_lire_categorie
from cellules.dossiers import selectors
from cellules.dossiers.categories import CATEGORIES_PROFILS
from cellules.dossiers.enums import Profil, StatutSituation
from cellules.dossiers.models import Situation
from cellules.dossiers.politiques import STATUTS_HORS_LECTURE
from noyau.filtres import Filtres, parametre_invalide

# Archived and purged cases are never in the list.
STATUTS_DE_LA_LISTE = [c for c in StatutSituation.choices if c[0] not in STATUTS_HORS_LECTURE]
OUI_NON = [("true", "oui"), ("false", "non")]


class SituationFiltre(Filtres):
    commune = df.ModelChoiceFilter(
        field_name="commune",
        queryset=Commune.objects.all(),
        label="commune de la situation (code INSEE)",
        error_messages={"invalid_choice": "Commune inconnue : code INSEE attendu."},
    )
    cellule = df.UUIDFilter(field_name="cellule_id", label="cellule (identifiant)")
    statut = df.MultipleChoiceFilter(choices=STATUTS_DE_LA_LISTE, label="statut de la situation")
    profil = df.MultipleChoiceFilter(
        choices=Profil.choices,
        method="filtrer_profils",
        label="profil (parmi ceux que votre organisation reçoit)",
    )
    referent = df.UUIDFilter(field_name="referent_id", label="référent (identifiant du compte)")
    mineur = df.ChoiceFilter(
        choices=OUI_NON, method="filtrer_mineur", label="personne mineure aujourd'hui"
    )

    class Meta:
        model = Situation
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        perimetre = perimetre_de(self.request.user)
        self.choix_permis(
            "profil",
            [p for p, c in CATEGORIES_PROFILS.items() if peut_lire_categorie(perimetre, c)],
        )

    def filtrer_profils(
        self, queryset: QuerySet[Situation], name: str, value: list[str]
    ) -> QuerySet[Situation]:
        return selectors.situations_avec_profil(queryset, list(value))

    def filtrer_mineur(
        self, queryset: QuerySet[Situation], name: str, value: str
    ) -> QuerySet[Situation]:
        if not peut_lire_categorie(perimetre_de(self.request.user), Cat.IDENTITE):
            raise parametre_invalide(
                "mineur", "Filtre indisponible : votre organisation ne reçoit pas l'identité."
            )
        return selectors.situations_selon_minorite(queryset, value == "true")
