"""Registry of the blind-index columns of the domain apps (``acces`` imports none of them).

A domain app declares each index column and how to recompute it from the row's clear values
under a given key version, typically from its ``AppConfig.ready``::

    declarer_index(Personne, "index_identite", recalculer_identite)

``crypto_rotate --index`` walks every declared column and rewrites each stored index under the
active version of ``INDEX_AVEUGLE_CLE``. An empty or NULL stored value means "no index" (purged
row) and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

Recalcul = Callable[[Any, str], bytes]


@dataclass(frozen=True)
class IndexDeclare:
    modele: type[models.Model]
    champ: str
    recalculer: Recalcul
    # Foreign key to ``CleDonnees``: the keys of a batch are fetched in one query.
    cle: str | None = "cle"

    @property
    def nom(self) -> str:
        return f"{self.modele._meta.label_lower}.{self.champ}"


_registre: dict[str, IndexDeclare] = {}


def declarer_index(
    modele: type[models.Model], champ: str, recalculer: Recalcul, cle: str | None = "cle"
) -> IndexDeclare:
    """Declare (idempotently) that ``modele.champ`` holds a blind index."""
    if not isinstance(modele._meta.get_field(champ), models.BinaryField):
        raise TypeError("un index aveugle est une colonne binaire")
    declare = IndexDeclare(modele=modele, champ=champ, recalculer=recalculer, cle=cle)
    _registre[declare.nom] = declare
    return declare


def index_declares() -> list[IndexDeclare]:
    return [_registre[nom] for nom in sorted(_registre)]


def retirer_index(nom: str) -> None:
    """Forget a declaration (tests)."""
    _registre.pop(nom, None)


__all__ = ["IndexDeclare", "declarer_index", "index_declares", "retirer_index"]
