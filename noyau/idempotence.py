"""``Idempotency-Key`` on creating POSTs (checklist F8): a retried request creates nothing.

Same key, same body: the object created the first time is returned again. Same key, another
body: 422. Keys are scoped per user and per route; two concurrent first requests are settled by
the unique constraint (the loser replays the winner).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, models, transaction

from acces.crypto.index import calculer_indexes
from acces.models import Utilisateur
from socle.errors import ApiError
from socle.models import ReponseIdempotente

ENTETE = "HTTP_IDEMPOTENCY_KEY"
_CLE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def cle_de(request: Any) -> str | None:
    """The ``Idempotency-Key`` header, if any; 400 when it is not a short printable token."""
    valeur = request.META.get(ENTETE)
    if valeur is None:
        return None
    if not _CLE.fullmatch(str(valeur)):
        raise ApiError(
            400,
            "cle_idempotence_invalide",
            "L'en-tête Idempotency-Key doit compter 1 à 100 caractères parmi A-Z a-z 0-9 _ . : -.",
        )
    return str(valeur)


def _empreintes(corps: Any) -> list[str]:
    """The body's keyed fingerprint under each index key version, the active one first, so
    that a retry spanning an index-key rotation is still recognised."""
    canonique = json.dumps(corps, sort_keys=True, ensure_ascii=False, default=str)
    return [valeur.hex() for valeur in calculer_indexes("idempotence", canonique)]


def _anterieure(
    utilisateur: Utilisateur, route: str, cle: str, empreintes: list[str]
) -> uuid.UUID | None:
    trouvee = ReponseIdempotente.objects.filter(
        utilisateur=utilisateur, route=route, cle=cle
    ).first()
    if trouvee is None:
        return None
    if trouvee.empreinte not in empreintes:
        raise ApiError(
            422,
            "cle_idempotence_reutilisee",
            "Cette clé d'idempotence a déjà servi pour une autre requête.",
        )
    return trouvee.objet_id


def executer_une_fois(
    *,
    utilisateur: Utilisateur,
    route: str,
    cle: str | None,
    corps: Any,
    creer: Callable[[], models.Model],
) -> tuple[uuid.UUID, bool]:
    """Run ``creer`` once per key; returns the created object's id and whether it is a replay."""
    if cle is None:
        return creer().pk, False
    empreintes = _empreintes(corps)
    anterieure = _anterieure(utilisateur, route, cle, empreintes)
    if anterieure is not None:
        return anterieure, True
    try:
        with transaction.atomic():
            objet = creer()
            ReponseIdempotente.objects.create(
                utilisateur=utilisateur,
                route=route,
                cle=cle,
                empreinte=empreintes[0],
                objet_id=objet.pk,
            )
    except IntegrityError:
        anterieure = _anterieure(utilisateur, route, cle, empreintes)
        if anterieure is None:
            raise
        return anterieure, True
    return objet.pk, False


def marquer_rejouee(response: Any, rejouee: bool) -> Any:
    """Flag an answer replayed for an ``Idempotency-Key`` already seen."""
    if rejouee:
        response["Idempotent-Replayed"] = "true"
    return response
