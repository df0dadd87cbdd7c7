"""One error shape for every bad input, and nothing written (issue 2, checklist G1-G14)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory
from faker import Faker
from pytest_django import Settings
from rest_framework.test import APIClient

from acces.models import Organisation
from socle.models import OutboxMessage
from tests.utils.base import assert_erreur_json, connecter, db_snapshot, envoyer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.socle.urls_ecriture")]

ECRITURE = "/api/v1/essai/ecriture/"
JSON = "application/json"
fake = Faker("fr_FR")


@pytest.fixture
def client() -> APIClient:
    return APIClient(raise_request_exception=False)


@pytest.fixture
def inchange() -> Iterator[None]:
    """Fails the test if the database differs after it (rows, values, outbox)."""
    avant = db_snapshot()
    yield
    assert db_snapshot() == avant


def _post(client: APIClient, body: bytes, content_type: str = JSON, **extra: Any) -> Any:
    return envoyer(client, "POST", ECRITURE, body, content_type, **extra)


def _valide() -> bytes:
    return json.dumps({"nom": fake.company(), "type": "pjj"}).encode()


def _imbrique(profondeur: int) -> bytes:
    return b'{"nom": ' + b"[" * (profondeur - 1) + b"]" * (profondeur - 1) + b', "type": "pjj"}'


def test_valid_body_writes_so_the_unchanged_checks_mean_something(client: APIClient) -> None:
    avant = db_snapshot()
    response = _post(client, _valide())
    assert response.status_code == 201, response.content
    assert Organisation.objects.filter(pk=response.json()["id"]).exists()
    assert OutboxMessage.objects.count() == 1
    assert db_snapshot() != avant


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"nom": "Asso", "type": "pjj"', id="tronque"),
        pytest.param(b'{"nom": "Asso", "type": "pjj",}', id="virgule_finale"),
        pytest.param(b"{'nom': 'Asso', 'type': 'pjj'}", id="guillemets_simples"),
        pytest.param(b'{"nom": "Asso" /* c */, "type": "pjj"}', id="commentaire"),
        pytest.param(b'\xef\xbb\xbf{"nom": "Asso", "type": "pjj"}', id="bom"),
        pytest.param(b'{"nom": "Asso \xff\xfe", "type": "pjj"}', id="utf8_invalide"),
        pytest.param(b'{"nom": "Asso \xc3", "type": "pjj"}', id="utf8_tronque"),
        pytest.param(b'{"nom": "Asso \xc0\xae", "type": "pjj"}', id="utf8_surlong"),
        pytest.param(b'{"nom": "Asso \xed\xa0\x80", "type": "pjj"}', id="surrogate_encode"),
        pytest.param('{"nom": "Asso", "type": "pjj"}'.encode("utf-16"), id="utf16"),
        pytest.param(b"", id="vide_json"),
        pytest.param(b"   ", id="blancs"),
    ],
)
def test_G1_malformed_json_is_a_json_400(client: APIClient, inchange: None, body: bytes) -> None:
    if body == b"":
        # No body at all: nothing to parse, the serializer reports the missing fields.
        champs = assert_erreur_json(_post(client, body), 400, "donnees_invalides")["champs"]
        assert set(champs) == {"nom", "type"}
        return
    assert_erreur_json(_post(client, body), 400, "json_invalide")


def test_G2_200000_nested_brackets_is_a_json_400(client: APIClient, inchange: None) -> None:
    body = b"[" * 200_000
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert_erreur_json(_post(client, body), 400, "json_invalide")


def test_G2_200000_nested_closed_objects_is_a_json_400(client: APIClient, inchange: None) -> None:
    body = b'{"a":' * 40_000 + b"1" + b"}" * 40_000
    assert_erreur_json(_post(client, body), 400, "json_invalide")


def test_G2_depth_just_above_the_limit_is_refused_by_the_parser(
    client: APIClient, inchange: None
) -> None:
    assert_erreur_json(
        _post(client, _imbrique(settings.JSON_PROFONDEUR_MAX + 1)), 400, "json_invalide"
    )


def test_G2_depth_at_the_limit_parses_and_fails_validation_only(
    client: APIClient, inchange: None
) -> None:
    body = assert_erreur_json(
        _post(client, _imbrique(settings.JSON_PROFONDEUR_MAX)), 400, "donnees_invalides"
    )
    assert "nom" in body["champs"]


def test_G3_body_above_the_limit_is_a_json_413(client: APIClient, inchange: None) -> None:
    body = b'{"nom": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'", "type": "pjj"}'
    assert_erreur_json(_post(client, body), 413, "corps_trop_volumineux")


def test_G3_announced_length_above_the_limit_is_a_json_413(
    client: APIClient, inchange: None
) -> None:
    response = _post(
        client, _valide(), CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    )
    assert_erreur_json(response, 413, "corps_trop_volumineux")


def test_G3_large_body_on_a_read_only_route_is_a_json_413(
    client: APIClient, inchange: None
) -> None:
    body = b"[" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = envoyer(client, "POST", "/api/v1/sante/", body, JSON)
    assert_erreur_json(response, 413, "corps_trop_volumineux")


def test_G3_body_without_content_length_is_never_read(client: APIClient, inchange: None) -> None:
    # Under WSGI Django reads exactly Content-Length bytes: without it the body is ignored,
    # however large, and the request is judged as empty.
    body = b'{"nom": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'", "type": "pjj"}'
    response = _post(client, body, CONTENT_LENGTH="")
    assert set(assert_erreur_json(response, 400, "donnees_invalides")["champs"]) == {"nom", "type"}


def test_G3_content_length_shorter_than_the_body_truncates_it(
    client: APIClient, inchange: None
) -> None:
    response = _post(client, _valide(), CONTENT_LENGTH="10")
    assert_erreur_json(response, 400, "json_invalide")


@pytest.mark.parametrize("longueur", ["abc", "-1", "1e3", " 12x"])
def test_G3_invalid_content_length_is_a_json_400(
    client: APIClient, inchange: None, longueur: str
) -> None:
    assert_erreur_json(_post(client, _valide(), CONTENT_LENGTH=longueur), 400, "longueur_invalide")


@pytest.mark.parametrize("constante", [b"NaN", b"Infinity", b"-Infinity"])
def test_G6_nan_and_infinity_are_refused(
    client: APIClient, inchange: None, constante: bytes
) -> None:
    body = b'{"nom": ' + constante + b', "type": "pjj"}'
    assert_erreur_json(_post(client, body), 400, "json_invalide")


def test_G6_huge_number_is_a_json_400(client: APIClient, inchange: None) -> None:
    body = b'{"nom": "Asso", "type": "pjj", "n": 1' + b"0" * 5000 + b"}"
    assert_erreur_json(_post(client, body), 400)


def test_duplicate_keys_are_refused(client: APIClient, inchange: None) -> None:
    body = b'{"nom": "Asso", "nom": "Autre", "type": "pjj"}'
    assert_erreur_json(_post(client, body), 400, "json_invalide")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"nom": "As\\u0000so", "type": "pjj"}', id="nul_echappe_valeur"),
        pytest.param(b'{"nom": "As\x00so", "type": "pjj"}', id="nul_brut_valeur"),
        pytest.param(b'{"nom": "Asso", "ty\\u0000pe": "pjj"}', id="nul_echappe_cle"),
        pytest.param(b'{"nom": ["ok", {"x": "\\u0000"}], "type": "pjj"}', id="nul_profond"),
    ],
)
def test_G8_nul_in_body_is_a_json_400(client: APIClient, inchange: None, body: bytes) -> None:
    assert_erreur_json(_post(client, body), 400, "json_invalide")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"nom": "As\\ud800so", "type": "pjj"}', id="haut_isole"),
        pytest.param(b'{"nom": "As\\udc00so", "type": "pjj"}', id="bas_isole"),
        pytest.param(b'{"nom": "\\udc00\\ud800", "type": "pjj"}', id="inverses"),
        pytest.param(b'{"nom": "Asso", "\\ud800": "pjj"}', id="dans_une_cle"),
    ],
)
def test_G8_lone_surrogate_in_body_is_a_json_400(
    client: APIClient, inchange: None, body: bytes
) -> None:
    assert_erreur_json(_post(client, body), 400, "json_invalide")


def test_G8_valid_surrogate_pair_is_accepted(client: APIClient) -> None:
    response = _post(client, b'{"nom": "Asso \\ud83d\\ude00", "type": "pjj"}')
    assert response.status_code == 201, response.content
    assert Organisation.objects.get(pk=response.json()["id"]).nom == "Asso \U0001f600"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'["nom", "type"]', id="tableau"),
        pytest.param(b'"Asso"', id="chaine"),
        pytest.param(b"null", id="null"),
        pytest.param(b'{"nom": true, "type": "pjj"}', id="mauvais_type"),
        pytest.param(b'{"nom": "Asso", "type": "inconnu"}', id="choix_inconnu"),
        pytest.param(b'{"nom": "Asso", "type": "pjj", "actif": true}', id="champ_inconnu"),
    ],
)
def test_G5_wrong_shapes_list_the_fields(client: APIClient, inchange: None, body: bytes) -> None:
    champs = assert_erreur_json(_post(client, body), 400, "donnees_invalides")["champs"]
    assert champs
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in champs.values())


@pytest.mark.parametrize(
    "chemin",
    [
        "/api/v1/sante/%00",
        "/api/v1/%00/",
        "/api/v1/sante/%ff",
        "/api/v1/sante/%ed%a0%80",
        "/api/v1/essai/ecriture/%c0%af",
        "/api/v1/essai/organisations/%25ff/",
        "/api/v1/essai/organisations/%252e%252e/",
    ],
)
def test_G8_nul_and_invalid_utf8_in_path_are_a_json_400(
    client: APIClient, inchange: None, chemin: str
) -> None:
    assert_erreur_json(client.get(chemin), 400, "chemin_invalide")
    assert_erreur_json(envoyer(client, "POST", chemin, _valide(), JSON), 400, "chemin_invalide")


@pytest.mark.parametrize(
    "requete",
    ["q=%00", "%00=1", "q=a%00b", "q=%ff", "q=%ed%a0%80", "q=\xff", "q=\x00", "a=1&q=%c3"],
)
@pytest.mark.parametrize("chemin", ["/api/v1/sante/", "/api/v1/auth/moi/", ECRITURE, "/inconnu/"])
def test_G8_nul_and_invalid_utf8_in_query_are_a_json_400(
    client: APIClient, inchange: None, chemin: str, requete: str
) -> None:
    response = envoyer(client, "POST", chemin, _valide(), JSON, QUERY_STRING=requete)
    assert_erreur_json(response, 400, "parametres_invalides")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        "application/octet-stream",
    ],
)
def test_G11_wrong_content_type_is_a_json_415(
    client: APIClient, inchange: None, content_type: str
) -> None:
    assert_erreur_json(_post(client, _valide(), content_type), 415, "type_non_supporte")


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/html;q=1, */*;q=0"])
def test_G11_accept_html_still_gets_json(client: APIClient, inchange: None, accept: str) -> None:
    ok = client.get("/api/v1/sante/", HTTP_ACCEPT=accept)
    assert ok.status_code == 200
    assert ok["Content-Type"] == JSON
    assert_erreur_json(_post(client, b"{", HTTP_ACCEPT=accept), 400, "json_invalide")
    assert_erreur_json(client.get("/inconnu/", HTTP_ACCEPT=accept), 404, "introuvable")


@pytest.mark.parametrize("methode", ["TRACE", "PUT", "PATCH", "DELETE", "FOO"])
@pytest.mark.parametrize("chemin", ["/api/v1/sante/", ECRITURE, "/api/schema/"])
def test_G12_unsupported_methods_are_a_json_405_with_allow(
    client: APIClient, inchange: None, methode: str, chemin: str
) -> None:
    response = envoyer(client, methode, chemin, _valide(), JSON)
    assert_erreur_json(response, 405, "methode_non_autorisee")
    assert methode not in response["Allow"]


def test_G12_method_override_header_is_ignored(client: APIClient, inchange: None) -> None:
    response = client.get(ECRITURE, HTTP_X_HTTP_METHOD_OVERRIDE="POST")
    assert_erreur_json(response, 405, "methode_non_autorisee")
    response = envoyer(
        client, "POST", "/api/v1/sante/", _valide(), JSON, HTTP_X_HTTP_METHOD_OVERRIDE="GET"
    )
    assert_erreur_json(response, 405, "methode_non_autorisee")


def test_G12_plain_django_view_405_becomes_json(client: APIClient, inchange: None) -> None:
    response = client.get("/api/v1/essai/django/")
    assert_erreur_json(response, 405, "methode_non_autorisee")
    assert "POST" in response["Allow"]
    assert "GET" not in response["Allow"]


@pytest.mark.parametrize(
    "chemin", ["/", "/api/", "/api/v1/", "/api/v1/inconnu/", "/admin/", "/api/v1/sante", "/x.php"]
)
def test_unknown_route_is_a_json_404(client: APIClient, inchange: None, chemin: str) -> None:
    assert_erreur_json(client.get(chemin), 404, "introuvable")
    assert_erreur_json(envoyer(client, "POST", chemin, _valide(), JSON), 404, "introuvable")


@pytest.mark.parametrize(
    "chemin",
    [
        "/api/v1/essai/organisations/abc/",
        "/api/v1/essai/organisations/-1/",
        "/api/v1/essai/organisations/" + "9" * 40 + "/",
        "/api/v1/essai/organisations/12345678-1234-1234-c234-123456789abc/",  # wrong variant
        f"/api/v1/essai/organisations/{uuid.UUID(int=0)}/",
        "/api/v1/essai/organisations/../",
        "/api/v1/essai/organisations/%2e%2e%2f/",
        "/api/v1/essai/organisations/%20/",
        "/api/v1/essai/groupes/-1/",
        "/api/v1/essai/groupes/abc/",
        "/api/v1/essai/groupes/" + "9" * 40 + "/",
        "/api/v1/essai/groupes/2147483648/",
        "/api/v1/essai/groupes/0/",
    ],
)
def test_G13_malformed_ids_are_a_json_404(client: APIClient, inchange: None, chemin: str) -> None:
    assert_erreur_json(client.get(chemin), 404, "introuvable")


def test_G13_nul_in_an_id_is_a_json_400(client: APIClient, inchange: None) -> None:
    assert_erreur_json(client.get("/api/v1/essai/organisations/%00/"), 400, "chemin_invalide")


def test_G13_existing_id_is_found(client: APIClient) -> None:
    organisation = Organisation.objects.create(nom=fake.company(), type="pjj")
    response = client.get(f"/api/v1/essai/organisations/{organisation.pk}/")
    assert response.json() == {"id": str(organisation.pk)}


@pytest.mark.parametrize("methode", ["GET", "POST"])
@pytest.mark.parametrize("hote", ["evil.example", "testserver.evil.example", "[::1", "a b"])
def test_G14_host_not_allowed_is_a_json_400(
    client: APIClient, inchange: None, methode: str, hote: str
) -> None:
    response = envoyer(client, methode, ECRITURE, _valide(), JSON, HTTP_HOST=hote)
    assert_erreur_json(response, 400, "hote_invalide")


def test_G14_spoofed_forwarded_host_is_ignored(client: APIClient, inchange: None) -> None:
    response = client.get("/api/v1/sante/", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 200
    assert "evil" not in response.content.decode()


@pytest.mark.parametrize("methode", ["GET", "OPTIONS", "DELETE"])
def test_unauthenticated_is_a_json_401(client: APIClient, inchange: None, methode: str) -> None:
    response = envoyer(client, methode, "/api/v1/auth/moi/")
    assert_erreur_json(response, 401, "non_authentifie")
    assert response["WWW-Authenticate"]


def test_unhandled_exception_is_a_json_500_without_details(
    client: APIClient, inchange: None
) -> None:
    canari = f"Élodie-ZQX7-{uuid.uuid4()}"
    response = client.get("/api/v1/essai/panne/", {"q": canari})
    assert_erreur_json(response, 500, "erreur_interne")
    texte = response.content.decode()
    assert canari not in texte
    assert "RuntimeError" not in texte
    assert "urls_ecriture" not in texte


def _panne_sql(motif: str) -> Callable[..., Any]:
    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if motif in sql:
            raise OperationalError(f"server closed the connection unexpectedly: {sql}")
        return execute(sql, params, many, context)

    return wrapper


def test_database_outage_on_write_is_a_json_503_without_sql(
    client: APIClient, inchange: None
) -> None:
    with connection.execute_wrapper(_panne_sql('INSERT INTO "acces_organisation"')):
        response = _post(client, _valide())
    assert_erreur_json(response, 503, "service_indisponible")
    assert response["Retry-After"].isdigit()
    assert "acces_organisation" not in response.content.decode()


def test_database_outage_on_session_read_is_a_json_503(client: APIClient) -> None:
    connecter(client)
    avant = db_snapshot()
    with connection.execute_wrapper(_panne_sql("django_session")):
        response = client.get("/api/v1/auth/moi/")
    assert_erreur_json(response, 503, "service_indisponible")
    assert response["Retry-After"].isdigit()
    assert "django_session" not in response.content.decode()
    assert db_snapshot() == avant


def test_database_outage_outside_drf_is_a_json_503(client: APIClient, inchange: None) -> None:
    response = client.get("/api/v1/essai/base-indisponible/")
    assert_erreur_json(response, 503, "service_indisponible")
    assert response["Retry-After"].isdigit()
    assert "secret" not in response.content.decode()


def test_csrf_failure_on_session_post_is_a_json_403() -> None:
    client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    connecter(client)
    assert client.get("/api/v1/auth/moi/").status_code == 200
    avant = db_snapshot()
    assert_erreur_json(_post(client, _valide()), 403, "csrf_invalide")
    jeton = client.cookies["csrftoken"].value
    # Change the last character for sure (replacing it by a fixed one could be a no-op).
    altere = jeton[:-1] + ("y" if jeton.endswith("x") else "x")
    assert_erreur_json(_post(client, _valide(), HTTP_X_CSRFTOKEN=altere), 403, "csrf_invalide")
    response = envoyer(client, "POST", "/api/v1/essai/django/", b"{}", JSON)
    assert_erreur_json(response, 403, "csrf_invalide")
    assert db_snapshot() == avant


def test_csrf_failure_for_anonymous_plain_django_view_is_a_json_403(inchange: None) -> None:
    client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    response = envoyer(client, "POST", "/api/v1/essai/django/", b"{}", JSON)
    assert_erreur_json(response, 403, "csrf_invalide")


def test_client_supplied_request_id_is_not_trusted(client: APIClient) -> None:
    fourni = "a" * 32
    response = client.get("/inconnu/", HTTP_X_REQUEST_ID=fourni)
    body = assert_erreur_json(response, 404, "introuvable")
    assert body["request_id"] != fourni
    assert client.get("/inconnu/")["X-Request-ID"] != response["X-Request-ID"]


def test_G3_without_the_screening_middleware_the_parser_still_answers_413(
    client: APIClient, settings: Settings
) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("BadInputMiddleware")]
    avant = db_snapshot()
    body = b'{"nom": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'", "type": "pjj"}'
    assert_erreur_json(_post(client, body), 413, "corps_trop_volumineux")
    assert db_snapshot() == avant


def test_G3_django_handler400_answers_json_413_for_too_big_bodies(rf: RequestFactory) -> None:
    from django.core.exceptions import RequestDataTooBig, SuspiciousOperation

    from socle.errors import bad_request

    assert bad_request(rf.get("/"), RequestDataTooBig()).status_code == 413
    response = bad_request(rf.get("/"), SuspiciousOperation("x"))
    assert response.status_code == 400
    assert response["Content-Type"] == JSON
    assert set(json.loads(response.content)) == {"code", "message", "champs", "request_id"}
