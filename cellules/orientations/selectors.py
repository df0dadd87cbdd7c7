"""Reads of orientations and of their reference lists, through the restricted entry point."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from acces.enums import Action
from acces.models import Organisation
from acces.perimetre import perimetre_de
from cellules.orientations import politiques
from cellules.orientations.models import (
    MesureOrientation,
    NotificationOrientation,
    Orientation,
    ReferenceJuridique,
)
from socle.errors import ApiError


def mesures_actives() -> QuerySet[MesureOrientation]:
    return (
        MesureOrientation.objects.filter(active=True)
        .select_related("reference")
        .order_by("ordre", "code")
    )


def mesure_active(pk: Any) -> MesureOrientation | None:
    return mesures_actives().filter(pk=pk).first()


def orientations_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Orientation]:
    return Orientation.objects.restrict(user, action).order_by("echeance", "id")


def orientations_de_situation(user: Any, situation_id: Any) -> QuerySet[Orientation]:
    return orientations_visibles(user).filter(situation_id=situation_id)


def orientation_visible(user: Any, pk: Any) -> Orientation | None:
    return orientations_visibles(user).filter(pk=pk).first()


def orientation_confiee(user: Any, pk: Any) -> bool:
    """``pk`` is entrusted to the user's organisation and he follows it as a cell member."""
    condition = politiques.orientations_confiees(perimetre_de(user))
    return condition is not None and orientations_visibles(user).filter(condition, pk=pk).exists()


def notifications_de(user: Any) -> QuerySet[NotificationOrientation]:
    """The user's own notices, newest first (ids and link paths only)."""
    return NotificationOrientation.objects.filter(destinataire_id=user.pk).order_by(
        "-creee_le", "id"
    )


def reference(code: str) -> ReferenceJuridique:
    """The reference row of ``code`` (seeded by the data migration)."""
    trouvee = ReferenceJuridique.objects.filter(code=code).first()
    if trouvee is None:
        raise ApiError(503, "referentiel_absent", "Le référentiel juridique n'est pas chargé.")
    return trouvee


def organisation(pk: Any) -> Organisation:
    # Any active partner may be responsible: the reference list is not personal data.
    trouvee: Organisation | None = Organisation.objects.filter(pk=pk, active=True).first()
    if trouvee is None:
        raise ApiError.champ_invalide("organisation", "Organisation inconnue.")
    return trouvee
