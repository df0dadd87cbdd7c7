"""Reads of reception sites, posts and activities, always through the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from acces.enums import Action, Role
from acces.perimetre import perimetre_de
from tig.accueil.models import Activite, Poste, PosteQuerySet, StructureAccueil
from tig.accueil.politiques import ROLES_GESTION, ROLES_LECTURE


def lit_accueil(user: Any) -> bool:
    """The caller holds a tig role (the others get 403 on these routes)."""
    return perimetre_de(user).a_role(*ROLES_LECTURE)


def gere_des_sites(user: Any) -> bool:
    """The caller may manage some sites: a manager of a ressort or a référent."""
    return perimetre_de(user).a_role(*ROLES_GESTION, Role.REFERENT_ACCUEIL)


def structures(user: Any, action: Action = Action.LIRE) -> QuerySet[StructureAccueil]:
    return (
        StructureAccueil.objects.restrict(user, action)
        .select_related("commune")
        .prefetch_related("referents")
    )


def structure(user: Any, pk: Any, action: Action = Action.LIRE) -> StructureAccueil | None:
    return structures(user, action).filter(pk=pk).first()


def postes(user: Any, action: Action = Action.LIRE) -> PosteQuerySet:
    return Poste.objects.restrict(user, action).select_related("structure", "commune", "activite")


def poste(user: Any, pk: Any, action: Action = Action.LIRE) -> Poste | None:
    return postes(user, action).filter(pk=pk).first()


def postes_eligibles(user: Any) -> PosteQuerySet:
    """The posts of the caller's scope the matching may use (active, not stale)."""
    return postes(user).eligibles()


def activites() -> QuerySet[Activite]:
    """The activity reference list (no personal data, no scope)."""
    return Activite.objects.filter(active=True)
