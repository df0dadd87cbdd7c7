"""Demo organisations and one account per role; secrets derived from the local demo seed.

Each account has a synthetic address under a reserved domain, so that convocations are sent
(to the console in ``make run``) like in production.

Passwords and TOTP secrets are derived with HMAC from ``DEMO_GRAINE`` (generated once under
``var/``), so they are stable across runs on one machine and unknown elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from faker import Faker

from acces.auth.models import AppareilTotp
from acces.auth.services import appareil_totp_creer
from acces.enums import Role, TypeOrganisation
from acces.models import Charte, Commune, Habilitation, Organisation, Utilisateur


@dataclass(frozen=True)
class CompteDemo:
    username: str
    role: str
    organisation: str
    type_organisation: str
    communes: tuple[str, ...] = field(default_factory=tuple)
    ressort: str = ""
    perimetre_cispd: bool = False


COMPTES = (
    CompteDemo(
        "delegue.procureur",
        Role.DELEGUE_PROCUREUR,
        "Parquet de Dijon",
        TypeOrganisation.PARQUET,
        ressort="tj-dijon",
    ),
    CompteDemo(
        "dtp.dijon",
        Role.DIRECTEUR_TRANQUILLITE,
        "Ville de Dijon — tranquillité publique",
        TypeOrganisation.COMMUNE,
        ("21231",),
    ),
    CompteDemo(
        "dtp.chenove",
        Role.DIRECTEUR_TRANQUILLITE,
        "Ville de Chenôve — tranquillité publique",
        TypeOrganisation.COMMUNE,
        ("21166",),
    ),
    CompteDemo(
        "coord.quetigny",
        Role.COORDONNATEUR,
        "CLSPD de Quetigny",
        TypeOrganisation.COMMUNE,
        ("21515",),
    ),
    CompteDemo(
        "coord.cispd",
        Role.COORDONNATEUR,
        "Dijon Métropole — CISPD",
        TypeOrganisation.METROPOLE,
        perimetre_cispd=True,
    ),
    CompteDemo(
        "membre.pjj",
        Role.MEMBRE_CELLULE,
        "PJJ — unité éducative de Dijon",
        TypeOrganisation.PJJ,
        ("21231", "21166"),
    ),
    CompteDemo(
        "referent.accueil",
        Role.REFERENT_ACCUEIL,
        "Régie de quartier de Longvic",
        TypeOrganisation.STRUCTURE_ACCUEIL,
        ("21355",),
    ),
    # Conseillers d'exécution of the ressort: SPIP for adults, PJJ for minors.
    CompteDemo(
        "conseiller.spip",
        Role.CONSEILLER_EXECUTION,
        "SPIP de la Côte-d'Or — antenne de Dijon",
        TypeOrganisation.SPIP,
        ressort="tj-dijon",
    ),
    CompteDemo(
        "conseiller.pjj",
        Role.CONSEILLER_EXECUTION,
        "PJJ — service territorial éducatif de milieu ouvert de Dijon",
        TypeOrganisation.PJJ,
        ressort="tj-dijon",
    ),
    CompteDemo(
        "auditeur.dpo",
        Role.AUDITEUR,
        "Dijon Métropole — délégué à la protection des données",
        TypeOrganisation.METROPOLE,
    ),
    CompteDemo(
        "admin.technique",
        Role.ADMIN_TECHNIQUE,
        "Dijon Métropole — direction du numérique",
        TypeOrganisation.METROPOLE,
    ),
    # The second pair of eyes: grants are approved by another administrator.
    CompteDemo(
        "admin.securite",
        Role.ADMIN_TECHNIQUE,
        "Dijon Métropole — direction du numérique",
        TypeOrganisation.METROPOLE,
    ),
)


# Reserved top-level domain (RFC 2606): no demo message can reach a real mailbox.
DOMAINE_DEMO = "demo.invalid"


def adresse_demo(username: str) -> str:
    """The synthetic e-mail address of a demo account (convocations reach the console)."""
    return f"{username}@{DOMAINE_DEMO}"


def nom_demo(username: str) -> tuple[str, str]:
    """A synthetic first and last name (Faker ``fr_FR``), the same for a username everywhere:
    staff are shown by name in the directory, the relevé and the audit log."""
    graine = int.from_bytes(hashlib.sha256(f"nom:{username}".encode()).digest()[:8], "big")
    faux = Faker("fr_FR")
    faux.seed_instance(graine)
    return faux.first_name(), faux.last_name()


def _derive(purpose: str, username: str, length: int) -> bytes:
    seed = base64.b64decode(settings.DEMO_GRAINE)
    return hmac.new(seed, f"{purpose}:{username}".encode(), hashlib.sha256).digest()[:length]


def mot_de_passe(username: str) -> str:
    return base64.urlsafe_b64encode(_derive("mot-de-passe", username, 15)).decode()


def secret_totp(username: str) -> bytes:
    return _derive("totp", username, 20)


CHARTE_DEMO = (
    "Les informations échangées au sein des cellules de suivi personnalisé sont confidentielles "
    "(article L132-5 du code de la sécurité intérieure) et ne peuvent être communiquées à des "
    "tiers. Chaque membre s'engage à n'utiliser ces informations que pour l'exercice de sa mission "
    "et à signaler toute divulgation. Tout manquement entraîne l'exclusion de la cellule."
)


def charger() -> list[dict[str, Any]]:
    Charte.objects.get_or_create(
        version=1,
        defaults={"titre": "Charte déontologique des cellules de suivi", "texte": CHARTE_DEMO},
    )
    return [creer_compte(compte)[1] for compte in COMPTES]


def creer_compte(
    compte: CompteDemo, *, communes_organisation: bool = True
) -> tuple[Utilisateur, dict[str, Any]]:
    """One demo account (idempotent): organisation, synthetic address and name, derived
    password and TOTP secret, one approved habilitation. Returns it and what ``demo`` prints."""
    organisation, _ = Organisation.objects.get_or_create(
        nom=compte.organisation, defaults={"type": compte.type_organisation}
    )
    if compte.communes and communes_organisation:
        organisation.communes.add(*Commune.objects.filter(code_insee__in=compte.communes))
    user, created = Utilisateur.objects.get_or_create(
        username=compte.username, defaults={"organisation": organisation}
    )
    if user.email != adresse_demo(compte.username):
        user.email = adresse_demo(compte.username)
        user.save(update_fields=["email"])
    if not (user.first_name and user.last_name):
        user.first_name, user.last_name = nom_demo(compte.username)
        user.save(update_fields=["first_name", "last_name"])
    password = mot_de_passe(compte.username)
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    if not user.habilitations.filter(role=compte.role).exists():
        habilitation = Habilitation.objects.create(
            utilisateur=user,
            role=compte.role,
            ressort=compte.ressort,
            perimetre_cispd=compte.perimetre_cispd,
            # Demo accounts are seeded as approved (no second administrator to ask).
            approuvee_le=timezone.now(),
        )
        habilitation.communes.set(Commune.objects.filter(code_insee__in=compte.communes))
    key = secret_totp(compte.username)
    if not AppareilTotp.objects.filter(user=user, name="demo").exists():
        appareil_totp_creer(utilisateur=user, graine=key, nom="demo")
    return user, {
        "username": compte.username,
        "password": password,
        "totp_secret": base64.b32encode(key).decode(),
        "role": str(compte.role),
        "email": user.email,
        "organisation": compte.organisation,
        "communes": list(compte.communes),
    }
