import pytest

from tests.matrice.personas import client_pour, creer_utilisateur
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/sante/"


@pytest.fixture
def admin():
    return client_pour(creer_utilisateur("admin_technique"))


def test_sante_reports_each_component_without_secrets(admin, settings):
    response = admin.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["statut"] == "ok"
    assert set(body["composants"]) == {"base_de_donnees", "courtier", "cles"}
    assert body["composants"]["base_de_donnees"] == {"statut": "ok", "moteur": "postgresql"}
    raw = response.content.decode()
    for secret in (settings.CHIFFREMENT_CLES_MAITRES.split(":", 1)[1], settings.INDEX_AVEUGLE_CLE):
        assert secret not in raw


def test_sante_degrades_when_a_key_is_missing(admin, api, settings):
    settings.INDEX_AVEUGLE_CLE = None
    response = admin.get(URL)
    assert response.status_code == 503
    assert response.json()["composants"]["cles"] == {"statut": "invalides"}
    anonyme = api.get(URL)
    assert (anonyme.status_code, anonyme.json()) == (503, {"statut": "degrade"})


@pytest.mark.parametrize(
    "persona", ["anonyme", "sans_habilitation", "directeur_tranquillite", "auditeur"]
)
def test_item15_only_up_or_down_without_the_technical_administrator(persona):
    """Issue 9, item 15: no key versions, counts or backlog for anonymous or other callers."""
    user = None if persona == "anonyme" else creer_utilisateur(persona)
    response = client_pour(user).get(URL)
    assert (response.status_code, response.json()) == (200, {"statut": "ok"})
    assert b"composants" not in response.content and b"version" not in response.content


def test_item15_a_bad_credential_still_gets_up_or_down(api):
    response = api.get(URL, HTTP_AUTHORIZATION="Bearer jeton-inconnu")
    assert (response.status_code, response.json()) == (200, {"statut": "ok"})
    assert_erreur_json(api.post(URL, {}, format="json"), 405)
