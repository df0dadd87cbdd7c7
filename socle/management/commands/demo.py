"""Load the synthetic demo dataset (idempotent) and print the demo accounts."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Charge le jeu de démonstration (données synthétiques) et affiche les comptes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="comptes au format JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("La démonstration est refusée quand DEBUG est désactivé.")
        comptes: list[dict[str, Any]] = []
        with transaction.atomic():
            for path in settings.DEMO_ETAPES:
                resultat = import_string(path)()
                comptes.extend(resultat or [])
        if options["json"]:
            self.stdout.write(json.dumps(comptes, ensure_ascii=False, indent=2))
            return
        self.stdout.write("Comptes de démonstration (mot de passe + code TOTP) :")
        for compte in comptes:
            self.stdout.write(
                f"  {compte['username']:<24} {compte['role']:<24} mot de passe : "
                f"{compte['password']}  secret TOTP : {compte['totp_secret']}"
            )
        self.stdout.write("Connexion : POST /api/v1/auth/connexion/ (voir README).")
