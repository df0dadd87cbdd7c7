"""AEAD primitives, data-key envelopes and the per-request data-key cache.

Field ciphertext (stored as bytes, ``bytea``), format version 1::

    version (1 byte, 0x01 = AES-256-GCM, 128-bit tag)
    | data key id (16 bytes, UUID of the ``CleDonnees`` row)
    | nonce (12 bytes, os.urandom)
    | ciphertext || tag (len(plaintext) + 16 bytes)

Associated data (authenticated, not stored)::

    b"suivi/champ" | version | data key id | row pk (16 bytes)
    | len(label) (2 bytes) | "app_label.model" | len(field) (2 bytes) | field name

so a ciphertext copied to another row, field, model or key fails authentication.

Wrapped data key (``CleDonnees.cle_enveloppee``), version 1::

    version (1 byte) | nonce (12 bytes) | AES-256-GCM(master key, 32-byte data key) || tag

with associated data ``b"suivi/cle-donnees" | version | data key id | master key id``.
AES-GCM with associated data rather than AES-KW (RFC 3394): both are approved, but AES-KW has no
associated data, and binding the wrapped key to its row and to its master key version means a
wrapped key swapped between rows or relabelled with another master id is refused. Random nonces
are safe here: one encryption per data key creation or rotation, far below 2^32 per master key;
``acces.crypto.compteurs`` still counts the wraps of each master-key version and the field
encryptions of each data key (budget, alert, re-key).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from acces.crypto.keys import Trousseau, charger

VERSION_CHAMP = 1
VERSION_ENVELOPPE = 1
TAILLE_NONCE = 12
TAILLE_TAG = 16
TAILLE_CLE = 32
TAILLE_ID = 16
ENTETE = 1 + TAILLE_ID + TAILLE_NONCE
SURCOUT = ENTETE + TAILLE_TAG

_AAD_CHAMP = b"suivi/champ"
_AAD_ENVELOPPE = b"suivi/cle-donnees"


class EnveloppeInvalide(Exception):
    """A wrapped data key cannot be unwrapped (unknown master id, corrupted, shredded)."""


def nouveau_nonce() -> bytes:
    """96-bit nonce from the OS CSPRNG; the only nonce source of the layer."""
    return os.urandom(TAILLE_NONCE)


@lru_cache(maxsize=4)
def _trousseau(
    maitres: str | None,
    active: str | None,
    index: str | None,
    index_active: str | None,
    chaine: str | None,
) -> Trousseau:
    return charger()


def trousseau() -> Trousseau:
    """The key ring, parsed once per distinct settings value; raises if a key is missing."""
    return _trousseau(
        settings.CHIFFREMENT_CLES_MAITRES,
        settings.CHIFFREMENT_CLE_ACTIVE,
        settings.INDEX_AVEUGLE_CLE,
        getattr(settings, "INDEX_AVEUGLE_CLE_ACTIVE", None),
        settings.AUDIT_CHAINE_CLE,
    )


# --- envelopes -----------------------------------------------------------------------------


def _aad_enveloppe(cle_id: uuid.UUID, maitre_id: str) -> bytes:
    return _AAD_ENVELOPPE + bytes([VERSION_ENVELOPPE]) + cle_id.bytes + maitre_id.encode()


def envelopper(cle_id: uuid.UUID, cle: bytes, maitre_id: str | None = None) -> tuple[bytes, str]:
    """Wrap a data key under the active (or given) master key: ``(wrapped, master id)``."""
    ring = trousseau()
    maitre_id = maitre_id or ring.active
    nonce = nouveau_nonce()
    scelle = AESGCM(ring.maitres[maitre_id]).encrypt(nonce, cle, _aad_enveloppe(cle_id, maitre_id))
    return bytes([VERSION_ENVELOPPE]) + nonce + scelle, maitre_id


def desenvelopper(cle_id: uuid.UUID, enveloppe: bytes, maitre_id: str) -> bytes:
    """Unwrap a data key; raises ``EnveloppeInvalide`` on any failure."""
    maitre = trousseau().maitres.get(maitre_id)
    if maitre is None:
        raise EnveloppeInvalide("cle_maitresse_inconnue")
    if len(enveloppe) != 1 + TAILLE_NONCE + TAILLE_CLE + TAILLE_TAG:
        raise EnveloppeInvalide("enveloppe_invalide")
    if enveloppe[0] != VERSION_ENVELOPPE:
        raise EnveloppeInvalide("version_inconnue")
    nonce, scelle = enveloppe[1 : 1 + TAILLE_NONCE], enveloppe[1 + TAILLE_NONCE :]
    try:
        return AESGCM(maitre).decrypt(nonce, scelle, _aad_enveloppe(cle_id, maitre_id))
    except InvalidTag as exc:
        raise EnveloppeInvalide("enveloppe_alteree") from exc


# --- per-request cache of unwrapped data keys ---------------------------------------------

_cache: ContextVar[dict[uuid.UUID, AESGCM] | None] = ContextVar("cles_donnees", default=None)


@contextmanager
def session_cles() -> Iterator[None]:
    """Keep unwrapped data keys for the duration of one request (or one command batch).

    Nested sessions share the outer cache; the cache is emptied when the outer session ends, so
    no plaintext data key outlives the request.
    """
    if _cache.get() is not None:
        yield
        return
    cache: dict[uuid.UUID, AESGCM] = {}
    jeton = _cache.set(cache)
    try:
        yield
    finally:
        cache.clear()
        _cache.reset(jeton)


def cache_lire(cle_id: uuid.UUID) -> AESGCM | None:
    cache = _cache.get()
    return None if cache is None else cache.get(cle_id)


def cache_ecrire(cle_id: uuid.UUID, aead: AESGCM) -> None:
    cache = _cache.get()
    if cache is not None:
        cache[cle_id] = aead


def cache_oublier(cle_id: uuid.UUID) -> None:
    cache = _cache.get()
    if cache is not None:
        cache.pop(cle_id, None)


# --- field ciphertexts ---------------------------------------------------------------------

_V1 = bytes([VERSION_CHAMP])


class FormatInvalide(Exception):
    """Ciphertext refused before or during authentication; ``args[0]`` is the reason."""


def suffixe_aad(modele: str, champ: str) -> bytes:
    """The part of the associated data naming the model and the field (length-prefixed)."""
    m, c = modele.encode(), champ.encode()
    return len(m).to_bytes(2, "big") + m + len(c).to_bytes(2, "big") + c


def aad_champ(version: bytes, cle_id: bytes, objet_id: bytes, suffixe: bytes) -> bytes:
    return b"".join((_AAD_CHAMP, version, cle_id, objet_id, suffixe))


def sceller(aead: AESGCM, cle_id: bytes, objet_id: bytes, suffixe: bytes, clair: bytes) -> bytes:
    """Encrypt a field value: ``version | key id | nonce | ct+tag``."""
    nonce = nouveau_nonce()
    chiffre = aead.encrypt(nonce, clair, aad_champ(_V1, cle_id, objet_id, suffixe))
    return b"".join((_V1, cle_id, nonce, chiffre))


def verifier_format(chiffre: bytes, cle_id: bytes) -> None:
    """Refuse, before any key is fetched, what this version cannot have written."""
    if len(chiffre) < SURCOUT:
        raise FormatInvalide("trop_court")
    if chiffre[0] != VERSION_CHAMP:
        raise FormatInvalide("version_inconnue")
    if chiffre[1 : ENTETE - TAILLE_NONCE] != cle_id:
        raise FormatInvalide("cle_differente")


def ouvrir(aead: AESGCM, chiffre: bytes, cle_id: bytes, objet_id: bytes, suffixe: bytes) -> bytes:
    """Decrypt a field value already checked by ``verifier_format``."""
    nonce = chiffre[1 + TAILLE_ID : ENTETE]
    try:
        return aead.decrypt(nonce, chiffre[ENTETE:], aad_champ(_V1, cle_id, objet_id, suffixe))
    except InvalidTag as exc:
        raise FormatInvalide("authentification") from exc
