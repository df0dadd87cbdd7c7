"""Keyed blind indexes for exact search on encrypted values.

``index = HMAC-SHA-256(K_but, enc(part_1) | enc(part_2) | ...)`` where ``K_but`` is derived by
HKDF-SHA-256 from ``INDEX_AVEUGLE_CLE`` with ``info = "suivi/index-aveugle/v1/<but>"`` (one key
per purpose, none shared with the data keys) and ``enc(p)`` is the 4-byte length then the UTF-8
of ``p``, so ``("ab", "c")`` and ``("a", "bc")`` differ. Exact match only; an index leaks
equality, so index only what must be searched, and never return or log index values.

Normalisation of names (``normaliser``), in this order:

1. Unicode NFKD, case folded (``str.casefold``: ``ß`` → ``ss``), NFKD again (folding can
   compose), then combining marks dropped (``é`` → ``e``, ``ç`` → ``c``, ``ﬁ`` → ``fi``);
2. ligatures and letters NFKD keeps whole folded: ``œ`` → ``oe``, ``æ`` → ``ae``, ``ø`` → ``o``,
   ``ł`` → ``l``, ``đ`` → ``d``;
3. removed: every white space, hyphens and dashes (``-‐‑‒–—―``), apostrophes and quotes
   (``'’‘ʼ`´``), dots, and control or format characters (NUL, zero-width space, soft hyphen).

Hence ``"  ÉLODIE "``, ``"élodie"`` and ``"E\u0301lodie"`` match, as do ``"Jean-Pierre"`` and
``"jean pierre"``, or ``"N'Diaye"`` and ``"NDIAYE"``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from acces.crypto.noyau import trousseau

_LETTRES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_SEPARATEURS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015'\u2019\u2018\u02bc`\u00b4.")


def _retenu(caractere: str) -> bool:
    if caractere.isspace() or caractere in _SEPARATEURS:
        return False
    if unicodedata.combining(caractere):
        return False
    return unicodedata.category(caractere) not in ("Cc", "Cf")


def normaliser(valeur: str) -> str:
    """Fold case, accents, spaces, hyphens and apostrophes (see the module docstring)."""
    replie = unicodedata.normalize("NFKD", valeur).casefold()
    decompose = unicodedata.normalize("NFKD", replie).translate(_LETTRES)
    return "".join(c for c in decompose if _retenu(c))


@lru_cache(maxsize=16)
def _cle(racine: bytes, but: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"suivi/index-aveugle/v1/{but}".encode(),
    )
    return hkdf.derive(racine)


def cle_index(but: str) -> bytes:
    """The HMAC key of one purpose; raises if ``INDEX_AVEUGLE_CLE`` is missing."""
    return _cle(trousseau().index_aveugle, but)


def calculer_index(but: str, *parties: str) -> bytes:
    """HMAC-SHA-256 of the already normalised ``parties``, under the key of ``but``."""
    message = b"".join(
        len(encode).to_bytes(4, "big") + encode for encode in (p.encode() for p in parties)
    )
    return hmac.new(cle_index(but), message, hashlib.sha256).digest()


def index_aveugle(nom: str, prenom: str, date_naissance: dt.date) -> bytes:
    """Index for exact search on name + first name + birth date (32 bytes)."""
    return calculer_index(
        "identite", normaliser(nom), normaliser(prenom), date_naissance.isoformat()
    )


__all__ = ["calculer_index", "cle_index", "index_aveugle", "normaliser"]
