"""Hash chain of the access log: canonical form, keyed hashes and serialised appends.

``hash = HMAC-SHA-256(K_chaine, canonical_json(row) )`` where the canonical row includes ``seq``
and ``hash_precedent``; ``K_chaine`` is derived from ``AUDIT_CHAINE_CLE`` (outside the database),
so recomputing hashes after an edit needs the key, and the checkpoints written outside the
database anchor the head against truncation.

Appends take the row lock of the one-row :class:`~audit.models.TeteChaine` until the end of the
caller's transaction: seq stays gap-free and no two rows share a previous hash (D6), and a rolled
back read leaves neither an event nor a hole. Consequences for callers: log last, just before the
transaction ends (the lock serialises concurrent readers until commit), and never append from a
second connection while the first one holds the lock (it would wait for it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from acces.crypto.keys import charger
from audit.models import HASH_INITIAL, EvenementAcces, TeteChaine

# Fields covered by the hash, in a fixed list: adding a column means a new version.
CHAMPS = (
    "seq",
    "horodatage",
    "utilisateur_id",
    "roles",
    "organisation_id",
    "action",
    "type_objet",
    "objet_id",
    "motif",
    "motif_detail",
    "resultat",
    "raison",
    "nombre",
    "request_id",
    "adresse_ip",
    "hash_precedent",
)
VERSION = "v1"
# Columns added later: hashed only when set, so that rows written before keep their hash and a
# value added to (or removed from) any row breaks it.
CHAMPS_FACULTATIFS = ("personne_id",)
CHAMPS_LUS = (*CHAMPS, *CHAMPS_FACULTATIFS)


def _derivee(usage: str) -> bytes:
    return hmac.new(charger().audit_chaine, f"audit.{usage}.{VERSION}".encode(), "sha256").digest()


def cle_chaine() -> bytes:
    """Key of the row hashes (one derivation per use of ``AUDIT_CHAINE_CLE``)."""
    return _derivee("chaine")


def cle_signature() -> bytes:
    """Key of the checkpoint signatures."""
    return _derivee("point_de_controle")


def _horodatage(valeur: dt.datetime) -> str:
    return valeur.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _texte(valeur: object) -> object:
    if valeur is None or isinstance(valeur, (int, str)):
        return valeur
    if isinstance(valeur, dt.datetime):
        return _horodatage(valeur)
    if isinstance(valeur, uuid.UUID):
        return str(valeur)
    raise TypeError(type(valeur).__name__)


def canonique(ligne: Mapping[str, Any]) -> bytes:
    """Sorted-key compact JSON of the hashed fields; datetimes in UTC with microseconds.

    An optional field (:data:`CHAMPS_FACULTATIFS`) enters the JSON only when it is not null.
    """
    donnees = {champ: _texte(ligne.get(champ)) for champ in CHAMPS}
    for champ in CHAMPS_FACULTATIFS:
        if ligne.get(champ) is not None:
            donnees[champ] = _texte(ligne[champ])
    return json.dumps(donnees, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def empreinte(ligne: Mapping[str, Any], cle: bytes | None = None) -> str:
    return hmac.new(cle or cle_chaine(), canonique(ligne), hashlib.sha256).hexdigest()


def normaliser_ip(valeur: str | None) -> str | None:
    """The canonical text of an address (as PostgreSQL's ``inet`` prints it), or None."""
    if not valeur:
        return None
    try:
        return ipaddress.ip_address(valeur.strip()).compressed
    except ValueError:
        return None


@dataclass(frozen=True)
class Tete:
    seq: int
    hash: str


def _verrouiller_tete() -> TeteChaine:
    tete, _ = TeteChaine.objects.select_for_update().get_or_create(id=1)
    return tete


def tete() -> Tete:
    """The current head, without lock (for checkpoints)."""
    ligne = TeteChaine.objects.filter(id=1).values_list("seq", "hash").first()
    return Tete(*ligne) if ligne else Tete(0, HASH_INITIAL)


def _construire(
    champs: Mapping[str, Any], seq: int, precedent: str, cle: bytes, maintenant: dt.datetime
) -> EvenementAcces:
    ligne = {"horodatage": maintenant, **champs, "seq": seq, "hash_precedent": precedent}
    ligne["adresse_ip"] = normaliser_ip(ligne.get("adresse_ip"))
    evenement = EvenementAcces(**ligne)
    # Hash the instance (model defaults applied), i.e. exactly what the database will return.
    evenement.hash = empreinte({champ: getattr(evenement, champ) for champ in CHAMPS_LUS}, cle)
    return evenement


@transaction.atomic
def ajouter(lignes: Iterable[Mapping[str, Any]]) -> list[EvenementAcces]:
    """Append events in the caller's transaction (the head stays locked until it commits).

    Each mapping holds the model fields except ``seq``, ``hash_precedent`` and ``hash``; the
    time is taken under the lock (so it grows with ``seq``) unless given (bulk loads, tests).
    """
    a_ajouter = list(lignes)
    if not a_ajouter:
        return []  # an empty page takes no lock
    tete_chaine = _verrouiller_tete()
    maintenant = timezone.now()
    cle = cle_chaine()
    seq, precedent = tete_chaine.seq, tete_chaine.hash
    evenements: list[EvenementAcces] = []
    for champs in a_ajouter:
        seq += 1
        evenement = _construire(champs, seq, precedent, cle, maintenant)
        precedent = evenement.hash
        evenements.append(evenement)
    EvenementAcces.objects.bulk_create(evenements, batch_size=1000)
    tete_chaine.seq, tete_chaine.hash = seq, precedent
    tete_chaine.save(update_fields=["seq", "hash"])
    return evenements
