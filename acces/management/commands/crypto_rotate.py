"""Rewrap every data key under the active master key; safe to interrupt and run again."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from acces.crypto import noyau
from acces.crypto.rotation import rotation


class Command(BaseCommand):
    help = "Réenveloppe les clés de données sous la clé maîtresse active, par lots."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--lot", type=int, default=500, help="taille d'un lot (défaut 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        taille: int = options["lot"]
        if taille < 1:
            raise CommandError("--lot doit être positif")
        try:
            bilan = rotation(taille)
        except noyau.EnveloppeInvalide as exc:
            raise CommandError(f"clé de données illisible ({exc}) : rotation arrêtée") from exc
        self.stdout.write(f"clé maîtresse active : {noyau.trousseau().active}")
        self.stdout.write(f"clés réenveloppées : {bilan.reenveloppees} en {bilan.lots} lot(s)")
        self.stdout.write(f"clés sur la clé active : {bilan.a_jour}")
        self.stdout.write(f"clés restantes : {bilan.restantes}")
