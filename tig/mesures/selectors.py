"""Reads of measures, through the restricted entry point (``Mesure.objects.restrict``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from acces.enums import Action
from tig.models import Mesure


def mesures_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[Mesure]:
    return Mesure.objects.restrict(user, action).order_by("date_limite", "id")


def mesure_visible(user: Any, pk: Any) -> Mesure | None:
    return mesures_visibles(user).filter(pk=pk).first()
