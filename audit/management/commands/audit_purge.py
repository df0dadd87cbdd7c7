"""``manage.py audit_purge [--essai]``: retention purge of the access log (sealed prefix)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.purge import purger, retention_jours


class Command(BaseCommand):
    help = "Supprime les événements d'accès plus anciens que la durée de conservation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--essai", action="store_true", help="compter sans supprimer")

    def handle(self, *args: Any, **options: Any) -> None:
        resultat = purger(essai=options["essai"])
        verbe = "à supprimer" if resultat.essai else "supprimés"
        self.stdout.write(
            f"conservation {retention_jours()} jours : {resultat.supprimes} événements {verbe}"
            + (f" (jusqu'au numéro {resultat.jusqu_a})" if resultat.jusqu_a else "")
        )
