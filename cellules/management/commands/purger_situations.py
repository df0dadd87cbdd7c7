"""``manage.py purger_situations [--essai]``: archive and purge cases past their retention.

Also deletes the register entries (rappels à l'ordre, transactions, their measures) past their
own retention and shreds the persons nothing retains any more.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cellules.dossiers.purge import purger_situations


class Command(BaseCommand):
    help = (
        "Archive les situations clôturées, purge les situations et les entrées des registres "
        "dont la durée de conservation est échue, efface les personnes qui ne sont plus retenues."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--essai", action="store_true", help="afficher sans rien modifier")

    def _ids(self, libelle: str, ids: list[uuid.UUID]) -> None:
        for identifiant in ids:
            self.stdout.write(f"  {libelle} {identifiant}")

    def handle(self, *args: Any, **options: Any) -> None:
        bilan = purger_situations(essai=options["essai"])
        comptes = bilan.comptes()
        if bilan.essai:
            self.stdout.write("essai : aucune modification")
            verbes = ("à archiver", "à purger", "à effacer")
        else:
            verbes = ("archivées", "purgées", "effacées")
        self.stdout.write(
            f"situations {verbes[0]} : {comptes['archivees']}, "
            f"situations {verbes[1]} : {comptes['purgees']}, "
            f"personnes {verbes[2]} : {comptes['personnes_effacees']}"
        )
        # Register entries: counts only (their ids would tell who had an entry when).
        entrees = "à supprimer" if bilan.essai else "supprimées"
        self.stdout.write(
            f"registres, entrées {entrees} : rappels à l'ordre {comptes['rappels_supprimes']}, "
            f"transactions {comptes['transactions_supprimees']}, "
            f"mesures {comptes['mesures_supprimees']}"
        )
        self._ids("situation archivée", bilan.archivees)
        self._ids("situation purgée", bilan.purgees)
        self._ids("personne effacée", bilan.personnes_effacees)
