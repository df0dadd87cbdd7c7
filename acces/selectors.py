"""Reads of the acces app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from acces.models import AcceptationCharte, AutorisationCategorie, Charte, Utilisateur


def charte_courante() -> Charte | None:
    return Charte.objects.filter(en_vigueur_le__lte=timezone.now()).order_by("-version").first()


def charte_acceptee(utilisateur: Utilisateur) -> bool:
    """True when the charter in force has been accepted; fails closed when none is in force."""
    courante = charte_courante()
    if courante is None:
        return False
    return AcceptationCharte.objects.filter(utilisateur=utilisateur, charte=courante).exists()


def matrice_categories() -> dict[str, list[str]]:
    matrice: dict[str, list[str]] = {}
    for type_organisation, categorie in AutorisationCategorie.objects.values_list(
        "type_organisation", "categorie"
    ):
        matrice.setdefault(type_organisation, []).append(categorie)
    return matrice


def utilisateurs() -> QuerySet[Utilisateur]:
    return Utilisateur.objects.select_related("organisation").order_by("username")
