"""Password policy (A4) and reset (A7): single use, one hour, never bypassing MFA."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from acces.auth.models import JetonApi
from acces.auth.services import lien_reinitialisation
from acces.models import Utilisateur
from tests.acces.factories import commune, compte_complet
from tests.utils.base import executer_outbox

pytestmark = pytest.mark.django_db

CONNEXION = "/api/v1/auth/connexion/"
OUBLI = "/api/v1/auth/mot-de-passe/oubli/"
REINITIALISATION = "/api/v1/auth/mot-de-passe/reinitialisation/"
MOI = "/api/v1/auth/moi/"
NOUVEAU = "une autre phrase de passe bien longue"

EMOJIS = "🌻🐝🏰🎻🚲" * 20 + "phrase très longue avec des accents é à ç"  # 141 characters

A4_CAS = [
    ("password", False),
    ("Clspd2024!", False),
    ("clspd-cispd-2024!", False),
    ("Dijon2024Dijon2024", False),
    ("Quetigny123456789", False),
    ("Chenôve-21300-chenove", False),
    ("saint-apollinaire-2025", False),
    ("123456789000", False),
    ("1qaz2wsx3edc4rfv", False),
    ("court", False),
    ("           ", False),
    ("                    ", False),
    ("une phrase\x00avec un caractère nul", False),
    ("x" * 1025, False),
    ("cheval correct agrafe batterie", True),
    ("j'habite à Dijon depuis vingt ans, près du lac Kir", True),
    ("Tr0mbone-Fromage-Nuage", True),
    (EMOJIS, True),
    ("é" * 64, True),
    ("mot " * 32, True),  # 128 characters
]


@pytest.fixture(autouse=True)
def communes() -> None:
    for code, nom in (("21515", "Quetigny"), ("21166", "Chenôve"), ("21540", "Saint-Apollinaire")):
        commune(code, nom)


@pytest.mark.parametrize(("mot_de_passe", "accepte"), A4_CAS)
def test_A4_password_policy(mot_de_passe: str, accepte: bool) -> None:
    user = Utilisateur(username="agent.quetigny")
    if accepte:
        validate_password(mot_de_passe, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(mot_de_passe, user)


@pytest.mark.parametrize("mot_de_passe", ["agent.marsalis2024", "Marsalis-Marsalis-99"])
def test_A4_username_is_a_context_word(mot_de_passe: str) -> None:
    user = Utilisateur(username="agent.marsalis")
    with pytest.raises(ValidationError):
        validate_password(mot_de_passe, user)


def test_A4_policy_needs_no_composition_rule() -> None:
    validate_password(
        "les chats dorment sur le radiateur", Utilisateur(username="agent.sans.contexte")
    )


@pytest.fixture
def horloge() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def _lien_du_courriel() -> tuple[str, str]:
    executer_outbox()
    assert len(mail.outbox) == 1
    trouve = re.search(r"uid=([\w-]+)&token=([\w-]+)", str(mail.outbox[0].body))
    assert trouve
    return trouve.group(1), trouve.group(2)


def test_A7_forgotten_password_answer_is_identical_and_the_mail_holds_no_personal_data(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    user = compte.utilisateur
    inconnu = APIClient().post(OUBLI, {"username": "personne.inconnue"}, format="json")
    assert len(mail.outbox) == 0
    connu = APIClient().post(OUBLI, {"username": compte.username}, format="json")
    assert inconnu.status_code == connu.status_code == 202
    assert inconnu.content == connu.content
    executer_outbox()
    message = mail.outbox[0]
    assert message.to == [user.email]
    texte = f"{message.subject}\n{message.body}"
    for donnee in (user.username, user.first_name, user.last_name, user.email):
        assert donnee not in texte
    _lien_du_courriel()


def test_A7_forgotten_password_requests_are_silently_limited_per_account(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    reponses = [
        APIClient().post(OUBLI, {"username": compte.username}, format="json") for _ in range(8)
    ]
    assert {r.status_code for r in reponses} == {202}
    assert len({r.content for r in reponses}) == 1
    executer_outbox()
    assert len(mail.outbox) == 5


def test_A7_reset_needs_the_totp_code_and_works_once(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    APIClient().post(OUBLI, {"username": compte.username}, format="json")
    uid, token = _lien_du_courriel()
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": NOUVEAU}
    sans_otp = APIClient().post(REINITIALISATION, corps, format="json")
    assert sans_otp.status_code == 400
    assert "otp" in sans_otp.json()["champs"]
    faux = APIClient().post(REINITIALISATION, {**corps, "otp": "000000"}, format="json")
    assert faux.status_code == 400
    assert faux.json()["code"] == "lien_invalide"
    compte.utilisateur.refresh_from_db()
    assert compte.utilisateur.check_password(compte.mot_de_passe)
    horloge.shift(timedelta(seconds=31))  # past django-otp's throttle delay after a wrong code
    ok = APIClient().post(REINITIALISATION, {**corps, "otp": compte.otp()}, format="json")
    assert ok.status_code == 204, ok.content
    horloge.shift(timedelta(seconds=31))
    rejeu = APIClient().post(REINITIALISATION, {**corps, "otp": compte.otp()}, format="json")
    assert rejeu.status_code == 400
    assert rejeu.json()["code"] == "lien_invalide"
    compte.utilisateur.refresh_from_db()
    assert compte.utilisateur.check_password(NOUVEAU)
    assert "modifié" in mail.outbox[-1].subject


def test_A7_new_password_still_needs_the_second_factor(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    uid, token, _ = lien_reinitialisation(compte.utilisateur)
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": NOUVEAU, "otp": compte.otp()}
    assert APIClient().post(REINITIALISATION, corps, format="json").status_code == 204
    horloge.shift(timedelta(seconds=31))
    sans_otp = {"username": compte.username, "password": NOUVEAU}
    assert APIClient().post(CONNEXION, sans_otp, format="json").status_code == 400
    faux = APIClient().post(CONNEXION, {**sans_otp, "otp": "000000"}, format="json")
    assert faux.status_code == 401
    horloge.shift(timedelta(seconds=31))
    bon = APIClient().post(CONNEXION, {**sans_otp, "otp": compte.otp()}, format="json")
    assert bon.status_code == 200


def test_A7_link_expires_after_one_hour(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    uid, token, _ = lien_reinitialisation(compte.utilisateur)
    horloge.shift(timedelta(minutes=61))
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": NOUVEAU, "otp": compte.otp()}
    response = APIClient().post(REINITIALISATION, corps, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "lien_invalide"


def test_A7_token_of_user_a_with_uid_of_user_b_fails(horloge: time_machine.Coordinates) -> None:
    a = compte_complet()
    b = compte_complet()
    _, token_a, _ = lien_reinitialisation(a.utilisateur)
    uid_b, _, _ = lien_reinitialisation(b.utilisateur)
    corps = {"uid": uid_b, "token": token_a, "nouveau_mot_de_passe": NOUVEAU, "otp": b.otp()}
    assert APIClient().post(REINITIALISATION, corps, format="json").status_code == 400
    corps["uid"] = "pas-un-uid"
    assert APIClient().post(REINITIALISATION, corps, format="json").status_code == 400


def test_A7_reset_kills_other_sessions_and_revokes_tokens(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    session = APIClient()
    assert session.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    jeton = session.post("/api/v1/auth/jetons/", {"libelle": "script"}, format="json").json()
    horloge.shift(timedelta(seconds=31))
    compte.utilisateur.refresh_from_db()  # login changed last_login, part of the link's hash
    uid, token, _ = lien_reinitialisation(compte.utilisateur)
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": NOUVEAU, "otp": compte.otp()}
    reponse = APIClient().post(REINITIALISATION, corps, format="json")
    assert reponse.status_code == 204, reponse.content
    assert session.get(MOI).status_code == 401
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {jeton['jeton']}")
    assert bearer.get(MOI).status_code == 401
    assert JetonApi.objects.get(pk=jeton["id"]).revoque_le is not None


def test_A4_reset_refuses_a_weak_password_with_details(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    uid, token, _ = lien_reinitialisation(compte.utilisateur)
    corps = {"uid": uid, "token": token, "nouveau_mot_de_passe": "Clspd2024!", "otp": compte.otp()}
    response = APIClient().post(REINITIALISATION, corps, format="json")
    assert response.status_code == 400
    corps_reponse = json.loads(response.content)
    assert corps_reponse["code"] == "donnees_invalides"
    assert corps_reponse["champs"]["nouveau_mot_de_passe"]
    compte.utilisateur.refresh_from_db()
    assert compte.utilisateur.check_password(compte.mot_de_passe)


def _oubli_mesure(username: str) -> tuple[int, list[tuple[str, int]]]:
    """Status, then (task, number) of the outbox rows and the SQL statements of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socle.models import OutboxMessage

    avant = set(OutboxMessage.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as requetes:
        reponse = APIClient().post(OUBLI, {"username": username}, format="json")
    nouveaux = OutboxMessage.objects.exclude(pk__in=avant)
    return reponse.status_code, [
        *[(m.tache, len(m.arguments)) for m in nouveaux],
        ("sql", len(requetes.captured_queries)),
    ]


def test_item14_reset_request_does_the_same_work_for_known_and_unknown_accounts() -> None:
    """Issue 9, item 14: the existing account with an e-mail is not told apart by its cost."""
    compte = compte_complet()
    sans_courriel = compte_complet()
    Utilisateur.objects.filter(pk=sans_courriel.utilisateur.pk).update(email="")
    _oubli_mesure("echauffement")  # creates the per-address counter, whoever is asked for
    mesures = [
        _oubli_mesure(compte.username),
        _oubli_mesure("personne.inconnue"),
        _oubli_mesure(sans_courriel.username),
    ]
    assert {statut for statut, _ in mesures} == {202}
    connu, inconnu, sans_adresse = (detail for _, detail in mesures)
    assert connu[0] == ("acces.envoyer_lien_reinitialisation", 1)
    assert connu == inconnu == sans_adresse
    # Only the real account with an address gets the e-mail.
    executer_outbox()
    assert [m.to for m in mail.outbox] == [[compte.utilisateur.email]]
