"""Key material read from settings (environment or ``*_FILE`` secrets), never from the database.

Two versioned key rings, same syntax ``id:base64,id:base64`` (ids are digits):

- ``CHIFFREMENT_CLES_MAITRES`` / ``CHIFFREMENT_CLE_ACTIVE``: master keys wrapping data keys;
- ``INDEX_AVEUGLE_CLE`` / ``INDEX_AVEUGLE_CLE_ACTIVE``: blind-index root keys. A bare base64
  value (no ``id:``) is version ``1``. New indexes use the active version; searches compute the
  index under every version of the ring, so a version is retired by removing it from the ring
  once ``crypto_rotate --index`` has recomputed every stored index.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Trousseau:
    maitres: dict[str, bytes]
    active: str
    index_cles: dict[str, bytes]
    index_active: str
    audit_chaine: bytes

    @property
    def index_aveugle(self) -> bytes:
        """Root key of the active blind-index version."""
        return self.index_cles[self.index_active]

    @property
    def index_versions(self) -> tuple[str, ...]:
        """Active version first, then the others (still searched during a rotation)."""
        autres = sorted((v for v in self.index_cles if v != self.index_active), key=int)
        return (self.index_active, *autres)


def _decode(name: str, value: str | None) -> bytes:
    if not value:
        raise ImproperlyConfigured(f"clé absente : {name}")
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"clé illisible : {name}") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"clé de longueur incorrecte : {name}")
    return key


def _anneau(name: str, raw: str | None, nue: bool = False) -> dict[str, bytes]:
    """Parse ``id:base64,id:base64``; with ``nue``, a bare base64 value is version ``1``."""
    raw = (raw or "").strip()
    if nue and raw and ":" not in raw:
        return {"1": _decode(name, raw)}
    cles: dict[str, bytes] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key_id, _, value = item.strip().partition(":")
        if not key_id.isdigit():
            raise ImproperlyConfigured(f"identifiant de clé invalide : {name}")
        if key_id in cles:
            raise ImproperlyConfigured(f"identifiant de clé en double : {name}[{key_id}]")
        cles[key_id] = _decode(f"{name}[{key_id}]", value)
    return cles


def _active(name: str, cles: dict[str, bytes], choisie: str | None) -> str:
    active = choisie or max(cles, key=int)
    if active not in cles:
        raise ImproperlyConfigured(f"la version active est absente du trousseau : {name}")
    return active


def charger() -> Trousseau:
    """Parse both key rings and the audit chain key; every key serves one purpose only."""
    maitres = _anneau("CHIFFREMENT_CLES_MAITRES", settings.CHIFFREMENT_CLES_MAITRES)
    if not maitres:
        raise ImproperlyConfigured("aucune clé maîtresse")
    active = _active("CHIFFREMENT_CLES_MAITRES", maitres, settings.CHIFFREMENT_CLE_ACTIVE)
    index = _anneau("INDEX_AVEUGLE_CLE", settings.INDEX_AVEUGLE_CLE, nue=True)
    if not index:
        raise ImproperlyConfigured("clé absente : INDEX_AVEUGLE_CLE")
    index_active = _active(
        "INDEX_AVEUGLE_CLE", index, getattr(settings, "INDEX_AVEUGLE_CLE_ACTIVE", None)
    )
    chaine = _decode("AUDIT_CHAINE_CLE", settings.AUDIT_CHAINE_CLE)
    distinctes = {chaine, *index.values(), *maitres.values()}
    if len(distinctes) != len(maitres) + len(index) + 1:
        raise ImproperlyConfigured("une clé ne sert qu'à un usage")
    return Trousseau(
        maitres=maitres,
        active=active,
        index_cles=index,
        index_active=index_active,
        audit_chaine=chaine,
    )


def sante() -> tuple[bool, dict[str, object]]:
    try:
        trousseau = charger()
    except ImproperlyConfigured:
        return False, {"statut": "invalides"}
    return True, {
        "statut": "ok",
        "cle_maitresse_active": trousseau.active,
        "cles_maitresses": len(trousseau.maitres),
        "index_aveugle_version_active": trousseau.index_active,
        "index_aveugle_versions": len(trousseau.index_cles),
    }
