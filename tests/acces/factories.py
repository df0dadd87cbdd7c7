# mypy: disallow-untyped-calls=False
"""Factories of the ``acces`` app: organisations, accounts, habilitations, TOTP devices.

Synthetic data only (Faker fr_FR). ``HabilitationFactory`` has one trait per role, e.g.
``HabilitationFactory(directeur_tranquillite=True, communes=["21231"])``. ``compte_complet``
builds a ready-to-log-in account (password + confirmed TOTP device + active habilitation).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_otp.oath import totp
from factory.declarations import (
    LazyAttribute,
    LazyFunction,
    PostGeneration,
    Sequence,
    SubFactory,
    Trait,
)
from factory.django import DjangoModelFactory
from factory.faker import Faker

from acces.auth.models import TOTP_CHIFFRES, TOTP_PAS, AppareilTotp
from acces.auth.services import appareil_totp_creer
from acces.enums import Role, TypeOrganisation
from acces.models import Commune, Habilitation, Organisation, Utilisateur

MOT_DE_PASSE = "cheval correct agrafe batterie"


class CommuneFactory(DjangoModelFactory[Commune]):
    """Get-or-create by INSEE code: the reference rows may or may not be loaded."""

    class Meta:
        model = Commune
        django_get_or_create = ("code_insee",)

    code_insee = Sequence(lambda n: f"98{n % 1000:03d}")
    nom = Faker("city", locale="fr_FR")
    code_postal = "21000"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("nom",)
        skip_postgeneration_save = True

    nom = Sequence(lambda n: f"Structure fictive {n}")
    type = TypeOrganisation.COMMUNE
    active = True

    communes = PostGeneration(
        lambda obj, create, extracted, **kwargs: _lier_communes(obj, create, extracted)
    )


class UtilisateurFactory(DjangoModelFactory[Utilisateur]):
    class Meta:
        model = Utilisateur
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"agent.{n}.{secrets.token_hex(3)}")
    first_name = Faker("first_name", locale="fr_FR")
    last_name = Faker("last_name", locale="fr_FR")
    email = LazyAttribute(lambda o: f"{o.username}@exemple.invalid")
    organisation = SubFactory(OrganisationFactory)
    is_active = True
    is_staff = False
    is_superuser = False

    password = PostGeneration(
        lambda obj, create, extracted, **kwargs: _mot_de_passe(obj, create, extracted)
    )


def _mot_de_passe(user: Utilisateur, create: bool, extracted: str | None) -> None:
    user.set_password(extracted or MOT_DE_PASSE)
    if create:
        user.save(update_fields=["password"])


def _communes(valeurs: Any) -> list[Commune]:
    communes: list[Commune] = []
    for valeur in valeurs:
        commune = valeur if isinstance(valeur, Commune) else CommuneFactory(code_insee=str(valeur))
        assert isinstance(commune, Commune)
        communes.append(commune)
    return communes


def _lier_communes(objet: Organisation | Habilitation, create: bool, extracted: Any) -> None:
    if create and extracted:
        objet.communes.set(_communes(extracted))


class HabilitationFactory(DjangoModelFactory[Habilitation]):
    class Meta:
        model = Habilitation
        skip_postgeneration_save = True

    utilisateur = SubFactory(UtilisateurFactory)
    role = Role.MEMBRE_CELLULE
    ressort = ""
    perimetre_cispd = False
    # Seeded as already approved; the four-eyes path goes through acces.services.
    approuvee_le = LazyFunction(timezone.now)

    class Params:
        delegue_procureur = Trait(role=Role.DELEGUE_PROCUREUR, ressort="tj-dijon")
        directeur_tranquillite = Trait(role=Role.DIRECTEUR_TRANQUILLITE)
        coordonnateur = Trait(role=Role.COORDONNATEUR)
        coordonnateur_cispd = Trait(role=Role.COORDONNATEUR, perimetre_cispd=True)
        membre_cellule = Trait(role=Role.MEMBRE_CELLULE)
        referent_accueil = Trait(role=Role.REFERENT_ACCUEIL)
        auditeur = Trait(role=Role.AUDITEUR)
        admin_technique = Trait(role=Role.ADMIN_TECHNIQUE)

    communes = PostGeneration(
        lambda obj, create, extracted, **kwargs: _lier_communes(obj, create, extracted)
    )


def code_totp(appareil: AppareilTotp) -> str:
    """The current code of a device, as an authenticator app would show it."""
    return f"{totp(appareil.graine(), TOTP_PAS, 0, TOTP_CHIFFRES):0{TOTP_CHIFFRES}d}"


def entete_otp(user: Utilisateur) -> dict[str, Any]:
    """A step-up code for the next request (``X-OTP``, as a script sends it with a token).

    A code is accepted once: the device is set back as if the next TOTP step had come.
    """
    appareil = AppareilTotp.objects.filter(user=user).first() or appareil_totp(user)
    AppareilTotp.objects.filter(pk=appareil.pk).update(
        derniere_etape=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return {"HTTP_X_OTP": code_totp(appareil)}


@dataclass
class Compte:
    utilisateur: Utilisateur
    mot_de_passe: str
    appareil: AppareilTotp
    habilitation: Habilitation

    @property
    def username(self) -> str:
        return str(self.utilisateur.username)

    def otp(self) -> str:
        return code_totp(self.appareil)

    def identifiants(self) -> dict[str, str]:
        return {"username": self.username, "password": self.mot_de_passe, "otp": self.otp()}


def compte_complet(role: str = Role.COORDONNATEUR, **habilitation: Any) -> Compte:
    """An active account with a password, a confirmed TOTP device and one active habilitation."""
    utilisateur = UtilisateurFactory()
    hab = HabilitationFactory(utilisateur=utilisateur, role=role, **habilitation)
    assert isinstance(utilisateur, Utilisateur)
    assert isinstance(hab, Habilitation)
    appareil = appareil_totp(user=utilisateur)
    return Compte(utilisateur, MOT_DE_PASSE, appareil, hab)


# Typed shortcuts (factory-boy calls are untyped for mypy).
def organisation(**champs: Any) -> Organisation:
    objet = OrganisationFactory(**champs)
    assert isinstance(objet, Organisation)
    return objet


def utilisateur(**champs: Any) -> Utilisateur:
    objet = UtilisateurFactory(**champs)
    assert isinstance(objet, Utilisateur)
    return objet


def habilitation(**champs: Any) -> Habilitation:
    objet = HabilitationFactory(**champs)
    assert isinstance(objet, Habilitation)
    return objet


def commune(code_insee: str, nom: str) -> Commune:
    objet = CommuneFactory(code_insee=code_insee, nom=nom)
    assert isinstance(objet, Commune)
    return objet


def appareil_totp(user: Utilisateur | None = None) -> AppareilTotp:
    """A confirmed device with an encrypted seed (through the real service)."""
    appareil, _ = appareil_totp_creer(utilisateur=user or utilisateur())
    return appareil
