"""D1, over the whole suite: every personal record in a response has exactly one access event.

Installed by the test settings right inside the request-id middleware. A response (2xx JSON)
carrying a record with identity or case-content fields must have, for the same request id,
exactly one "authorised" access event naming that record; otherwise the request raises and the
test that sent it fails.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

CLES_PERSONNELLES = frozenset(
    {"nom", "prenom", "date_naissance", "adresse", "commune_residence", "observation"}
)


def enregistrements_personnels(corps: Any) -> Iterator[str]:
    """Ids of the JSON objects that carry personal fields, at any depth.

    An item about a case (a decision of a relevé) is logged under its case: ``situation`` first.
    """
    pile = [corps]
    while pile:
        noeud = pile.pop()
        if isinstance(noeud, dict):
            if CLES_PERSONNELLES & noeud.keys():
                reference = noeud.get("situation") or noeud.get("id")
                if reference:
                    yield str(reference)
            pile.extend(noeud.values())
        elif isinstance(noeud, list):
            pile.extend(noeud)


class ScannerReponses:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not 200 <= response.status_code < 300 or response.streaming:
            return response
        if not _route_de_donnees_personnelles(request):
            return response
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        ids = list(enregistrements_personnels(json.loads(response.content or b"null")))
        if ids:
            _verifier(getattr(request, "request_id", ""), ids)
        return response


def _route_de_donnees_personnelles(request: HttpRequest) -> bool:
    """Routes gated as personal data: ``DonneesPersonnelles`` or a required motif.

    (An organisation's ``nom`` is not personal data; such routes are left out.)
    """
    from acces.api.permissions import DonneesPersonnelles
    from audit.journal import MotifRequis

    vue = getattr(getattr(request, "resolver_match", None), "func", None)
    classe = getattr(vue, "cls", None) or getattr(vue, "view_class", None)
    permissions = getattr(classe, "permission_classes", ())
    marqueurs = (DonneesPersonnelles, MotifRequis)
    return any(isinstance(p, type) and issubclass(p, marqueurs) for p in permissions)


def _verifier(request_id: str, ids: list[str]) -> None:
    from audit.enums import Resultat
    from audit.models import EvenementAcces

    evenements = Counter(
        str(objet_id)
        for objet_id in EvenementAcces.objects.filter(
            request_id=request_id, resultat=Resultat.AUTORISE
        ).values_list("objet_id", flat=True)
    )
    fautifs = {i: evenements[i] for i in set(ids) if evenements[i] != 1}
    if fautifs:
        raise AssertionError(f"lectures sans exactement un événement d'accès : {fautifs}")
