"""Key rotation, safe to interrupt and run again.

Without option: rewrap every data key under the active master key. With ``--index``: recompute
every declared blind index under the active version of ``INDEX_AVEUGLE_CLE``.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from acces.crypto import noyau
from acces.crypto.erreurs import DechiffrementImpossible
from acces.crypto.rotation import rotation
from acces.crypto.rotation_index import rotation_index


class Command(BaseCommand):
    help = (
        "Réenveloppe les clés de données sous la clé maîtresse active, par lots ; avec --index, "
        "recalcule les index aveugles sous la version active de la clé d'index."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--lot", type=int, default=500, help="taille d'un lot (défaut 500)")
        parser.add_argument(
            "--index",
            action="store_true",
            help="recalculer les index aveugles sous la version active de la clé d'index",
        )
        parser.add_argument(
            "--recommencer",
            action="store_true",
            help="avec --index : tout reparcourir même si une rotation est déjà terminée",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        taille: int = options["lot"]
        if taille < 1:
            raise CommandError("--lot doit être positif")
        if options["recommencer"] and not options["index"]:
            raise CommandError("--recommencer ne s'emploie qu'avec --index")
        if options["index"]:
            self._index(taille, options["recommencer"])
            return
        try:
            bilan = rotation(taille)
        except noyau.EnveloppeInvalide as exc:
            raise CommandError(f"clé de données illisible ({exc}) : rotation arrêtée") from exc
        self.stdout.write(f"clé maîtresse active : {noyau.trousseau().active}")
        self.stdout.write(f"clés réenveloppées : {bilan.reenveloppees} en {bilan.lots} lot(s)")
        self.stdout.write(f"clés sur la clé active : {bilan.a_jour}")
        self.stdout.write(f"clés restantes : {bilan.restantes}")

    def _index(self, taille: int, recommencer: bool) -> None:
        try:
            bilan = rotation_index(taille, recommencer)
        except DechiffrementImpossible as exc:
            raise CommandError(
                f"valeur indéchiffrable ({exc.raison}) : rotation des index arrêtée, "
                "relancer la commande après correction"
            ) from exc
        self.stdout.write(f"version active de la clé d'index : {bilan.version}")
        self.stdout.write(
            f"lignes lues : {bilan.lus}, index réécrits : {bilan.reecrits} en {bilan.lots} lot(s)"
        )
        for nom, etat in bilan.colonnes.items():
            self.stdout.write(f"{nom} : {etat}")
