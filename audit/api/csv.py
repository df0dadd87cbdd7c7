"""CSV export of the access log, formula-escaped (cells read by spreadsheet software)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from audit.journal import detail_affiche
from audit.models import EvenementAcces

COLONNES = (
    "seq",
    "horodatage",
    "utilisateur_id",
    "roles",
    "organisation_id",
    "action",
    "type_objet",
    "objet_id",
    "personne_id",
    "motif",
    "motif_detail",
    "resultat",
    "raison",
    "nombre",
    "request_id",
    "adresse_ip",
    "hash",
)
_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def cellule(valeur: object) -> str:
    """Text of one cell; a leading formula character gets an apostrophe (CSV injection)."""
    if valeur is None:
        return ""
    texte = valeur.isoformat() if hasattr(valeur, "isoformat") else str(valeur)
    return "'" + texte if texte.startswith(_DANGEREUX) else texte


def _valeur(evenement: EvenementAcces, colonne: str) -> object:
    if colonne == "motif_detail":
        return detail_affiche(evenement.motif_detail)
    return getattr(evenement, colonne)


def lignes(evenements: Iterable[EvenementAcces]) -> Iterator[str]:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\r\n")

    def vider() -> str:
        texte = tampon.getvalue()
        tampon.seek(0)
        tampon.truncate(0)
        return texte

    ecrivain.writerow(COLONNES)
    yield vider()
    for evenement in evenements:
        ecrivain.writerow([cellule(_valeur(evenement, colonne)) for colonne in COLONNES])
        yield vider()
