"""D1, over the whole suite: every personal record in a response has exactly one access event.

Installed by the test settings right inside the request-id middleware. Every 2xx JSON response,
whatever its route, is scanned: a record carrying a personal key (``cles_personnelles``,
derived from the models and serializers) must have, for the same request id, exactly one
"authorised" access event naming that record; otherwise the request raises and the test that
sent it fails.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

from acces.api.categories import serializer_personnel


def _classes(racine: type) -> Iterator[type]:
    for sous in racine.__subclasses__():
        yield sous
        yield from _classes(sous)


def _du_projet(classe: type) -> bool:
    return classe.__module__.split(".")[0] in APPLICATIONS


APPLICATIONS = frozenset({"socle", "acces", "audit", "noyau", "cellules", "tig", "cispd"})


@functools.cache
def cles_personnelles() -> frozenset[str]:
    """The keys that mark a personal record, derived rather than listed by hand.

    Every encrypted field of a model and every categorised field of a serializer, minus the
    keys that serializers without personal data also show (an organisation's ``nom``, a
    meeting's ``statut``): those alone say nothing. The scanner's own test checks
    that every personal serializer keeps at least one marking key.
    """
    from django.apps import apps
    from rest_framework.serializers import BaseSerializer

    from acces.crypto.champs import ChampChiffre

    chiffres = {
        champ.name
        for modele in apps.get_models()
        for champ in modele._meta.get_fields()
        if isinstance(champ, ChampChiffre)
    }
    serialiseurs = [c for c in _classes(BaseSerializer) if _du_projet(c)]
    categorises = {
        nom
        for c in serialiseurs
        if serializer_personnel(c)
        for nom in getattr(c, "categories_des_champs", {})
    }
    communs = {nom for c in serialiseurs if not serializer_personnel(c) for nom in _sorties(c)}
    return frozenset((chiffres | categorises) - communs)


def _sorties(classe: type) -> set[str]:
    """The output (read-only) fields of a serializer; input serializers show nothing."""
    try:
        champs = classe().fields
    except NotImplementedError:  # an abstract base that cannot stand alone shows nothing
        return set()
    return {nom for nom, champ in champs.items() if champ.read_only}


def serialiseurs_personnels() -> list[type]:
    from rest_framework.serializers import BaseSerializer

    return [c for c in _classes(BaseSerializer) if _du_projet(c) and serializer_personnel(c)]


def enregistrements_personnels(corps: Any) -> Iterator[tuple[str, ...]]:
    """For each JSON object that carries personal keys, at any depth, the ids that may name it
    in the access log: its own, and its case's (a decision of a relevé is logged under its
    case, once per case)."""
    pile = [corps]
    while pile:
        noeud = pile.pop()
        if isinstance(noeud, dict):
            if cles_personnelles() & noeud.keys():
                references = tuple(str(noeud[cle]) for cle in ("id", "situation") if noeud.get(cle))
                if references:
                    yield references
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
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        ids = list(enregistrements_personnels(json.loads(response.content or b"null")))
        if ids:
            _verifier(getattr(request, "request_id", ""), ids)
        return response


def _verifier(request_id: str, enregistrements: list[tuple[str, ...]]) -> None:
    from audit.enums import Resultat
    from audit.models import EvenementAcces

    evenements = Counter(
        str(objet_id)
        for objet_id in EvenementAcces.objects.filter(
            request_id=request_id, resultat=Resultat.AUTORISE
        ).values_list("objet_id", flat=True)
    )
    fautifs = {
        references[0]: [evenements[r] for r in references]
        for references in set(enregistrements)
        if not any(evenements[r] == 1 for r in references)
    }
    if fautifs:
        raise AssertionError(f"lectures sans exactement un événement d'accès : {fautifs}")
