"""Security keys (WebAuthn / FIDO2, checklist A2, ASVS 6.3.3 L3), with a software authenticator.

Attacks from the checklist: skipping step 2 (or step 1) by calling the API directly, replaying
a previous assertion, the second factor of user A with the password of user B.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from acces.auth import throttling
from acces.auth.models import CleSecurite, CompteurEchecs
from acces.enums import Role
from tests.acces.factories import MOT_DE_PASSE, Compte, compte_complet
from tests.acces.webauthn_logiciel import AuthentificateurLogiciel, b64, cle_enregistree
from tests.matrice.personas import entete_jeton

pytestmark = pytest.mark.django_db

CONNEXION = "/api/v1/auth/connexion/"
OPTIONS_CONNEXION = "/api/v1/auth/connexion/cle-securite/options/"
CONNEXION_CLE = "/api/v1/auth/connexion/cle-securite/"
CLES = "/api/v1/auth/cles-securite/"
OPTIONS_CLES = "/api/v1/auth/cles-securite/options/"
VERIFICATION = "/api/v1/auth/verification/"
OPTIONS_VERIFICATION_CLE = "/api/v1/auth/verification/cle-securite/options/"
VERIFICATION_CLE = "/api/v1/auth/verification/cle-securite/"
MOI = "/api/v1/auth/moi/"


@pytest.fixture
def horloge() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def _session_totp(compte: Compte) -> APIClient:
    client = APIClient()
    reponse = client.post(CONNEXION, compte.identifiants(), format="json")
    assert reponse.status_code == 200, reponse.content
    return client


def _enregistrer(
    client: APIClient, authentificateur: AuthentificateurLogiciel, libelle: str = "clé USB"
) -> dict[str, Any]:
    options = client.post(OPTIONS_CLES)
    assert options.status_code == 200, options.content
    credential = authentificateur.creer(options.json()["publicKey"])
    reponse = client.post(CLES, {"libelle": libelle, "credential": credential}, format="json")
    assert reponse.status_code == 201, reponse.content
    corps: dict[str, Any] = reponse.json()
    return corps


def _compte_avec_cle(
    role: str = Role.DELEGUE_PROCUREUR, **habilitation: Any
) -> tuple[Compte, AuthentificateurLogiciel]:
    compte = compte_complet(role, **habilitation)
    authentificateur = AuthentificateurLogiciel()
    _enregistrer(_session_totp(compte), authentificateur)
    return compte, authentificateur


def _etape_1(client: APIClient, compte: Compte, password: str | None = None) -> Any:
    return client.post(
        OPTIONS_CONNEXION,
        {"username": compte.username, "password": password or compte.mot_de_passe},
        format="json",
    )


def _connexion_cle(compte: Compte, authentificateur: AuthentificateurLogiciel) -> APIClient:
    client = APIClient()
    options = _etape_1(client, compte)
    assert options.status_code == 200, options.content
    reponse = client.post(
        CONNEXION_CLE,
        {"credential": authentificateur.signer(options.json()["publicKey"])},
        format="json",
    )
    assert reponse.status_code == 200, reponse.content
    return client


def _sans_request_id(contenu: bytes) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(contenu)
    assert corps.pop("request_id")
    return corps


# --- Registration -----------------------------------------------------------------------------


def test_A2_registration_needs_a_session_with_recent_step_up(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet(Role.DELEGUE_PROCUREUR)
    client = _session_totp(compte)
    horloge.shift(timedelta(minutes=6))
    refus = client.post(OPTIONS_CLES)
    assert refus.status_code == 403
    assert refus.json()["code"] == "verification_requise"
    jeton = APIClient()
    jeton.credentials(HTTP_AUTHORIZATION=entete_jeton(compte.utilisateur))
    assert jeton.post(OPTIONS_CLES).json()["code"] == "session_requise"
    assert APIClient().post(OPTIONS_CLES).status_code == 401

    assert client.post(VERIFICATION, {"otp": compte.otp()}, format="json").status_code == 200
    options = client.post(OPTIONS_CLES).json()["publicKey"]
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["attestation"] == "none"
    authentificateur = AuthentificateurLogiciel()
    reponse = client.post(
        CLES,
        {"libelle": "clé du bureau", "credential": authentificateur.creer(options)},
        format="json",
    )
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    assert set(corps) == {"id", "libelle", "creee_le", "dernier_usage"}
    assert corps["libelle"] == "clé du bureau"
    cle = CleSecurite.objects.get(reference=corps["id"])
    assert cle.user_id == compte.utilisateur.pk
    assert bytes(cle.identifiant) == authentificateur.identifiant
    assert cle.transports == ["usb", "nfc"]
    liste = client.get(CLES).json()
    assert [c["id"] for c in liste] == [corps["id"]]
    # The change log masks the label and leaves the public key out.
    entree = LogEntry.objects.get_for_object(cle).get()
    assert "cle_publique" not in entree.changes_dict
    assert "clé du bureau" not in json.dumps(entree.changes_dict, ensure_ascii=False)


@pytest.mark.parametrize(
    ("falsification", "valeur"),
    [("origine", "https://hameconnage.example"), ("rp_id", "hameconnage.example")],
)
def test_A2_registration_with_wrong_origin_or_rp_is_refused(
    horloge: time_machine.Coordinates, falsification: str, valeur: str
) -> None:
    client = _session_totp(compte_complet())
    options = client.post(OPTIONS_CLES).json()["publicKey"]
    falsifie: dict[str, Any] = {falsification: valeur}
    credential = AuthentificateurLogiciel().creer(options, **falsifie)
    reponse = client.post(CLES, {"libelle": "clé", "credential": credential}, format="json")
    assert reponse.status_code == 400
    assert reponse.json()["code"] == "cle_invalide"
    assert not CleSecurite.objects.exists()


def test_A2_registration_challenge_is_single_use_and_short_lived(
    horloge: time_machine.Coordinates,
) -> None:
    compte = compte_complet()
    client = _session_totp(compte)
    authentificateur = AuthentificateurLogiciel()
    options = client.post(OPTIONS_CLES).json()["publicKey"]
    credential = authentificateur.creer(options)
    premier = client.post(CLES, {"libelle": "clé", "credential": credential}, format="json")
    assert premier.status_code == 201
    # A second answer to the same challenge (another key) finds no pending challenge.
    autre = AuthentificateurLogiciel()
    rejoue = client.post(
        CLES, {"libelle": "clé", "credential": autre.creer(options)}, format="json"
    )
    assert rejoue.status_code == 400
    assert rejoue.json()["code"] == "cle_invalide"
    # Expired challenge (5 minutes), even with the step-up refreshed meanwhile.
    options = client.post(OPTIONS_CLES).json()["publicKey"]
    horloge.shift(timedelta(minutes=5, seconds=1))
    assert client.post(VERIFICATION, {"otp": compte.otp()}, format="json").status_code == 200
    perime = client.post(
        CLES, {"libelle": "clé", "credential": autre.creer(options)}, format="json"
    )
    assert perime.status_code == 400
    assert CleSecurite.objects.count() == 1


def test_A2_registration_excludes_known_keys(horloge: time_machine.Coordinates) -> None:
    client = _session_totp(compte_complet())
    authentificateur = AuthentificateurLogiciel()
    _enregistrer(client, authentificateur)
    options = client.post(OPTIONS_CLES).json()["publicKey"]
    exclues = [c["id"] for c in options["excludeCredentials"]]
    assert exclues == [b64(authentificateur.identifiant)]
    reponse = client.post(
        CLES, {"libelle": "doublon", "credential": authentificateur.creer(options)}, format="json"
    )
    assert reponse.status_code == 409
    assert reponse.json()["code"] == "cle_deja_enregistree"
    assert CleSecurite.objects.count() == 1


@pytest.mark.parametrize(
    "corps",
    [
        {"libelle": "clé", "credential": "pas un objet"},
        {"libelle": "clé", "credential": {"id": "AA", "rawId": "AA", "type": "public-key"}},
        {"libelle": "clé", "credential": {}, "inattendu": 1},
        {"libelle": "x" * 65, "credential": {}},
        ["liste"],
    ],
)
def test_malformed_registration_bodies_are_json_400_and_write_nothing(
    horloge: time_machine.Coordinates, corps: Any
) -> None:
    client = _session_totp(compte_complet())
    client.post(OPTIONS_CLES)
    reponse = client.post(CLES, corps, format="json")
    assert reponse.status_code == 400
    assert set(reponse.json()) == {"code", "message", "champs", "request_id"}
    assert not CleSecurite.objects.exists()


def test_malformed_but_well_shaped_credential_is_a_refusal_not_an_error(
    horloge: time_machine.Coordinates,
) -> None:
    client = _session_totp(compte_complet())
    client.post(OPTIONS_CLES)
    credential = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
    }
    reponse = client.post(CLES, {"libelle": "clé", "credential": credential}, format="json")
    assert reponse.status_code == 400
    assert reponse.json()["code"] == "cle_invalide"


# --- Login ------------------------------------------------------------------------------------


def test_A2_full_login_with_a_key_gives_a_verified_session(
    horloge: time_machine.Coordinates,
) -> None:
    compte, authentificateur = _compte_avec_cle(Role.DIRECTEUR_TRANQUILLITE, communes=["21231"])
    client = APIClient()
    options = _etape_1(client, compte)
    assert options.status_code == 200, options.content
    publique = options.json()["publicKey"]
    assert [c["id"] for c in publique["allowCredentials"]] == [b64(authentificateur.identifiant)]
    assert publique["userVerification"] == "required"
    avant = client.cookies["sessionid"].value
    # Step 1 alone opens nothing.
    assert client.get(MOI).status_code == 401
    reponse = client.post(
        CONNEXION_CLE, {"credential": authentificateur.signer(publique)}, format="json"
    )
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert set(corps) == {"utilisateur", "csrf_token", "inactivite_max_secondes", "expire_le"}
    assert corps["utilisateur"]["username"] == compte.username
    assert client.cookies["sessionid"].value != avant
    assert client.get(MOI).status_code == 200
    cle = CleSecurite.objects.get()
    assert cle.compteur == 1
    assert cle.dernier_usage is not None
    # The login counts as a recent verification.
    assert client.post(OPTIONS_CLES).status_code == 200


def test_A2_skipping_step_1_is_refused(horloge: time_machine.Coordinates) -> None:
    compte, authentificateur = _compte_avec_cle()
    defi_forge = {"challenge": "AAAAAAAAAAAAAAAAAAAAAA", "rpId": "localhost"}
    client = APIClient()
    reponse = client.post(
        CONNEXION_CLE, {"credential": authentificateur.signer(defi_forge)}, format="json"
    )
    assert reponse.status_code == 401
    assert reponse.json()["code"] == "identifiants_invalides"
    assert client.get(MOI).status_code == 401
    # A password-only pending login is not a session either.
    _etape_1(client, compte)
    assert client.get(MOI).status_code == 401


def test_A2_replayed_assertion_is_refused(horloge: time_machine.Coordinates) -> None:
    compte, authentificateur = _compte_avec_cle()
    victime = APIClient()
    options = _etape_1(victime, compte).json()["publicKey"]
    capturee = {"credential": authentificateur.signer(options)}
    assert victime.post(CONNEXION_CLE, capturee, format="json").status_code == 200
    # Same session: the challenge is spent.
    assert victime.post(CONNEXION_CLE, capturee, format="json").status_code == 401
    # Attacker who knows the password: a new challenge, the old assertion does not match it.
    attaquant = APIClient()
    assert _etape_1(attaquant, compte).status_code == 200
    rejeu = attaquant.post(CONNEXION_CLE, capturee, format="json")
    assert rejeu.status_code == 401
    assert attaquant.get(MOI).status_code == 401
    # Nor does a second try on that attacker session (the challenge went with the first).
    options = _etape_1(attaquant, compte).json()["publicKey"]
    attaquant.post(CONNEXION_CLE, capturee, format="json")
    tardive = attaquant.post(
        CONNEXION_CLE, {"credential": authentificateur.signer(options)}, format="json"
    )
    assert tardive.status_code == 401


def test_A2_expired_login_challenge_is_refused(horloge: time_machine.Coordinates) -> None:
    compte, authentificateur = _compte_avec_cle()
    client = APIClient()
    options = _etape_1(client, compte).json()["publicKey"]
    horloge.shift(timedelta(minutes=5, seconds=1))
    reponse = client.post(
        CONNEXION_CLE, {"credential": authentificateur.signer(options)}, format="json"
    )
    assert reponse.status_code == 401


def test_A2_key_of_user_B_cannot_finish_the_login_of_user_A(
    horloge: time_machine.Coordinates,
) -> None:
    compte_a, _ = _compte_avec_cle()
    compte_b, cle_b = _compte_avec_cle()
    client = APIClient()
    options = _etape_1(client, compte_a).json()["publicKey"]
    reponse = client.post(CONNEXION_CLE, {"credential": cle_b.signer(options)}, format="json")
    assert reponse.status_code == 401
    assert client.get(MOI).status_code == 401
    # B's password with a key of A is refused too (the challenge is bound to B).
    options_b = _etape_1(client, compte_b).json()["publicKey"]
    autre = AuthentificateurLogiciel()
    cle_enregistree(compte_a.utilisateur, autre)
    refus = client.post(CONNEXION_CLE, {"credential": autre.signer(options_b)}, format="json")
    assert refus.status_code == 401
    # The failure is counted on the pending account (throttling of the password login).
    assert CompteurEchecs.objects.filter(
        cle=throttling.cle_compte("connexion", compte_b.username)
    ).exists()


def test_A6_failures_of_the_key_login_match_the_totp_login(
    horloge: time_machine.Coordinates,
) -> None:
    compte, _ = _compte_avec_cle()
    sans_cle = compte_complet(Role.DELEGUE_PROCUREUR)
    reference = APIClient().post(
        CONNEXION, {**sans_cle.identifiants(), "password": "mauvais mot de passe!"}, format="json"
    )
    tentatives = {
        "mot_de_passe_faux": {"username": compte.username, "password": "mauvais mot de passe!"},
        "inconnu": {"username": "personne.inconnue", "password": MOT_DE_PASSE},
        "compte_sans_cle": {"username": sans_cle.username, "password": MOT_DE_PASSE},
    }
    reponses = [
        APIClient().post(OPTIONS_CONNEXION, corps, format="json") for corps in tentatives.values()
    ]
    assert {r.status_code for r in reponses} == {401}
    attendu = _sans_request_id(reference.content)
    assert all(_sans_request_id(r.content) == attendu for r in reponses)
    assert attendu["code"] == "identifiants_invalides"
    assert all("sessionid" not in r.cookies for r in reponses)


def test_A2_delegate_owning_a_key_can_no_longer_use_totp_but_a_coordinator_can(
    horloge: time_machine.Coordinates,
) -> None:
    delegue, _ = _compte_avec_cle(Role.DELEGUE_PROCUREUR)
    coordonnateur, _ = _compte_avec_cle(Role.COORDONNATEUR)
    horloge.shift(timedelta(seconds=31))
    refus = APIClient().post(CONNEXION, delegue.identifiants(), format="json")
    assert refus.status_code == 401
    assert refus.json()["code"] == "identifiants_invalides"
    assert APIClient().post(CONNEXION, coordonnateur.identifiants(), format="json").status_code == (
        200
    )
    # A délégué without a key still logs in with TOTP (keys are enrolled, not imposed blindly).
    sans_cle = compte_complet(Role.DELEGUE_PROCUREUR)
    assert APIClient().post(CONNEXION, sans_cle.identifiants(), format="json").status_code == 200


def test_A2_sign_counter_going_backwards_is_refused_and_logged(
    horloge: time_machine.Coordinates, caplog: pytest.LogCaptureFixture
) -> None:
    from audit.enums import ActionAcces
    from audit.models import EvenementAcces

    compte, authentificateur = _compte_avec_cle()
    authentificateur.compteur = 9
    _connexion_cle(compte, authentificateur)
    cle = CleSecurite.objects.get()
    assert cle.compteur == 10
    clone = AuthentificateurLogiciel()
    clone.cle_privee, clone.identifiant, clone.compteur = (
        authentificateur.cle_privee,
        authentificateur.identifiant,
        4,
    )
    caplog.set_level("WARNING", logger="acces.auth")
    client = APIClient()
    options = _etape_1(client, compte).json()["publicKey"]
    reponse = client.post(CONNEXION_CLE, {"credential": clone.signer(options)}, format="json")
    assert reponse.status_code == 401
    assert client.get(MOI).status_code == 401
    cle.refresh_from_db()
    assert cle.compteur == 10
    evenement = EvenementAcces.objects.get(action=ActionAcces.SECURITE)
    assert evenement.raison == "cle_securite_clonee"
    assert evenement.type_objet == "acces.clesecurite"
    assert evenement.objet_id == str(cle.reference)
    assert f"cle_securite_clonee cle={cle.reference}" in caplog.text
    # Equal counter (not only lower) is a clone too.
    options = _etape_1(client, compte).json()["publicKey"]
    clone.compteur = 9
    egal = client.post(CONNEXION_CLE, {"credential": clone.signer(options)}, format="json")
    assert egal.status_code == 401


def test_A2_keys_without_counter_keep_working(horloge: time_machine.Coordinates) -> None:
    compte, authentificateur = _compte_avec_cle()
    client = APIClient()
    for _ in range(2):
        options = _etape_1(client, compte).json()["publicKey"]
        credential = authentificateur.signer(options, avancer=0)
        assert client.post(
            CONNEXION_CLE, {"credential": credential}, format="json"
        ).status_code == (200)
        client = APIClient()
    assert CleSecurite.objects.get().compteur == 0


def test_A2_assertion_without_user_verification_is_refused(
    horloge: time_machine.Coordinates,
) -> None:
    from tests.acces.webauthn_logiciel import UP

    compte, authentificateur = _compte_avec_cle()
    client = APIClient()
    options = _etape_1(client, compte).json()["publicKey"]
    credential = authentificateur.signer(options, drapeaux=UP)
    assert client.post(CONNEXION_CLE, {"credential": credential}, format="json").status_code == 401


def test_A3_throttling_is_shared_with_the_password_login(
    horloge: time_machine.Coordinates,
) -> None:
    compte, authentificateur = _compte_avec_cle(Role.COORDONNATEUR)
    mauvais = {**compte.identifiants(), "password": "essai numéro un !"}
    for _ in range(throttling.COMPTE.seuil):
        assert APIClient().post(CONNEXION, mauvais, format="json").status_code == 401
    bloque = _etape_1(APIClient(), compte)
    assert bloque.status_code == 429
    horloge.shift(timedelta(seconds=61))
    # And the other way round: failures on the key route hold the password + TOTP route.
    autre = compte_complet(Role.COORDONNATEUR)
    cle_enregistree(autre.utilisateur)
    for _ in range(throttling.COMPTE.seuil):
        assert _etape_1(APIClient(), autre, password="pas le bon mot de passe").status_code == 401
    assert APIClient().post(CONNEXION, autre.identifiants(), format="json").status_code == 429
    # The first account is free again, and a key login clears its counter.
    _connexion_cle(compte, authentificateur)
    assert not CompteurEchecs.objects.filter(
        cle=throttling.cle_compte("connexion", compte.username)
    ).exists()


def test_malformed_login_bodies_are_json_400(horloge: time_machine.Coordinates) -> None:
    corps: dict[str, Any]
    for corps in ({"credential": []}, {"credential": {}, "username": "x"}, {}):
        reponse = APIClient().post(CONNEXION_CLE, corps, format="json")
        assert reponse.status_code == 400
        assert set(reponse.json()) == {"code", "message", "champs", "request_id"}
    reponse = APIClient().post(OPTIONS_CONNEXION, {"username": "x"}, format="json")
    assert reponse.status_code == 400


# --- Step-up and deletion ------------------------------------------------------------------------


def test_A2_step_up_with_a_key(horloge: time_machine.Coordinates) -> None:
    compte, authentificateur = _compte_avec_cle()
    client = _connexion_cle(compte, authentificateur)
    horloge.shift(timedelta(minutes=6))
    assert client.post(OPTIONS_CLES).status_code == 403
    options = client.post(OPTIONS_VERIFICATION_CLE).json()["publicKey"]
    # Replay of the login assertion: wrong challenge.
    autre = AuthentificateurLogiciel()
    assert (
        client.post(VERIFICATION_CLE, {"credential": autre.signer(options)}, format="json")
    ).status_code == 400
    options = client.post(OPTIONS_VERIFICATION_CLE).json()["publicKey"]
    reponse = client.post(
        VERIFICATION_CLE, {"credential": authentificateur.signer(options)}, format="json"
    )
    assert reponse.status_code == 200, reponse.content
    assert client.post(OPTIONS_CLES).status_code == 200
    # A role that requires its key cannot step up with a TOTP code instead.
    horloge.shift(timedelta(minutes=6))
    refus = client.post(VERIFICATION, {"otp": compte.otp()}, format="json")
    assert refus.status_code == 400 and refus.json()["code"] == "cle_securite_exigee"
    assert client.post(OPTIONS_CLES).status_code == 403
    # A coordinator owning a key keeps the TOTP step-up.
    coordonnateur, _ = _compte_avec_cle(Role.COORDONNATEUR)
    horloge.shift(timedelta(seconds=31))  # a TOTP code is accepted once
    session = _session_totp(coordonnateur)
    horloge.shift(timedelta(minutes=6))
    assert (
        session.post(VERIFICATION, {"otp": coordonnateur.otp()}, format="json").status_code == 200
    )
    # An account without keys has nothing to step up with.
    sans_cle = _session_totp(compte_complet())
    assert sans_cle.post(OPTIONS_VERIFICATION_CLE).json()["code"] == "aucune_cle"


def test_deleting_keys(horloge: time_machine.Coordinates) -> None:
    delegue, authentificateur = _compte_avec_cle(Role.DELEGUE_PROCUREUR)
    client = _connexion_cle(delegue, authentificateur)
    unique = CleSecurite.objects.get(user=delegue.utilisateur)
    derniere = client.delete(f"{CLES}{unique.reference}/")
    assert derniere.status_code == 409
    assert derniere.json()["code"] == "derniere_cle"
    seconde = _enregistrer(client, AuthentificateurLogiciel(), "clé de secours")
    # Someone else's key answers like a missing one.
    coordonnateur, cle_coordonnateur = _compte_avec_cle(Role.COORDONNATEUR)
    sienne = CleSecurite.objects.get(user=coordonnateur.utilisateur)
    assert client.delete(f"{CLES}{sienne.reference}/").status_code == 404
    # Step-up required.
    horloge.shift(timedelta(minutes=6))
    assert client.delete(f"{CLES}{seconde['id']}/").status_code == 403
    horloge.shift(timedelta(seconds=-360))
    assert client.delete(f"{CLES}{seconde['id']}/").status_code == 204
    assert list(CleSecurite.objects.filter(user=delegue.utilisateur)) == [unique]
    # A coordinator may delete its only key; a session opened with a deleted key ends.
    client_coord = _connexion_cle(coordonnateur, cle_coordonnateur)
    assert client_coord.delete(f"{CLES}{sienne.reference}/").status_code == 204
    assert client_coord.get(MOI).status_code == 401


def test_A2_a_token_of_a_key_role_cannot_step_up_with_x_otp(
    horloge: time_machine.Coordinates,
) -> None:
    """X-OTP on a Bearer request stands for a TOTP step-up: refused to key-only roles."""
    from acces.auth.services import jeton_creer
    from tests.cellules.composition.factories import charte_acceptee

    compte, authentificateur = _compte_avec_cle()
    charte_acceptee(compte.utilisateur)
    client = _connexion_cle(compte, authentificateur)
    assert client.get(MOI).status_code == 200
    emis = jeton_creer(utilisateur=compte.utilisateur, libelle="script", duree_jours=1)
    par_jeton = APIClient()
    horloge.shift(timedelta(seconds=31))
    reponse = par_jeton.get(
        "/api/v1/situations-archivees/",
        HTTP_AUTHORIZATION=f"Bearer {emis.valeur}",
        HTTP_X_MOTIF="controle",
        HTTP_X_OTP=compte.otp(),
    )
    assert reponse.status_code == 403
    assert reponse.json()["code"] == "verification_requise"
