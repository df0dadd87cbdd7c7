"""``manage.py creer_compte``: operators create accounts without ever seeing a password."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from rest_framework.test import APIClient

from acces.auth.models import AppareilTotp
from acces.enums import Role
from acces.models import Utilisateur
from acces.services import habilitation_approuver
from tests.acces.factories import commune, organisation, utilisateur
from tests.cellules.composition.factories import agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def horloge() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def _creer(*arguments: str) -> str:
    sortie = StringIO()
    call_command("creer_compte", *arguments, stdout=sortie)
    return sortie.getvalue()


def test_creer_compte_prints_totp_uri_and_single_use_link_then_the_account_works(
    horloge: time_machine.Coordinates,
) -> None:
    orga = organisation(nom="Ville fictive — tranquillité publique")
    commune("21231", "Dijon")
    commune("21166", "Chenôve")
    sortie = _creer(
        "--username",
        "dtp.fictive",
        "--role",
        Role.DIRECTEUR_TRANQUILLITE,
        "--organisation",
        orga.nom,
        "--communes",
        "21231,21166",
        "--email",
        "dtp.fictive@exemple.invalid",
    )
    user = Utilisateur.objects.get(username="dtp.fictive")
    assert not user.has_usable_password()
    assert not user.is_superuser and not user.is_staff
    habilitation = user.habilitations.get()
    assert habilitation.role == Role.DIRECTEUR_TRANQUILLITE
    assert sorted(habilitation.communes.values_list("code_insee", flat=True)) == ["21166", "21231"]
    # A role reading personal data waits for an administrator's approval (issue 9, item 2).
    assert habilitation.approuvee_le is None
    assert f"/api/v1/habilitations/{habilitation.pk}/approbation/" in sortie
    habilitation_approuver(habilitation=habilitation, acteur=agent(Role.ADMIN_TECHNIQUE))
    appareil = AppareilTotp.objects.get(user=user, confirmed=True)
    uri = re.search(r"otpauth://\S+", sortie)
    assert uri
    secret = parse_qs(urlsplit(uri.group(0)).query)["secret"][0]
    assert secret.rstrip("=") == base64.b32encode(appareil.graine()).decode().rstrip("=")
    assert appareil.graine().hex() not in sortie
    lien = re.search(r"uid=(\S+) token=(\S+)", sortie)
    assert lien
    uid, token = lien.groups()
    code = f"{totp(appareil.graine()):06d}"
    nouveau = "ma toute nouvelle phrase de passe"
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": nouveau, "otp": code}
    client = APIClient()
    assert (
        client.post("/api/v1/auth/mot-de-passe/reinitialisation/", corps, format="json").status_code
        == 204
    )
    horloge.shift(timedelta(seconds=31))
    identifiants = {
        "username": "dtp.fictive",
        "password": nouveau,
        "otp": f"{totp(appareil.graine()):06d}",
    }
    assert client.post("/api/v1/auth/connexion/", identifiants, format="json").status_code == 200


def test_creer_compte_refuses_existing_username() -> None:
    existant = utilisateur(username="deja.la")
    orga = organisation()
    with pytest.raises(CommandError, match="existe déjà"):
        _creer("--username", "Deja.La", "--role", Role.AUDITEUR, "--organisation", orga.nom)
    assert Utilisateur.objects.filter(username__iexact="deja.la").get() == existant


def test_creer_compte_refuses_unknown_organisation_commune_or_role() -> None:
    orga = organisation()
    with pytest.raises(CommandError):
        _creer("--username", "a.b", "--role", Role.AUDITEUR, "--organisation", "inexistante")
    with pytest.raises(CommandError):
        _creer(
            "--username",
            "a.b",
            "--role",
            Role.AUDITEUR,
            "--organisation",
            orga.nom,
            "--communes",
            "99999",
        )
    with pytest.raises(CommandError):
        _creer("--username", "a.b", "--role", "superutilisateur", "--organisation", orga.nom)
    assert not Utilisateur.objects.filter(username="a.b").exists()


def test_creer_compte_accepts_organisation_id_and_never_makes_a_superuser() -> None:
    orga = organisation()
    _creer(
        "--username",
        "admin.tech",
        "--role",
        Role.ADMIN_TECHNIQUE,
        "--organisation",
        str(orga.pk),
    )
    user = Utilisateur.objects.get(username="admin.tech")
    assert user.organisation == orga
    assert not user.is_superuser and not user.is_staff
