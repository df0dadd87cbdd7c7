"""Key material read from settings (environment or ``*_FILE`` secrets), never from the database."""

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
    index_aveugle: bytes
    audit_chaine: bytes


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


def charger() -> Trousseau:
    """Parse ``CHIFFREMENT_CLES_MAITRES`` (``id:base64,id:base64``) and the other keys."""
    raw = settings.CHIFFREMENT_CLES_MAITRES or ""
    maitres: dict[str, bytes] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key_id, _, value = item.strip().partition(":")
        if not key_id.isdigit():
            raise ImproperlyConfigured("identifiant de clé maîtresse invalide")
        maitres[key_id] = _decode(f"CHIFFREMENT_CLES_MAITRES[{key_id}]", value)
    if not maitres:
        raise ImproperlyConfigured("aucune clé maîtresse")
    active = settings.CHIFFREMENT_CLE_ACTIVE or max(maitres, key=int)
    if active not in maitres:
        raise ImproperlyConfigured("la clé maîtresse active est absente du trousseau")
    index = _decode("INDEX_AVEUGLE_CLE", settings.INDEX_AVEUGLE_CLE)
    chaine = _decode("AUDIT_CHAINE_CLE", settings.AUDIT_CHAINE_CLE)
    distinctes = {index, chaine, *maitres.values()}
    if len(distinctes) != len(maitres) + 2:
        raise ImproperlyConfigured("une clé ne sert qu'à un usage")
    return Trousseau(maitres=maitres, active=active, index_aveugle=index, audit_chaine=chaine)


def sante() -> tuple[bool, dict[str, object]]:
    try:
        trousseau = charger()
    except ImproperlyConfigured:
        return False, {"statut": "invalides"}
    return True, {
        "statut": "ok",
        "cle_maitresse_active": trousseau.active,
        "cles_maitresses": len(trousseau.maitres),
    }
