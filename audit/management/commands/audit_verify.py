"""``manage.py audit_verify``: exit 0 on an intact access log, 1 naming the first bad event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verification import TAILLE_LOT, verifier


class Command(BaseCommand):
    help = "Vérifie la chaîne du journal des accès et ses points de contrôle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--taille-lot", type=int, default=TAILLE_LOT)

    def handle(self, *args: Any, **options: Any) -> None:
        rapport = verifier(taille_lot=max(1, options["taille_lot"]))
        if not rapport.ok:
            raise CommandError(
                f"journal des accès altéré : premier événement invalide "
                f"{rapport.premier_seq_invalide} ({rapport.raison})",
                returncode=1,
            )
        self.stdout.write(
            f"journal des accès intègre : {rapport.verifies} événements vérifiés, "
            f"dernier numéro {rapport.dernier_seq}"
        )
