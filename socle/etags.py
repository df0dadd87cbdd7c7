"""Strong ETags and the ``If-Match`` precondition (checklist F1), for every versioned object.

The tag binds the object's id and its version, so a tag read on another object never matches.
``If-Match: *`` and weak tags are refused: they would defeat the lost-update check. A header
that is not a list of entity tags at all (the tag without its quotes, say) is a 400 that says
so, not a 412 that would send the client to read the object again for nothing.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.request import Request

from socle.errors import ApiError

# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
_VERSION = re.compile(r"[0-9]{1,9}")
# RFC 9110 entity-tag: optional weak prefix, then a quoted string without quote, space or
# control character (non-ASCII bytes are obs-text, allowed).
_ENTITY_TAG = re.compile(r'(W/)?"[\x21\x23-\x7e\x80-\U0010ffff]*"')


def etag(objet: Any) -> str:
    return f'"{objet.pk}.{objet.version}"'


def version_attendue(request: Request, objet: Any) -> int:
    """The version the client last read, from ``If-Match``; 428 if absent, 400 if malformed,
    412 if stale."""
    entete = str(request.META.get("HTTP_IF_MATCH", "")).strip()
    if not entete or entete == "*":
        raise ApiError.precondition_requise()
    tags = [t.strip() for t in entete.split(",")]
    if not all(_ENTITY_TAG.fullmatch(tag) for tag in tags):
        raise ApiError.if_match_mal_forme()
    prefixe = f'"{objet.pk}.'
    for tag in tags:
        if tag.startswith(prefixe) and tag.endswith('"'):
            chiffres = tag[len(prefixe) : -1]
            if _VERSION.fullmatch(chiffres):
                return int(chiffres)
    raise ApiError.version_perimee()
