"""CSV export of the access log, formula-escaped (cells read by spreadsheet software).

Times as in the JSON (Paris time, offset written); the staff accounts and organisations named,
looked up once per batch of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from itertools import islice

from audit.api.serializers import iso_paris
from audit.journal import detail_affiche
from audit.models import EvenementAcces
from audit.selectors import Annuaire

LOT = 2000
COLONNES = (
    "seq",
    "horodatage",
    "utilisateur_id",
    "utilisateur_nom",
    "roles",
    "organisation_id",
    "organisation_nom",
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
    if isinstance(valeur, dt.datetime):
        texte = iso_paris(valeur)
    else:
        texte = valeur.isoformat() if hasattr(valeur, "isoformat") else str(valeur)
    return "'" + texte if texte.startswith(_DANGEREUX) else texte


def _valeur(evenement: EvenementAcces, colonne: str, annuaire: Annuaire) -> object:
    if colonne == "motif_detail":
        return detail_affiche(evenement.motif_detail)
    if colonne == "utilisateur_nom":
        return annuaire.compte(evenement.utilisateur_id)
    if colonne == "organisation_nom":
        return annuaire.organisation(evenement.organisation_id)
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
    annuaire = Annuaire()
    source = iter(evenements)
    while lot := list(islice(source, LOT)):
        annuaire.completer_evenements(lot)
        for evenement in lot:
            ecrivain.writerow(
                [cellule(_valeur(evenement, colonne, annuaire)) for colonne in COLONNES]
            )
            yield vider()
