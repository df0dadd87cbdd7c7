"""Signed checkpoints of the chain head, written outside the database (JSON lines, fsync).

A ``tete`` line anchors the head at a time (truncation of the tail is then detected); a
``sceau`` line is written by the purge before it deletes a sealed prefix, so that verification
resumes from it. Each line is signed with a key derived from ``AUDIT_CHAINE_CLE``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit import chaine

logger = logging.getLogger("audit.points")

FICHIER = "points-de-controle.jsonl"
TETE = "tete"
SCEAU = "sceau"


@dataclass(frozen=True)
class PointDeControle:
    type: str
    seq: int
    hash: str
    horodatage: str

    def charge_utile(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode()


class PointInvalide(ValueError):
    """A checkpoint line that does not parse or whose signature is wrong (forged file)."""

    def __init__(self, ligne: int) -> None:
        super().__init__(f"point de contrôle invalide, ligne {ligne}")
        self.ligne = ligne


def repertoire() -> Path:
    return Path(settings.AUDIT_POINTS_DE_CONTROLE_DIR)


def chemin() -> Path:
    return repertoire() / FICHIER


def signer(point: PointDeControle) -> str:
    return hmac.new(chaine.cle_signature(), point.charge_utile(), hashlib.sha256).hexdigest()


def ecrire(type_point: str, seq: int, hash_: str) -> PointDeControle:
    """Append one signed line and fsync it before returning; also one log line."""
    point = PointDeControle(type_point, seq, hash_, timezone.now().isoformat())
    ligne = json.dumps({**asdict(point), "signature": signer(point)}, sort_keys=True) + "\n"
    repertoire().mkdir(parents=True, exist_ok=True)
    fd = os.open(chemin(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, ligne.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    logger.info("audit_point_de_controle", extra={"type": type_point, "seq": seq, "hash": hash_})
    return point


def ecrire_tete() -> PointDeControle:
    """Checkpoint of the current head (command ``audit_checkpoint`` and the beat task)."""
    tete = chaine.tete()
    return ecrire(TETE, tete.seq, tete.hash)


def _lire(numero: int, texte: str) -> PointDeControle:
    try:
        donnees = json.loads(texte)
        signature = donnees.pop("signature")
        point = PointDeControle(
            type=str(donnees["type"]),
            seq=int(donnees["seq"]),
            hash=str(donnees["hash"]),
            horodatage=str(donnees["horodatage"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PointInvalide(numero) from None
    if set(donnees) != {"type", "seq", "hash", "horodatage"} or point.type not in (TETE, SCEAU):
        raise PointInvalide(numero)
    if not isinstance(signature, str) or not hmac.compare_digest(signature, signer(point)):
        raise PointInvalide(numero)
    return point


def lire() -> Iterator[PointDeControle]:
    """Every checkpoint, checked; raises :class:`PointInvalide` on the first bad line."""
    if not chemin().exists():
        return
    with chemin().open(encoding="utf-8") as fichier:
        for numero, texte in enumerate(fichier, start=1):
            if texte.strip():
                yield _lire(numero, texte)
