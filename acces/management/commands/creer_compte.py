"""Create a professional account for an operator: no password yet, a TOTP device, one role."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from acces.auth.services import compte_creer
from acces.enums import Role
from acces.models import Commune, Organisation


def _organisation(valeur: str) -> Organisation:
    try:
        return Organisation.objects.get(pk=uuid.UUID(valeur))
    except (ValueError, Organisation.DoesNotExist):
        pass
    organisation = Organisation.objects.filter(nom=valeur).first()
    if organisation is None:
        raise CommandError("Organisation introuvable (nom exact ou identifiant).")
    return organisation


def _communes(valeur: str) -> list[Commune]:
    codes = [code.strip() for code in valeur.split(",") if code.strip()]
    communes = list(Commune.objects.filter(code_insee__in=codes))
    inconnues = sorted(set(codes) - {commune.code_insee for commune in communes})
    if inconnues:
        raise CommandError(f"Codes INSEE inconnus : {', '.join(inconnues)}.")
    return communes


class Command(BaseCommand):
    help = (
        "Crée un compte (jamais superutilisateur) avec une habilitation, un appareil TOTP, et "
        "affiche une seule fois l'URI de configuration TOTP et le lien de choix du mot de passe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=list(Role.values))
        parser.add_argument("--organisation", required=True, help="nom exact ou identifiant")
        parser.add_argument("--communes", default="", help="codes INSEE séparés par des virgules")
        parser.add_argument("--ressort", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--perimetre-cispd", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cree = compte_creer(
                username=options["username"],
                role=options["role"],
                organisation=_organisation(options["organisation"]),
                communes=_communes(options["communes"]),
                ressort=options["ressort"],
                email=options["email"],
                perimetre_cispd=options["perimetre_cispd"],
            )
        except ValueError as exc:
            if str(exc) == "username_existant":
                raise CommandError("Cet identifiant existe déjà.") from None
            raise CommandError("Données invalides.") from None
        except ValidationError as exc:
            raise CommandError(f"Données invalides : {'; '.join(exc.messages)}") from None
        self.stdout.write(f"Compte créé : {cree.utilisateur.pk}")
        if cree.habilitation.approuvee_le is None:
            self.stdout.write(
                "Habilitation en attente : un administrateur technique l'approuve par "
                f"POST /api/v1/habilitations/{cree.habilitation.pk}/approbation/."
            )
        self.stdout.write("URI TOTP (à transmettre une seule fois, par un canal sûr) :")
        self.stdout.write(f"  {cree.uri_totp}")
        self.stdout.write("Choix du mot de passe (lien valable une heure, usage unique) :")
        self.stdout.write(f"  {cree.lien}")
        self.stdout.write(f"  uid={cree.uid} token={cree.token}")
        self.stdout.write("POST /api/v1/auth/mot-de-passe/reinitialisation/ avec uid, token, ")
        self.stdout.write("nouveau_mot_de_passe et le code TOTP.")
