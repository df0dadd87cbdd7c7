"""Blind-index columns of ``cellules``, declared to ``acces.crypto`` for key rotation (C9)."""

from __future__ import annotations

import datetime as dt

from acces.crypto.champs import dechiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.registre import declarer_index
from cellules.dossiers.models import Personne


def index_identite(personne: Personne, version: str) -> bytes:
    """``Personne.index_identite`` recomputed from the decrypted identity under ``version``."""
    nom = dechiffrer(personne, "nom")
    prenom = dechiffrer(personne, "prenom")
    naissance = dechiffrer(personne, "date_naissance")
    if not isinstance(nom, str) or not isinstance(prenom, str):
        raise TypeError("identité incomplète")
    if not isinstance(naissance, dt.date):
        raise TypeError("date de naissance absente")
    return index_aveugle(nom, prenom, naissance, version=version)


def enregistrer() -> None:
    declarer_index(Personne, "index_identite", index_identite)
