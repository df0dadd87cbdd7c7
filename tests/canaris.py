"""Canary identities and a scanner for their encodings (checklist C1, D8, E4–E7).

A canary is a synthetic identity whose name and first name carry a unique, accented tag, so that
a leak can be grepped in a database dump, logs, e-mails or task messages without false
positives. Birth dates are not scanned: a date alone is neither unique nor greppable.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import subprocess
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from django.db import connections
from faker import Faker

_faker = Faker("fr_FR")


@dataclass(frozen=True)
class Canari:
    nom: str
    prenom: str
    date_naissance: dt.date
    marque: str

    def valeurs(self) -> tuple[str, ...]:
        """What must never appear in clear: each part, the full name, and the bare tag."""
        return (self.nom, self.prenom, f"{self.prenom} {self.nom}", self.marque)


@dataclass(frozen=True)
class Touche:
    marque: str
    valeur: str
    encodage: str
    position: int


def canari() -> Canari:
    """A fresh synthetic identity, e.g. ``Élodie-ZQX7É3fa9…`` / ``Dupont-Ñœ3fa9…``."""
    suffixe = secrets.token_hex(6)
    marque = f"ZQX7É{suffixe}"
    return Canari(
        nom=f"{_faker.last_name()}-Ñœ{suffixe}",
        prenom=f"Élodie-{marque}",
        date_naissance=_faker.date_of_birth(minimum_age=12, maximum_age=25),
        marque=marque,
    )


def encodages(valeur: str) -> dict[str, bytes]:
    """The forms a leaked value may take: UTF-8, case, NFC/NFD, JSON, URL, base64, hex."""
    formes: dict[str, str] = {
        "brut": valeur,
        "majuscules": valeur.upper(),
        "minuscules": valeur.lower(),
        "nfc": unicodedata.normalize("NFC", valeur),
        "nfd": unicodedata.normalize("NFD", valeur),
        "json": json.dumps(valeur)[1:-1],
        "json_nfd": json.dumps(unicodedata.normalize("NFD", valeur))[1:-1],
        "url": quote(valeur),
        "url_plus": quote_plus(valeur),
    }
    sorties = {nom: forme.encode() for nom, forme in formes.items()}
    utf8 = valeur.encode()
    sorties["base64"] = base64.b64encode(utf8).rstrip(b"=")
    sorties["base64_url"] = base64.urlsafe_b64encode(utf8).rstrip(b"=")
    sorties["hex"] = utf8.hex().encode()
    sorties["hex_majuscules"] = utf8.hex().upper().encode()
    sorties["utf16"] = valeur.encode("utf-16-le")
    return {nom: forme for nom, forme in sorties.items() if len(forme) >= 4}


def scanner(blob: bytes | str, canaris: list[Canari]) -> list[Touche]:
    """Every occurrence of any canary value in any encoding."""
    donnees = blob.encode() if isinstance(blob, str) else blob
    touches: list[Touche] = []
    for c in canaris:
        for valeur in c.valeurs():
            for encodage, forme in encodages(valeur).items():
                position = donnees.find(forme)
                if position >= 0:
                    touches.append(Touche(c.marque, valeur, encodage, position))
    return touches


def pg_dump_donnees() -> bytes:
    """``pg_dump --data-only`` of the current (test) database; committed rows only."""
    reglages = connections["default"].settings_dict
    commande = ["pg_dump", "--data-only", "--no-owner", "--dbname", reglages["NAME"]]
    if reglages.get("HOST"):
        commande += ["--host", str(reglages["HOST"])]
    if reglages.get("PORT"):
        commande += ["--port", str(reglages["PORT"])]
    if reglages.get("USER"):
        commande += ["--username", str(reglages["USER"])]
    env = {**os.environ, "PGPASSWORD": str(reglages.get("PASSWORD") or "")}
    return subprocess.run(commande, check=True, capture_output=True, env=env).stdout


@contextmanager
def ecritures_validees() -> Iterator[None]:
    """Inside a ``django_db`` test, run the ORM on a second connection in autocommit.

    ``pg_dump`` only sees committed rows; a transactional test would flush every table at the
    end (reference data from migrations included), so commit on the side and let the caller
    delete what it wrote.
    """
    original = connections["default"]
    autre = connections.create_connection("default")
    if not str(autre.settings_dict["NAME"]).startswith("test_"):
        raise RuntimeError("base de test attendue")
    connections["default"] = autre
    try:
        yield
    finally:
        autre.close()
        connections["default"] = original
