import pytest

pytestmark = pytest.mark.django_db


def test_sante_reports_each_component_without_secrets(api, settings):
    response = api.get("/api/v1/sante/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["statut"] == "ok"
    assert set(body["composants"]) == {"base_de_donnees", "courtier", "cles"}
    assert body["composants"]["base_de_donnees"] == {"statut": "ok", "moteur": "postgresql"}
    raw = response.content.decode()
    for secret in (settings.CHIFFREMENT_CLES_MAITRES.split(":", 1)[1], settings.INDEX_AVEUGLE_CLE):
        assert secret not in raw


def test_sante_degrades_when_a_key_is_missing(api, settings):
    settings.INDEX_AVEUGLE_CLE = None
    response = api.get("/api/v1/sante/")
    assert response.status_code == 503
    assert response.json()["composants"]["cles"] == {"statut": "invalides"}
