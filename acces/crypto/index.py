"""Keyed blind indexes for exact search on encrypted values.

``index = HMAC-SHA-256(K_but, enc(part_1) | enc(part_2) | ...)`` where ``K_but`` is derived by
HKDF-SHA-256 from one version of the ``INDEX_AVEUGLE_CLE`` key ring with
``info = "suivi/index-aveugle/v1/<but>"`` (one key per purpose, none shared with the data keys)
and ``enc(p)`` is the 4-byte length then the UTF-8 of ``p``, so ``("ab", "c")`` and
``("a", "bc")`` differ. Exact match only; an index leaks equality, so index only what must be
searched, and never return or log index values.

Key rotation (checklist C9): stored indexes carry no version. Writes use the active version
(``index_aveugle``); searches filter ``IN`` the indexes under every version of the ring
(``indexes_aveugles``), so a row not yet recomputed by ``crypto_rotate --index`` is still found.
Domain apps declare their index columns in ``acces.crypto.registre``.

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


def versions_index() -> tuple[str, ...]:
    """Versions of the index key ring, active first."""
    return trousseau().index_versions


def cle_index(but: str, version: str | None = None) -> bytes:
    """The HMAC key of one purpose under ``version`` (default: active); raises if unknown."""
    ring = trousseau()
    racine = ring.index_cles.get(ring.index_active if version is None else version)
    if racine is None:
        raise KeyError("version de clé d'index inconnue")
    return _cle(racine, but)


def _message(parties: tuple[str, ...]) -> bytes:
    return b"".join(
        len(encode).to_bytes(4, "big") + encode for encode in (p.encode() for p in parties)
    )


def calculer_index(but: str, *parties: str, version: str | None = None) -> bytes:
    """HMAC-SHA-256 of the already normalised ``parties``, under the key of ``but``."""
    return hmac.new(cle_index(but, version), _message(parties), hashlib.sha256).digest()


def calculer_indexes(but: str, *parties: str) -> list[bytes]:
    """The index under every version of the ring (active first), for searches."""
    message = _message(parties)
    return [hmac.new(cle_index(but, v), message, hashlib.sha256).digest() for v in versions_index()]


def index_aveugle(
    nom: str, prenom: str, date_naissance: dt.date, version: str | None = None
) -> bytes:
    """Index to store for exact search on name + first name + birth date (32 bytes)."""
    message = _message((normaliser(nom), normaliser(prenom), date_naissance.isoformat()))
    return hmac.new(cle_index("identite", version), message, hashlib.sha256).digest()


def indexes_aveugles(nom: str, prenom: str, date_naissance: dt.date) -> list[bytes]:
    """Indexes to search for (``champ__in=...``): one per version of the ring."""
    return calculer_indexes(
        "identite", normaliser(nom), normaliser(prenom), date_naissance.isoformat()
    )


__all__ = [
    "calculer_index",
    "calculer_indexes",
    "cle_index",
    "index_aveugle",
    "indexes_aveugles",
    "normaliser",
    "versions_index",
]
