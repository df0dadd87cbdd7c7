"""Who may read the detail of the health check (setting ``SANTE_DETAIL_AUTORISE``)."""

from __future__ import annotations

from typing import Any

from acces import politiques
from acces.perimetre import perimetre_de


def detail_autorise(user: Any) -> bool:
    """The technical administrator only: key versions, counts and backlog are not public."""
    if user is None or not user.is_authenticated:
        return False
    return politiques.peut_administrer(perimetre_de(user))
