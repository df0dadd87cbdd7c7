"""``manage.py audit_checkpoint``: append a signed checkpoint of the chain head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit import points


class Command(BaseCommand):
    help = "Écrit un point de contrôle signé de la tête du journal des accès."

    def handle(self, *args: Any, **options: Any) -> None:
        point = points.ecrire_tete()
        self.stdout.write(f"point de contrôle écrit : numéro {point.seq} dans {points.chemin()}")
