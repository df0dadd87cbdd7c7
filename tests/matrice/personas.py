"""The personas of the permission matrix: one per role, plus anonymous and without any role."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone
from django_otp.oath import totp
from rest_framework.test import APIClient

from acces.auth.authentication import empreinte_jeton
from acces.auth.models import JetonApi
from acces.auth.services import appareil_totp_creer
from acces.enums import ROLES_A_RESSORT, Role, TypeOrganisation
from acces.models import Commune, Habilitation, Organisation, Utilisateur

# persona -> (organisation type, role or None, communes, perimetre_cispd)
PERSONAS: dict[str, tuple[str, str | None, tuple[str, ...], bool]] = {
    "sans_habilitation": (TypeOrganisation.AUTRE, None, (), False),
    "delegue_procureur": (TypeOrganisation.PARQUET, Role.DELEGUE_PROCUREUR, (), False),
    "directeur_tranquillite": (
        TypeOrganisation.COMMUNE,
        Role.DIRECTEUR_TRANQUILLITE,
        ("21231",),
        False,
    ),
    "coordonnateur": (TypeOrganisation.COMMUNE, Role.COORDONNATEUR, ("21515",), False),
    "membre_cellule": (TypeOrganisation.PJJ, Role.MEMBRE_CELLULE, ("21231",), False),
    "referent_accueil": (
        TypeOrganisation.STRUCTURE_ACCUEIL,
        Role.REFERENT_ACCUEIL,
        ("21355",),
        False,
    ),
    "conseiller_execution": (TypeOrganisation.SPIP, Role.CONSEILLER_EXECUTION, (), False),
    "auditeur": (TypeOrganisation.METROPOLE, Role.AUDITEUR, (), False),
    "admin_technique": (TypeOrganisation.METROPOLE, Role.ADMIN_TECHNIQUE, (), False),
}
TOUS = ("anonyme", *PERSONAS)


def creer_utilisateur(persona: str) -> Utilisateur:
    type_organisation, role, communes, cispd = PERSONAS[persona]
    organisation, _ = Organisation.objects.get_or_create(
        nom=f"Organisation {persona}", defaults={"type": type_organisation}
    )
    user = Utilisateur.objects.create(
        username=f"{persona}.{secrets.token_hex(3)}", organisation=organisation
    )
    if role is not None:
        habilitation = Habilitation.objects.create(
            utilisateur=user,
            role=role,
            perimetre_cispd=cispd,
            ressort="tj-dijon" if role in ROLES_A_RESSORT else "",
            approuvee_le=timezone.now(),
        )
        habilitation.communes.set(Commune.objects.filter(code_insee__in=communes))
    return user


def session_pour(user: Utilisateur | None) -> APIClient:
    """A client logged in as people are: password and TOTP code through the login route."""
    client = APIClient()
    if user is None:
        return client
    password = secrets.token_urlsafe(18)
    user.set_password(password)
    user.save(update_fields=["password"])
    _, graine = appareil_totp_creer(utilisateur=user, nom="matrice")
    response = client.post(
        "/api/v1/auth/connexion/",
        {"username": user.username, "password": password, "otp": f"{totp(graine):06d}"},
        format="json",
    )
    # A user without habilitation cannot open a session: the client stays anonymous.
    assert response.status_code in (200, 401), response.content
    return client


def client_pour(user: Utilisateur | None) -> APIClient:
    """A client authenticated as scripts are: a personal Bearer token issued to ``user``."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=entete_jeton(user))
    return client


def entete_jeton(user: Utilisateur) -> str:
    """``Authorization`` value of a fresh personal token issued to ``user``."""
    valeur = secrets.token_urlsafe(32)
    JetonApi.objects.create(
        utilisateur=user,
        hash=empreinte_jeton(valeur),
        libelle="matrice",
        expire_le=timezone.now() + timedelta(days=1),
    )
    return f"Bearer {valeur}"
