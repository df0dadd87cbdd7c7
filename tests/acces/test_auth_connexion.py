"""Login: MFA, identical failures (A6), throttling (A3), session fixation (A8), hashing (A5)."""

from __future__ import annotations

import base64
import json
import runpy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import global_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import totp
from drf_spectacular.generators import SchemaGenerator
from pytest_django import Settings
from rest_framework.test import APIClient

from acces.auth import throttling
from acces.auth.models import CompteurEchecs
from acces.enums import Role
from acces.models import Utilisateur
from tests.acces.factories import (
    MOT_DE_PASSE,
    appareil_totp,
    compte_complet,
    habilitation,
    utilisateur,
)

pytestmark = pytest.mark.django_db

CONNEXION = "/api/v1/auth/connexion/"
MOI = "/api/v1/auth/moi/"


@pytest.fixture
def horloge() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def _sans_request_id(contenu: bytes) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(contenu)
    assert corps.pop("request_id")
    return corps


def test_connexion_opens_a_verified_session_and_returns_csrf(
    api: APIClient, horloge: time_machine.Coordinates
) -> None:
    compte = compte_complet(Role.DIRECTEUR_TRANQUILLITE, communes=["21231"])
    response = api.post(CONNEXION, compte.identifiants(), format="json")
    assert response.status_code == 200, response.content
    corps = response.json()
    assert corps["utilisateur"]["username"] == compte.username
    assert response.cookies["csrftoken"].value
    assert len(corps["csrf_token"]) == 64  # masked form of the cookie's secret
    assert corps["inactivite_max_secondes"] == 15 * 60
    assert datetime.fromisoformat(corps["expire_le"]) == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert response.cookies["sessionid"]["httponly"]
    assert api.get(MOI).status_code == 200


def test_A1_anonymous_and_garbage_credentials_get_401_on_moi(api: APIClient) -> None:
    assert api.get(MOI).status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer pas-un-jeton")
    assert api.get(MOI).status_code == 401
    api.credentials()
    api.cookies["sessionid"] = "forge" * 8
    response = api.get(MOI)
    assert response.status_code == 401
    assert response.json()["code"] == "non_authentifie"


def test_A2_password_without_otp_never_authenticates(
    api: APIClient, horloge: time_machine.Coordinates
) -> None:
    compte = compte_complet()
    # Password-only Django session (what a half-finished login would leave): not enough.
    api.force_login(compte.utilisateur)
    assert api.get(MOI).status_code == 401
    sans_otp = {"username": compte.username, "password": compte.mot_de_passe}
    response = api.post(CONNEXION, sans_otp, format="json")
    assert response.status_code == 400
    assert "otp" in response.json()["champs"]


def test_A2_account_without_confirmed_device_cannot_log_in(
    api: APIClient, horloge: time_machine.Coordinates
) -> None:
    compte = compte_complet()
    compte.appareil.confirmed = False
    compte.appareil.save()
    response = api.post(CONNEXION, compte.identifiants(), format="json")
    assert response.status_code == 401


def test_A6_every_failure_gives_byte_identical_answers(horloge: time_machine.Coordinates) -> None:
    reference = compte_complet()
    inactif = compte_complet()
    Utilisateur.objects.filter(pk=inactif.utilisateur.pk).update(is_active=False)
    sans_habilitation = compte_complet()
    sans_habilitation.habilitation.revoquee_le = datetime(2026, 3, 1, tzinfo=UTC)
    sans_habilitation.habilitation.save()
    sans_appareil = utilisateur()
    habilitation(utilisateur=sans_appareil, coordonnateur=True)
    otp_faux = f"{(int(reference.otp()) + 1) % 1_000_000:06d}"
    tentatives = {
        "inconnu": {"username": "personne.inconnue", "password": MOT_DE_PASSE, "otp": "123456"},
        "mot_de_passe_faux": {**reference.identifiants(), "password": "mauvais mot de passe!"},
        "otp_faux": {**reference.identifiants(), "otp": otp_faux},
        "inactif": inactif.identifiants(),
        "sans_habilitation": sans_habilitation.identifiants(),
        "sans_appareil": {
            "username": sans_appareil.username,
            "password": MOT_DE_PASSE,
            "otp": "123456",
        },
    }
    reponses = {
        nom: APIClient().post(CONNEXION, corps, format="json") for nom, corps in tentatives.items()
    }
    corps = {nom: _sans_request_id(r.content) for nom, r in reponses.items()}
    assert {r.status_code for r in reponses.values()} == {401}
    assert len({json.dumps(c, sort_keys=True) for c in corps.values()}) == 1
    assert corps["inconnu"]["code"] == "identifiants_invalides"
    assert len({tuple(sorted(r.headers)) for r in reponses.values()}) == 1
    assert all("sessionid" not in r.cookies for r in reponses.values())


def test_A6_unknown_user_still_costs_a_password_hash(
    api: APIClient, horloge: time_machine.Coordinates, monkeypatch: pytest.MonkeyPatch
) -> None:
    appels: list[str] = []
    from django.contrib.auth.hashers import MD5PasswordHasher

    original = MD5PasswordHasher.encode

    def espion(self: MD5PasswordHasher, password: str, salt: str) -> str:
        appels.append("hash")
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", espion)
    api.post(
        CONNEXION, {"username": "x.inconnu", "password": "p" * 12, "otp": "000000"}, format="json"
    )
    assert appels == ["hash"]


def test_A3_account_backoff_then_legit_user_from_another_ip_gets_in(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    attaquant = APIClient(REMOTE_ADDR="203.0.113.9")
    mauvais = {**compte.identifiants(), "password": "essai numéro un !"}
    for _ in range(throttling.COMPTE.seuil):
        assert attaquant.post(CONNEXION, mauvais, format="json").status_code == 401
    bloque = APIClient(REMOTE_ADDR="198.51.100.7").post(
        CONNEXION, compte.identifiants(), format="json"
    )
    assert bloque.status_code == 429
    assert bloque["Retry-After"] == "61"
    assert bloque.json()["code"] == "trop_de_requetes"
    # Attempts during the wait are refused without being counted: the wait does not grow.
    for _ in range(10):
        assert attaquant.post(CONNEXION, mauvais, format="json").status_code == 429
    horloge.shift(timedelta(seconds=61))
    legitime = APIClient(REMOTE_ADDR="198.51.100.7")
    assert legitime.post(CONNEXION, compte.identifiants(), format="json").status_code == 200
    assert not CompteurEchecs.objects.filter(
        cle=throttling.cle_compte("connexion", compte.username)
    ).exists()


def test_A3_backoff_doubles_and_is_capped(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    client = APIClient()
    mauvais = {**compte.identifiants(), "password": "toujours pas le bon"}
    attentes = []
    for _ in range(8):
        for _ in range(throttling.COMPTE.seuil):
            if client.post(CONNEXION, mauvais, format="json").status_code == 429:
                break
        reponse = client.post(CONNEXION, mauvais, format="json")
        assert reponse.status_code == 429
        attentes.append(int(reponse["Retry-After"]))
        horloge.shift(timedelta(seconds=attentes[-1]))
    assert attentes[:4] == [61, 121, 241, 481]
    assert max(attentes) == 901


def test_A3_unknown_username_is_throttled_like_a_known_one(
    horloge: time_machine.Coordinates,
) -> None:
    client = APIClient()
    for _ in range(throttling.COMPTE.seuil):
        client.post(
            CONNEXION, {"username": "fantome", "password": "x" * 12, "otp": "000000"}, format="json"
        )
    reponse = client.post(
        CONNEXION, {"username": "fantome", "password": "x" * 12, "otp": "000000"}, format="json"
    )
    assert reponse.status_code == 429


def test_A3_per_ip_limit_stops_credential_stuffing_only_from_that_address(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    robot = APIClient(REMOTE_ADDR="203.0.113.50")
    for numero in range(throttling.ADRESSE.seuil):
        corps = {"username": f"cible.{numero}", "password": "Motdepasse-123", "otp": "000000"}
        assert robot.post(CONNEXION, corps, format="json").status_code == 401
    assert robot.post(CONNEXION, compte.identifiants(), format="json").status_code == 429
    ailleurs = APIClient(REMOTE_ADDR="198.51.100.8")
    assert ailleurs.post(CONNEXION, compte.identifiants(), format="json").status_code == 200


def test_A3_forwarded_for_is_ignored_unless_from_a_trusted_proxy(
    horloge: time_machine.Coordinates, settings: Settings
) -> None:
    robot = APIClient(REMOTE_ADDR="203.0.113.60")
    for numero in range(throttling.ADRESSE.seuil):
        corps = {"username": f"cible.{numero}", "password": "Motdepasse-123", "otp": "000000"}
        robot.post(CONNEXION, corps, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{numero}")
    compte = compte_complet()
    assert robot.post(CONNEXION, compte.identifiants(), format="json").status_code == 429
    settings.PROXIES_DE_CONFIANCE = ["203.0.113.60"]
    via_proxy = robot.post(
        CONNEXION, compte.identifiants(), format="json", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9"
    )
    assert via_proxy.status_code == 200


def test_A3_otp_brute_force_is_stopped_by_the_account_backoff(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    client = APIClient()
    statuts = []
    for essai in range(throttling.COMPTE.seuil + 1):
        corps = {**compte.identifiants(), "otp": f"{essai:06d}"}
        statuts.append(client.post(CONNEXION, corps, format="json").status_code)
    assert statuts[-1] == 429
    assert statuts.count(401) == throttling.COMPTE.seuil


def test_A8_session_key_changes_at_login_even_when_fixed_beforehand(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    fixee = SessionStore()
    fixee["pre"] = "fixation"
    fixee.create()
    cle = fixee.session_key
    assert cle is not None
    client = APIClient()
    client.cookies["sessionid"] = cle
    response = client.post(CONNEXION, compte.identifiants(), format="json")
    assert response.status_code == 200
    nouvelle = response.cookies["sessionid"].value
    assert nouvelle and nouvelle != cle
    assert not SessionStore().exists(cle)
    assert cle not in response.content.decode()
    assert "sessionid" not in response.get("Location", "")


def _production(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for nom, valeur in {
        "SECRET_KEY": "production-test-only-" + "k" * 40,
        "ALLOWED_HOSTS": "suivi.exemple.invalid",
        "DATABASE_URL": "postgres://u@localhost:5432/p",
        "CELERY_BROKER_URL": "redis://localhost:6379/0",
        "CHIFFREMENT_CLES_MAITRES": "1:dGVzdC1tYXN0ZXIta2V5LTAwMDAwMDAwMDAwMDAwMDE=",
        "INDEX_AVEUGLE_CLE": "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDE=",
        "AUDIT_CHAINE_CLE": "dGVzdC1hdWRpdC1jaGFpbi1rZXktMDAwMDAwMDAwMDE=",
        "WEBAUTHN_RP_ID": "suivi.exemple.invalid",
    }.items():
        monkeypatch.setenv(nom, valeur)
    return runpy.run_module("config.settings.production")


def test_A5_production_hashes_passwords_with_pbkdf2(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    production = _production(monkeypatch)
    hashers = production.get("PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert PBKDF2PasswordHasher.iterations >= 600_000
    settings.PASSWORD_HASHERS = hashers
    user = utilisateur(password="une phrase de passe assez longue")
    assert user.password.startswith("pbkdf2_sha256$")
    assert "une phrase" not in user.password


def test_A12_production_cookies_are_host_prefixed_secure_and_strict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production = _production(monkeypatch)
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert production["CSRF_COOKIE_SAMESITE"] == "Strict"
    # __Host- cookies must have no Domain and Path=/.
    assert production.get("SESSION_COOKIE_DOMAIN") is None
    assert production.get("CSRF_COOKIE_DOMAIN") is None
    assert production.get("SESSION_COOKIE_PATH", "/") == "/"
    assert production.get("CSRF_COOKIE_PATH", "/") == "/"


def test_A12_csrf_is_enforced_on_session_writes(horloge: time_machine.Coordinates) -> None:
    compte = compte_complet()
    client = APIClient(enforce_csrf_checks=True)
    connexion = client.post(CONNEXION, compte.identifiants(), format="json")
    assert connexion.status_code == 200
    sans_jeton = client.post("/api/v1/auth/deconnexion/")
    assert sans_jeton.status_code == 403
    assert set(sans_jeton.json()) == {"code", "message", "champs", "request_id"}
    faux = client.post("/api/v1/auth/deconnexion/", HTTP_X_CSRFTOKEN="x" * 64)
    assert faux.status_code == 403
    assert client.get(MOI).status_code == 200
    bon = client.post("/api/v1/auth/deconnexion/", HTTP_X_CSRFTOKEN=connexion.json()["csrf_token"])
    assert bon.status_code == 204


def test_auth_routes_are_documented_in_the_openapi_schema() -> None:
    generateur = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generateur.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    operations = {
        operation["operationId"]
        for chemin in schema["paths"].values()
        for operation in chemin.values()
    }
    assert {
        "auth_connexion",
        "auth_deconnexion",
        "auth_verification",
        "auth_jetons_liste",
        "auth_jetons_creer",
        "auth_jetons_revoquer",
        "auth_mot_de_passe_oubli",
        "auth_mot_de_passe_reinitialisation",
    } <= operations
    connexion = schema["paths"]["/api/v1/auth/connexion/"]["post"]
    assert {"200", "401", "429"} <= set(connexion["responses"])
    assert schema["paths"]["/api/v1/auth/jetons/{id}/"]["delete"]["security"]


def test_totp_device_factory_builds_confirmed_devices() -> None:
    appareil = appareil_totp()
    assert appareil.confirmed
    assert len(appareil.graine()) == 20
    # A5: the seed is stored only as ciphertext.
    assert appareil.graine().hex().encode() not in bytes(appareil.secret.graine)


def test_demo_accounts_log_in_with_password_and_totp(horloge: time_machine.Coordinates) -> None:
    from acces.demo import charger

    comptes = charger()
    premier = comptes[0]
    cle = base64.b32decode(premier["totp_secret"])
    corps = {
        "username": premier["username"],
        "password": premier["password"],
        "otp": f"{totp(cle):06d}",
    }
    response = APIClient().post(CONNEXION, corps, format="json")
    assert response.status_code == 200, response.content


def test_demo_accounts_have_stable_synthetic_names() -> None:
    from acces.demo import charger, nom_demo

    charger()
    comptes = list(Utilisateur.objects.filter(email__endswith="@demo.invalid"))
    assert comptes
    noms = {(u.first_name, u.last_name) for u in comptes}
    assert all(prenom and nom for prenom, nom in noms) and len(noms) == len(comptes)
    # The same name for a username on every machine, and a second load keeps it.
    assert nom_demo("coord.quetigny") == nom_demo("coord.quetigny")
    charger()
    assert {
        (u.first_name, u.last_name)
        for u in Utilisateur.objects.filter(email__endswith="@demo.invalid")
    } == noms


def test_auth_events_are_logged_without_the_typed_username(
    horloge: time_machine.Coordinates, caplog: pytest.LogCaptureFixture
) -> None:
    compte = compte_complet()
    caplog.set_level("INFO", logger="acces.auth")
    APIClient().post(CONNEXION, {**compte.identifiants(), "password": "x" * 12}, format="json")
    horloge.shift(timedelta(seconds=31))
    APIClient().post(CONNEXION, compte.identifiants(), format="json")
    messages = [r.getMessage() for r in caplog.records if r.name == "acces.auth"]
    assert messages == [
        "connexion_refusee",
        f"connexion_ouverte utilisateur={compte.utilisateur.pk}",
    ]
    assert compte.username not in caplog.text


def test_D3_logins_and_failed_logins_reach_the_access_log(
    api: APIClient, horloge: time_machine.Coordinates
) -> None:
    from audit.enums import ActionAcces, Raison, Resultat
    from audit.models import EvenementAcces

    compte = compte_complet(Role.DIRECTEUR_TRANQUILLITE, communes=["21231"])
    echec = api.post(CONNEXION, {**compte.identifiants(), "otp": "000000"}, format="json")
    assert echec.status_code == 401
    refus = EvenementAcces.objects.get(request_id=echec["X-Request-ID"])
    assert (refus.action, refus.resultat, refus.raison) == (
        ActionAcces.ECHEC_CONNEXION,
        Resultat.REFUSE,
        Raison.IDENTIFIANTS_INVALIDES,
    )
    assert refus.utilisateur_id == compte.utilisateur.pk
    horloge.shift(timedelta(seconds=31))
    succes = api.post(CONNEXION, compte.identifiants(), format="json")
    assert succes.status_code == 200
    evenement = EvenementAcces.objects.get(request_id=succes["X-Request-ID"])
    assert (evenement.action, evenement.resultat) == (ActionAcces.CONNEXION, Resultat.AUTORISE)
