"""Strong ETags and the ``If-Match`` precondition (checklist F1), for every versioned object.

The tag binds the object's id and its version, so a tag read on another object never matches.
``If-Match: *`` and weak tags are refused: they would defeat the lost-update check.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.request import Request

from socle.errors import ApiError

# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
_VERSION = re.compile(r"[0-9]{1,9}")


def etag(objet: Any) -> str:
    return f'"{objet.pk}.{objet.version}"'


def version_attendue(request: Request, objet: Any) -> int:
    """The version the client last read, from ``If-Match``; 428 if absent, 412 if stale."""
    entete = str(request.META.get("HTTP_IF_MATCH", "")).strip()
    if not entete or entete == "*":
        raise ApiError.precondition_requise()
    prefixe = f'"{objet.pk}.'
    for tag in (t.strip() for t in entete.split(",")):
        if tag.startswith(prefixe) and tag.endswith('"'):
            chiffres = tag[len(prefixe) : -1]
            if _VERSION.fullmatch(chiffres):
                return int(chiffres)
    raise ApiError.version_perimee()
