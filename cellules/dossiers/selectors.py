"""Reads of persons and cases, always through the restricted entry point."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from acces.crypto.champs import precharger_cles
from acces.crypto.index import indexes_aveugles
from acces.enums import Action, Role
from acces.perimetre import perimetre_de
from cellules.composition.models import Cellule
from cellules.dossiers.models import Personne, Situation
from cellules.dossiers.politiques import STATUTS_HORS_LECTURE, politique_situation_archivee


def situations_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Situation]:
    """Cases in the user's scope, with their person (identity decrypted by the caller)."""
    return (
        Situation.objects.restrict(user, action)
        .select_related("personne")
        .order_by("-creee_le", "id")
    )


def situation_visible(user: Any, pk: Any) -> Situation | None:
    return situations_visibles(user).filter(pk=pk).first()


def personnes_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Personne]:
    return Personne.objects.restrict(user, action).order_by("creee_le", "id")


def personnes_recherche(
    user: Any, nom: str, prenom: str, date_naissance: dt.date
) -> QuerySet[Personne]:
    """Exact search by blind index, within the user's scope only.

    The index filter and the scope are one SQL query: a person outside the scope gives the
    same empty answer as a person who does not exist.
    """
    return personnes_visibles(user).filter(
        index_identite__in=indexes_aveugles(nom, prenom, date_naissance)
    )


def cellule_pour_ecrire(user: Any, pk: Any) -> Cellule | None:
    """A cell in which ``user`` may open cases."""
    return Cellule.objects.restrict(user, Action.MODIFIER).filter(pk=pk).first()


def personne_visible(user: Any, pk: Any) -> Personne | None:
    return personnes_visibles(user).filter(pk=pk).first()


def _situations_du_conseiller(user: Any) -> QuerySet[Situation]:
    """Live cases of the ressorts of a conseiller d'exécution, referenced (never read) when he
    names their person in a measure; none for any other role."""
    p = perimetre_de(user)
    if not p.a_role(Role.CONSEILLER_EXECUTION):
        return Situation.objects.none()
    return Situation.objects.filter(
        ressort__in=p.portee(Role.CONSEILLER_EXECUTION).ressorts
    ).exclude(statut__in=STATUTS_HORS_LECTURE)


def personne_pour_mesure(user: Any, pk: Any) -> Personne | None:
    """A person ``user`` may name in a measure (``tig``): one he may read, or, for a
    conseiller d'exécution, the person of a case of his ressort."""
    visibles = personnes_visibles(user).values("pk")
    du_ressort = _situations_du_conseiller(user).values("personne_id")
    return (
        Personne.objects.filter(pk=pk)
        .filter(Q(pk__in=visibles) | Q(pk__in=du_ressort))
        .select_related("cle")
        .first()
    )


def situation_pour_mesure(user: Any, pk: Any, personne_id: Any) -> Situation | None:
    """The case of ``personne_id`` a measure of ``user`` may link to (same rule as above)."""
    visibles = situations_visibles(user).values("pk")
    du_ressort = _situations_du_conseiller(user).values("pk")
    return (
        Situation.objects.filter(pk=pk, personne_id=personne_id)
        .filter(Q(pk__in=visibles) | Q(pk__in=du_ressort))
        .first()
    )


def situations_archivees_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Situation]:
    """Archived cases the user may still read (coordonnateur of the cell, délégué of the ressort).

    ``Situation.objects.restrict`` leaves archived cases out on purpose: this is the one other
    entry point, with its own rule, applied in SQL on the user's scope of this request.
    """
    if action != Action.LIRE:
        return Situation.objects.none()  # archives are read-only
    condition = politique_situation_archivee(perimetre_de(user), Action.LIRE)
    if condition is None:
        return Situation.objects.none()
    return (
        Situation.objects.filter(condition)
        .select_related("personne")
        .order_by("-archivee_le", "-creee_le", "id")
    )


def situation_archivee_visible(user: Any, pk: Any) -> Situation | None:
    return situations_archivees_visibles(user).filter(pk=pk).first()


def situations_selon_minorite(
    situations: QuerySet[Situation], mineur: bool, jour: dt.date | None = None
) -> QuerySet[Situation]:
    """``situations`` (already restricted) whose person is, or is not, a minor on ``jour``.

    Birth dates are encrypted: they are decrypted here, for the persons of these cases only;
    nothing but the resulting rows (each logged when returned) leaves this function.
    """
    jour = jour or timezone.localdate()
    personnes = [s.personne for s in situations.select_related("personne")]
    precharger_cles(personnes)
    mineures = [p.pk for p in personnes if p.mineur_au(jour)]
    if mineur:
        return situations.filter(personne_id__in=mineures)
    return situations.exclude(personne_id__in=mineures)


def situations_avec_profil(
    situations: QuerySet[Situation], profils: list[str]
) -> QuerySet[Situation]:
    """Cases carrying one of ``profils`` (a JSON list column)."""
    if not profils:
        return situations
    if connections[situations.db].vendor == "postgresql":
        condition = [Q(profils__contains=[p]) for p in profils]
    else:  # SQLite (``make run``) has no JSON containment: match the quoted value.
        condition = [Q(profils__icontains=f'"{p}"') for p in profils]
    return situations.filter(reduce(or_, condition))
