"""Personal API tokens: issued after MFA, stored hashed, expiring, revocable (A1, A10, A11)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from acces.auth.models import JetonApi
from acces.auth.permissions import VerificationRecente
from acces.models import Utilisateur
from tests.acces.factories import Compte, compte_complet

pytestmark = pytest.mark.django_db

CONNEXION = "/api/v1/auth/connexion/"
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
def session(compte: Compte, horloge: time_machine.Coordinates) -> APIClient:
    client = APIClient()
    assert client.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    return client


def _emettre(session: APIClient, **corps: object) -> dict[str, Any]:
    response = session.post(JETONS, {"libelle": "export nocturne", **corps}, format="json")
    assert response.status_code == 201, response.content
    emis: dict[str, Any] = response.json()
    return emis


def _bearer(valeur: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {valeur}")
    return client


def test_token_is_shown_once_and_stored_as_sha256(session: APIClient, compte: Compte) -> None:
    emis = _emettre(session)
    valeur = str(emis["jeton"])
    assert len(valeur) >= 43
    jeton = JetonApi.objects.get(pk=emis["id"])
    assert jeton.hash == hashlib.sha256(valeur.encode()).hexdigest()
    assert valeur not in str(JetonApi.objects.filter(pk=jeton.pk).values().first())
    assert jeton.expire_le - jeton.cree_le == timedelta(days=30)
    liste = session.get(JETONS).json()
    assert [j["id"] for j in liste] == [emis["id"]]
    assert "jeton" not in liste[0] and "hash" not in liste[0]


def test_bearer_token_authenticates_and_records_last_use(
    session: APIClient, compte: Compte
) -> None:
    emis = _emettre(session)
    response = _bearer(emis["jeton"]).get(MOI)
    assert response.status_code == 200
    assert response.json()["username"] == compte.username
    assert JetonApi.objects.get(pk=emis["id"]).dernier_usage is not None


def test_token_duration_is_capped_at_90_days(session: APIClient) -> None:
    assert _emettre(session, duree_jours=90)["expire_le"]
    trop = session.post(JETONS, {"libelle": "x", "duree_jours": 91}, format="json")
    assert trop.status_code == 400
    assert "duree_jours" in trop.json()["champs"]


def test_A1_expired_revoked_or_garbage_tokens_get_401(
    session: APIClient, horloge: time_machine.Coordinates
) -> None:
    emis = _emettre(session, duree_jours=1)
    client = _bearer(emis["jeton"])
    assert client.get(MOI).status_code == 200
    for entete in ("Bearer", "Bearer a b", "Bearer " + "x" * 300, "Bearer pas-un-jeton"):
        autre = APIClient()
        autre.credentials(HTTP_AUTHORIZATION=entete)
        response = autre.get(MOI)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    horloge.shift(timedelta(days=1, seconds=1))
    assert client.get(MOI).status_code == 401


def test_revocation_takes_effect_immediately(session: APIClient) -> None:
    emis = _emettre(session)
    client = _bearer(emis["jeton"])
    assert client.get(MOI).status_code == 200
    assert session.delete(f"{JETONS}{emis['id']}/").status_code == 204
    assert client.get(MOI).status_code == 401
    assert session.delete(f"{JETONS}{emis['id']}/").status_code == 404


def test_a_token_can_revoke_itself_but_never_mint_another(session: APIClient) -> None:
    emis = _emettre(session)
    client = _bearer(emis["jeton"])
    refus = client.post(JETONS, {"libelle": "autre"}, format="json")
    assert refus.status_code == 403
    assert refus.json()["code"] == "session_requise"
    assert client.delete(f"{JETONS}{emis['id']}/").status_code == 204


def test_other_users_tokens_are_invisible_and_answer_404(
    session: APIClient, horloge: time_machine.Coordinates
) -> None:
    emis = _emettre(session)
    autre_compte = compte_complet()
    autre = APIClient()
    horloge.shift(timedelta(seconds=31))
    assert autre.post(CONNEXION, autre_compte.identifiants(), format="json").status_code == 200
    assert autre.get(JETONS).json() == []
    manquant = autre.delete(f"{JETONS}00000000-0000-0000-0000-000000000000/")
    etranger = autre.delete(f"{JETONS}{emis['id']}/")
    assert etranger.status_code == manquant.status_code == 404
    assert JetonApi.objects.get(pk=emis["id"]).revoque_le is None


def test_A11_token_stops_working_when_habilitation_revoked_or_account_disabled(
    session: APIClient, compte: Compte
) -> None:
    client = _bearer(_emettre(session)["jeton"])
    compte.habilitation.revoquee_le = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    compte.habilitation.save()
    assert client.get(MOI).status_code == 401
    compte.habilitation.revoquee_le = None
    compte.habilitation.save()
    assert client.get(MOI).status_code == 200
    Utilisateur.objects.filter(pk=compte.utilisateur.pk).update(is_active=False)
    assert client.get(MOI).status_code == 401


class _VueSensible(APIView):
    """Test-only stand-in for an export route."""

    permission_classes = [VerificationRecente]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


def test_A10_bearer_step_up_needs_a_fresh_code_in_x_otp(
    session: APIClient, compte: Compte, horloge: time_machine.Coordinates
) -> None:
    valeur = _emettre(session)["jeton"]
    fabrique = APIRequestFactory()
    vue = _VueSensible.as_view()
    sans_code = vue(fabrique.get("/", HTTP_AUTHORIZATION=f"Bearer {valeur}"))
    assert sans_code.status_code == 403
    assert sans_code.data["code"] == "verification_requise"
    horloge.shift(timedelta(seconds=31))
    code = compte.otp()
    avec_code = vue(fabrique.get("/", HTTP_AUTHORIZATION=f"Bearer {valeur}", HTTP_X_OTP=code))
    assert avec_code.status_code == 200
    rejeu = vue(fabrique.get("/", HTTP_AUTHORIZATION=f"Bearer {valeur}", HTTP_X_OTP=code))
    assert rejeu.status_code == 403
