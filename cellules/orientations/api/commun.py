"""Reference lookups of the orientation and register views (plumbing: cellules.api.commun)."""

from __future__ import annotations

from typing import Any

from acces.models import Commune, Organisation
from cellules.api.commun import champ_invalide


def commune(code: str) -> Commune:
    trouvee = Commune.objects.filter(pk=code).first()
    if trouvee is None:
        raise champ_invalide("commune", "Commune inconnue.")
    return trouvee


def organisation(pk: Any) -> Organisation:
    # Any active partner may be responsible: the reference list is not personal data.
    trouvee: Organisation | None = Organisation.objects.filter(pk=pk, active=True).first()
    if trouvee is None:
        raise champ_invalide("organisation", "Organisation inconnue.")
    return trouvee
