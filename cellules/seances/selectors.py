"""Reads of meetings, always through the restricted entry point."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from acces.enums import Action
from acces.perimetre import perimetre_de
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers import selectors as selecteurs_cellules
from cellules.dossiers.models import Situation
from cellules.dossiers.politiques import cellules_charte_respectee
from cellules.orientations import selectors as selecteurs_orientations
from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance
from cellules.seances.politiques import cellules_coordonnees
from cellules.seances.services import decisions_echues


def seances_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Seance]:
    """Meetings in scope; the agenda (case ids) of a cell whose charter in force the user has
    not accepted is left empty, as its cases are hidden."""
    points = PointOrdreDuJour.objects.filter(
        seance__cellule_id__in=cellules_charte_respectee(perimetre_de(user))
    ).order_by("rang", "id")
    return (
        Seance.objects.restrict(user, action)
        .prefetch_related(Prefetch("points", queryset=points))
        .order_by("debut", "id")
    )


def seance_visible(user: Any, pk: Any, action: Action = Action.LIRE) -> Seance | None:
    return seances_visibles(user, action).filter(pk=pk).first()


def cellule_coordonnee(user: Any, pk: Any) -> Cellule | None:
    """A cell in which ``user`` may schedule meetings."""
    return Cellule.objects.filter(pk=pk, pk__in=cellules_coordonnees(perimetre_de(user))).first()


def situation_a_inscrire(user: Any, pk: Any) -> Situation | None:
    return selecteurs_cellules.situations_visibles(user, Action.MODIFIER).filter(pk=pk).first()


def membres_de(seance: Seance, pks: list[Any]) -> list[MembreCellule]:
    return list(MembreCellule.objects.filter(cellule_id=seance.cellule_id, pk__in=pks))


def convocations_de(seance: Seance) -> list[Convocation]:
    """The convocations of a meeting already found in the caller's scope, with their member
    (staff: name and organisation) and delivery state."""
    return list(
        seance.convocations.select_related("membre__utilisateur", "membre__organisation").order_by(
            "creee_le", "id"
        )
    )


def convocation_de(seance: Seance, pk: Any) -> Convocation | None:
    return seance.convocations.filter(pk=pk).first()


def _decisions(user: Any) -> QuerySet[Decision]:
    return Decision.objects.restrict(user, Action.LIRE).select_related(
        "situation__personne", "organisation", "orientation__organisation"
    )


def decisions_lisibles(user: Any, seance: Seance) -> list[Decision]:
    """Decisions of the meeting on the cases ``user`` may read now (the relevé is filtered too)."""
    return list(_decisions(user).filter(seance=seance).order_by("prise_le", "id"))


def decisions_echues_lisibles(user: Any, seance: Seance) -> list[Decision]:
    """Decisions of earlier meetings of the cell, not done, whose deadline had passed on the
    meeting's day, on cases still followed that ``user`` may read now."""
    jour = timezone.localdate(seance.debut)
    echues = decisions_echues(seance.cellule_id, jour).filter(seance__debut__lt=seance.debut)
    return list(_decisions(user).filter(pk__in=echues.values("pk")).order_by("echeance", "id"))


def decisions_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Decision]:
    """Decisions in scope; ``Action.MODIFIER``: those ``user`` may mark done (coordonnateur of
    the cell, or member of the cell from the responsible organisation)."""
    return Decision.objects.restrict(user, action).order_by("prise_le", "id")


def orientations_decidees(user: Any, seance: Seance) -> list[Any]:
    """Orientations decided at the meeting that ``user`` may read now."""
    return list(
        selecteurs_orientations.orientations_visibles(user)
        .filter(seance_id=seance.pk)
        .select_related("mesure", "organisation", "situation__personne")
        .order_by("situation_id", "echeance", "id")
    )


def _nom(utilisateur: Any) -> str:
    return str(utilisateur.get_full_name() or utilisateur.get_username())


def presences_du_releve(seance: Seance) -> list[dict[str, Any]]:
    """Attendance by institution (present, excused, absent, or not recorded for an institution
    convened), with the names and functions of the staff of each institution convened to the
    meeting, by institution name."""
    participants: dict[Any, list[str]] = {}
    noms: dict[Any, str] = {}
    for convocation in (
        Convocation.objects.filter(seance=seance, valide=True)
        .select_related("membre__utilisateur", "membre__organisation")
        .order_by("membre__utilisateur__last_name", "membre__utilisateur__first_name")
    ):
        membre = convocation.membre
        noms[membre.organisation_id] = membre.organisation.nom
        participants.setdefault(membre.organisation_id, []).append(
            f"{_nom(membre.utilisateur)} ({membre.fonction})"
        )
    lignes = []
    presences = list(Presence.objects.filter(seance=seance).select_related("organisation"))
    notees = {p.organisation_id for p in presences}
    # Institutions convened whose attendance was not recorded are listed as such.
    for organisation_id in set(participants) - notees:
        lignes.append(
            {
                "organisation": organisation_id,
                "organisation_nom": noms[organisation_id],
                "etat": "non_renseignee",
                "etat_libelle": "non renseignée",
                "participants": participants[organisation_id],
            }
        )
    for presence in presences:
        etat = "presente" if presence.present else "excusee" if presence.excusee else "absente"
        lignes.append(
            {
                "organisation": presence.organisation_id,
                "organisation_nom": presence.organisation.nom,
                "etat": etat,
                "etat_libelle": {"presente": "présente", "excusee": "excusée"}.get(etat, "absente"),
                "participants": participants.get(presence.organisation_id, []),
            }
        )
    return sorted(lignes, key=lambda ligne: (ligne["organisation_nom"], ligne["organisation"]))
