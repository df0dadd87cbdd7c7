"""Strong ETags of cases and the ``If-Match`` precondition (checklist F1).

The tag binds the case id and its version, so a tag read on another case never matches.
``If-Match: *`` and weak tags are refused: they would defeat the lost-update check.
"""

from __future__ import annotations

from rest_framework.request import Request

from cellules.models import Situation
from socle.errors import ApiError


def etag(situation: Situation) -> str:
    return f'"{situation.pk}.{situation.version}"'


def version_attendue(request: Request, situation: Situation) -> int:
    """The version the client last read, from ``If-Match``; 428 if absent, 412 if stale."""
    entete = str(request.META.get("HTTP_IF_MATCH", "")).strip()
    if not entete or entete == "*":
        raise ApiError(428, "precondition_requise", "L'en-tête If-Match est requis.")
    prefixe = f'"{situation.pk}.'
    for tag in (t.strip() for t in entete.split(",")):
        if tag.startswith(prefixe) and tag.endswith('"'):
            chiffres = tag[len(prefixe) : -1]
            if chiffres.isdigit() and len(chiffres) < 10:
                return int(chiffres)
    raise ApiError(412, "version_perimee", "La ressource a été modifiée depuis votre lecture.")
