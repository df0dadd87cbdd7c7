"""Sessions: timeouts (A9), logout, step-up (A10), revocation on the next request (A11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from acces.models import Utilisateur
from tests.acces.factories import Compte, compte_complet

pytestmark = pytest.mark.django_db

CONNEXION = "/api/v1/auth/connexion/"
DECONNEXION = "/api/v1/auth/deconnexion/"
VERIFICATION = "/api/v1/auth/verification/"
JETONS = "/api/v1/auth/jetons/"
MOI = "/api/v1/auth/moi/"


@pytest.fixture
def horloge() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def compte(horloge: time_machine.Coordinates) -> Compte:
    return compte_complet()


@pytest.fixture
def client(compte: Compte, horloge: time_machine.Coordinates) -> APIClient:
    client = APIClient()
    assert client.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    return client


def test_A9_idle_14_minutes_is_fine_16_minutes_is_401(
    client: APIClient, horloge: time_machine.Coordinates
) -> None:
    horloge.shift(timedelta(minutes=14))
    assert client.get(MOI).status_code == 200
    horloge.shift(timedelta(minutes=14))  # activity above reset the idle clock
    assert client.get(MOI).status_code == 200
    horloge.shift(timedelta(minutes=16))
    response = client.get(MOI)
    assert response.status_code == 401
    assert response.json()["code"] == "non_authentifie"
    # The expired session was flushed on the server: coming back in time does not revive it.
    horloge.shift(timedelta(minutes=-16))
    assert client.get(MOI).status_code == 401


def test_A9_active_use_ends_after_12_hours(
    client: APIClient, horloge: time_machine.Coordinates
) -> None:
    for _ in range(71):
        horloge.shift(timedelta(minutes=10))
        assert client.get(MOI).status_code == 200
    horloge.shift(timedelta(minutes=10) + timedelta(seconds=1))  # 12 h 00 min 01 s
    assert client.get(MOI).status_code == 401


def test_A9_logout_kills_the_session_server_side(client: APIClient) -> None:
    ancien = client.cookies["sessionid"].value
    assert client.post(DECONNEXION).status_code == 204
    assert client.get(MOI).status_code == 401
    rejeu = APIClient()
    rejeu.cookies["sessionid"] = ancien
    assert rejeu.get(MOI).status_code == 401
    assert rejeu.post(DECONNEXION).status_code == 401


def test_A10_step_up_required_after_five_minutes(
    client: APIClient, compte: Compte, horloge: time_machine.Coordinates
) -> None:
    assert client.post(JETONS, {"libelle": "script"}, format="json").status_code == 201
    horloge.shift(timedelta(minutes=5, seconds=1))
    perime = client.post(JETONS, {"libelle": "script"}, format="json")
    assert perime.status_code == 403
    assert perime.json()["code"] == "verification_requise"
    verification = client.post(VERIFICATION, {"otp": compte.otp()}, format="json")
    assert verification.status_code == 200, verification.content
    corps = verification.json()
    assert datetime.fromisoformat(corps["valable_jusqu_a"]) - datetime.fromisoformat(
        corps["verifie_le"]
    ) == timedelta(minutes=5)
    assert client.post(JETONS, {"libelle": "script"}, format="json").status_code == 201


def test_A10_an_otp_code_is_accepted_only_once(
    client: APIClient, compte: Compte, horloge: time_machine.Coordinates
) -> None:
    horloge.shift(timedelta(minutes=6))
    code = compte.otp()
    assert client.post(VERIFICATION, {"otp": code}, format="json").status_code == 200
    rejeu = client.post(VERIFICATION, {"otp": code}, format="json")
    assert rejeu.status_code == 400
    assert rejeu.json()["code"] == "otp_invalide"


def test_A10_step_up_of_one_session_does_not_serve_another(
    compte: Compte, horloge: time_machine.Coordinates
) -> None:
    premiere = APIClient()
    assert premiere.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    horloge.shift(timedelta(seconds=31))
    seconde = APIClient()
    assert seconde.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    horloge.shift(timedelta(minutes=6))
    assert seconde.post(VERIFICATION, {"otp": compte.otp()}, format="json").status_code == 200
    assert premiere.post(JETONS, {"libelle": "x"}, format="json").status_code == 403
    assert seconde.post(JETONS, {"libelle": "x"}, format="json").status_code == 201


def test_A10_wrong_step_up_codes_are_throttled(
    client: APIClient, horloge: time_machine.Coordinates
) -> None:
    statuts = [
        client.post(VERIFICATION, {"otp": f"{n:06d}"}, format="json").status_code for n in range(6)
    ]
    assert statuts[-1] == 429
    assert client.get(MOI).status_code == 200  # the session itself is not lost


def test_A10_anonymous_step_up_is_401(api: APIClient) -> None:
    assert api.post(VERIFICATION, {"otp": "123456"}, format="json").status_code == 401


def test_A11_revoking_the_habilitation_ends_the_session_on_next_request(
    client: APIClient, compte: Compte
) -> None:
    assert client.get(MOI).status_code == 200
    compte.habilitation.revoquee_le = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    compte.habilitation.save()
    assert client.get(MOI).status_code == 401
    # The session was flushed: a new habilitation does not bring it back.
    compte.habilitation.revoquee_le = None
    compte.habilitation.save()
    assert client.get(MOI).status_code == 401


def test_A11_deactivating_the_account_ends_the_session_on_next_request(
    client: APIClient, compte: Compte
) -> None:
    assert client.get(MOI).status_code == 200
    Utilisateur.objects.filter(pk=compte.utilisateur.pk).update(is_active=False)
    assert client.get(MOI).status_code == 401


def test_A11_expired_habilitation_ends_the_session(
    client: APIClient, compte: Compte, horloge: time_machine.Coordinates
) -> None:
    compte.habilitation.fin = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)
    compte.habilitation.save()
    horloge.shift(timedelta(minutes=4))
    assert client.get(MOI).status_code == 200
    horloge.shift(timedelta(minutes=2))
    assert client.get(MOI).status_code == 401


def _sessions_en_base(compte: Compte) -> int:
    from django.contrib.sessions.models import Session

    return sum(
        1
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(compte.utilisateur.pk)
    )


def _deux_sessions(compte: Compte, horloge: time_machine.Coordinates) -> tuple[APIClient, str]:
    """Two sessions of the same account; returns the second client and its cookie."""
    premiere = APIClient()
    assert premiere.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    horloge.shift(timedelta(seconds=31))
    seconde = APIClient()
    assert seconde.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    assert _sessions_en_base(compte) == 2
    return seconde, seconde.cookies["sessionid"].value


@pytest.mark.parametrize("fin", ["desactivation", "exclusion", "revocation", "organisation"])
def test_A11_ending_an_account_deletes_its_sessions_at_once(
    compte: Compte, horloge: time_machine.Coordinates, fin: str
) -> None:
    from acces.auth.models import JetonApi, SessionOuverte
    from acces.enums import MotifExclusion
    from acces.services import (
        habilitation_revoquer,
        organisation_modifier,
        utilisateur_desactiver,
        utilisateur_exclure,
    )

    autre = compte_complet()
    client_autre = APIClient()
    assert client_autre.post(CONNEXION, autre.identifiants(), format="json").status_code == 200
    seconde, cookie = _deux_sessions(compte, horloge)
    assert seconde.post(JETONS, {"libelle": "script"}, format="json").status_code == 201
    admin = autre.utilisateur
    if fin == "desactivation":
        utilisateur_desactiver(utilisateur=compte.utilisateur, acteur=admin)
    elif fin == "exclusion":
        utilisateur_exclure(
            utilisateur=compte.utilisateur, motif=MotifExclusion.values[0], acteur=admin
        )
    elif fin == "revocation":
        habilitation_revoquer(habilitation=compte.habilitation, acteur=admin)
    else:
        organisation = compte.utilisateur.organisation
        assert organisation is not None and organisation != autre.utilisateur.organisation
        organisation_modifier(organisation=organisation, active=False, acteur=admin)
    # Deleted on the server before any further request of the account.
    assert _sessions_en_base(compte) == 0
    assert not SessionOuverte.objects.filter(utilisateur=compte.utilisateur).exists()
    jetons_valides = JetonApi.objects.valides().filter(utilisateur=compte.utilisateur).count()
    assert jetons_valides == (1 if fin in ("revocation", "organisation") else 0)
    rejeu = APIClient()
    rejeu.cookies["sessionid"] = cookie
    assert rejeu.get(MOI).status_code == 401
    # Other accounts keep their sessions.
    assert _sessions_en_base(autre) == 1
    assert client_autre.get(MOI).status_code == 200


def test_A11_revoking_one_of_two_habilitations_keeps_the_sessions(
    compte: Compte, horloge: time_machine.Coordinates
) -> None:
    from acces.services import habilitation_revoquer
    from tests.acces.factories import HabilitationFactory

    HabilitationFactory(utilisateur=compte.utilisateur, role=compte.habilitation.role)
    seconde, _ = _deux_sessions(compte, horloge)
    habilitation_revoquer(habilitation=compte.habilitation, acteur=compte.utilisateur)
    assert _sessions_en_base(compte) == 2
    assert seconde.get(MOI).status_code == 200


def test_A11_logout_forgets_the_session_index(client: APIClient, compte: Compte) -> None:
    from acces.auth.models import SessionOuverte

    assert SessionOuverte.objects.filter(utilisateur=compte.utilisateur).count() == 1
    assert client.post(DECONNEXION).status_code == 204
    assert not SessionOuverte.objects.filter(utilisateur=compte.utilisateur).exists()
