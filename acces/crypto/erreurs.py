"""Errors of the field-encryption layer.

``DechiffrementImpossible`` is an ``ApiError`` so that DRF answers the generic JSON 500 body of
``socle.errors`` without any special case: the body is the same whatever went wrong (C10), the
reason only goes to the security log, with identifiers only.
"""

from __future__ import annotations

import logging

from acces import ports
from acces.evenements import Raison
from socle.errors import MESSAGES, ApiError

logger = logging.getLogger("acces.crypto")


class DechiffrementImpossible(ApiError):
    """A value cannot be decrypted: corrupted, moved, unknown format or key, or shredded key."""

    def __init__(self, raison: str) -> None:
        code, message = MESSAGES[500]
        super().__init__(500, code, message)
        self.raison = raison


def signaler(raison: str, **ids: str) -> DechiffrementImpossible:
    """Log the security event (identifiers only) and return the exception to raise.

    During a request the event also goes to the access log, where auditors and the anomaly job
    see it.
    """
    logger.warning("dechiffrement_impossible", extra={"raison": raison, **ids})
    _journaliser(raison, ids.get("cle_id"))
    return DechiffrementImpossible(raison)


def _journaliser(raison: str, cle_id: str | None) -> None:
    request = ports.requete_courante()
    if request is None:
        return  # outside a request (commands, tasks): the log line above is the record
    code = Raison.CLE_DETRUITE if raison == "cle_detruite" else Raison.DECHIFFREMENT_IMPOSSIBLE
    ports.consigner_evenement_securite(
        code, request=request, type_objet="acces.cledonnees", objet_id=cle_id
    )
