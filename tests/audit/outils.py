"""Helpers of the audit tests: synthetic events and raw SQL with the trigger off."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection

from audit import chaine
from audit.enums import ActionAcces, Motif, Resultat
from audit.models import EvenementAcces

TABLE = EvenementAcces._meta.db_table


def ligne(horodatage: datetime | None = None, **valeurs: object) -> dict[str, object]:
    donnees: dict[str, object] = {
        "utilisateur_id": uuid.uuid4(),
        "roles": "membre_cellule",
        "organisation_id": uuid.uuid4(),
        "action": ActionAcces.CONSULTATION,
        "type_objet": "cellules.situation",
        "objet_id": str(uuid.uuid4()),
        "motif": Motif.PREPARATION_SEANCE,
        "resultat": Resultat.AUTORISE,
        "request_id": uuid.uuid4().hex,
        "adresse_ip": "192.0.2.10",
        **valeurs,
    }
    if horodatage is not None:
        donnees["horodatage"] = horodatage
    return donnees


def remplir(nombre: int, horodatage: datetime | None = None) -> list[EvenementAcces]:
    return chaine.ajouter([ligne(horodatage) for _ in range(nombre)])


@contextmanager
def sans_declencheur() -> Iterator[None]:
    """Tamper as a superuser would: ``ALTER TABLE … DISABLE TRIGGER ALL`` (owner only).

    The application role in production is neither owner nor superuser and cannot do this.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER ALL")


def sql(requete: str, parametres: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(requete, parametres or [])
