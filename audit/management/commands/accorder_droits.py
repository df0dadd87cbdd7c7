"""``manage.py accorder_droits --role <rôle>``: the application role's privileges (D4).

Run by the schema owner after each ``migrate``. The role must already exist and own nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from audit.droits_base import accorder


class Command(BaseCommand):
    help = (
        "Accorde au rôle PostgreSQL de l'application ses droits : lecture et ajout seuls sur "
        "les journaux, purge par la fonction du propriétaire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, help="rôle de connexion de l'application")

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if connection.vendor != "postgresql":
            raise CommandError("réservé à PostgreSQL")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = %s",
                [role],
            )
            ligne = cursor.fetchone()
        if ligne is None:
            raise CommandError(f"le rôle {role} n'existe pas")
        if ligne[0] or ligne[1]:
            raise CommandError(
                "le rôle de l'application ne doit être ni superutilisateur "
                "ni propriétaire du schéma"
            )
        try:
            with transaction.atomic():
                nombre = accorder(role)
        except ValueError as erreur:
            raise CommandError(str(erreur)) from erreur
        self.stdout.write(f"{nombre} instructions appliquées au rôle {role}")
