"""G-items and F7: schema-generated requests against the real WSGI stack, for several roles.

No generated request may produce a server error; every error response has the common shape;
every response is JSON. Positive and negative generation modes, derandomized for CI.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import content_type_conformance

from acces.models import Charte
from tests.matrice.personas import creer_utilisateur, entete_jeton

pytestmark = pytest.mark.slow

EXEMPLES = 12
PERSONAS = ("anonyme", "admin_technique", "delegue_procureur", "auditeur")


def _application(environ, start_response):
    """The WSGI stack, keeping the test transaction's connection open as Django's client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _WSGI(environ, start_response)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


_WSGI = get_wsgi_application()


def _schema() -> schemathesis.BaseSchema:
    # Built from the generator (no request at import time), served by the real WSGI stack.
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = _application
    return loaded


schema = _schema()


@pytest.fixture(params=PERSONAS)
def entetes(request, db) -> dict[str, str]:
    """Authorization headers of one persona (a personal token), or none for anonymous."""
    Charte.objects.get_or_create(version=1, defaults={"titre": "Charte", "texte": "Texte."})
    if request.param == "anonyme":
        return {}
    return {"Authorization": entete_jeton(creer_utilisateur(request.param))}


def pas_d_erreur_serveur_et_forme_commune(ctx, response, case):
    """No 5xx at all, and every 4xx carries the common error shape with the request id."""
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code}"
    )
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert set(body) == {"code", "message", "champs", "request_id"}, body
        headers = {name.lower(): values for name, values in response.headers.items()}
        assert body["request_id"] == headers["x-request-id"][0]
    return None


@schema.parametrize()
@settings(
    max_examples=EXEMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_G_schema_generated_requests(case, entetes):
    response = case.call(headers=entetes)
    case.validate_response(
        response,
        checks=[pas_d_erreur_serveur_et_forme_commune, content_type_conformance],
    )
