"""Errors of the field-encryption layer.

``DechiffrementImpossible`` is an ``ApiError`` so that DRF answers the generic JSON 500 body of
``socle.errors`` without any special case: the body is the same whatever went wrong (C10), the
reason only goes to the security log, with identifiers only.
"""

from __future__ import annotations

import logging

from socle.errors import MESSAGES, ApiError

logger = logging.getLogger("acces.crypto")


class DechiffrementImpossible(ApiError):
    """A value cannot be decrypted: corrupted, moved, unknown format or key, or shredded key."""

    def __init__(self, raison: str) -> None:
        code, message = MESSAGES[500]
        super().__init__(500, code, message)
        self.raison = raison


def signaler(raison: str, **ids: str) -> DechiffrementImpossible:
    """Log the security event (identifiers only) and return the exception to raise."""
    logger.warning("dechiffrement_impossible", extra={"raison": raison, **ids})
    return DechiffrementImpossible(raison)
