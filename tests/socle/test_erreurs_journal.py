"""Every log line of a failing request is JSON with its request id, never the exception text."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection
from faker import Faker
from rest_framework.test import APIClient

from acces.models import Utilisateur
from socle.logging import JsonFormatter, RequestIdFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.socle.urls_ecriture")]

fake = Faker("fr_FR")
CANARI = f"Élodie-ZQX7-{uuid.uuid4()}"


@pytest.fixture
def journal() -> Iterator[io.StringIO]:
    """Root handler configured like the production one (JSON formatter, request id filter)."""
    flux = io.StringIO()
    handler = logging.StreamHandler(flux)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    racine = logging.getLogger()
    niveau = racine.level
    racine.addHandler(handler)
    racine.setLevel(logging.INFO)
    try:
        yield flux
    finally:
        racine.removeHandler(handler)
        racine.setLevel(niveau)


def _lignes(flux: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(ligne) for ligne in flux.getvalue().splitlines()]


def _panne_sql(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
    if "acces_organisation" in sql:
        raise OperationalError(f"{CANARI} {sql}")
    return execute(sql, params, many, ctx)


def _client() -> APIClient:
    return APIClient(raise_request_exception=False)


def _panne() -> Any:
    return _client().get("/api/v1/essai/panne/", {"q": CANARI})


def _base_indisponible() -> Any:
    with connection.execute_wrapper(_panne_sql):
        corps = json.dumps({"nom": CANARI, "type": "pjj"})
        return _client().post("/api/v1/essai/ecriture/", corps, content_type="application/json")


def _hote_refuse() -> Any:
    return _client().get("/api/v1/sante/", HTTP_HOST=f"{uuid.uuid4().hex}.evil.example")


def _json_invalide() -> Any:
    corps = f'{{"nom": "{CANARI}", '.encode()
    return _client().post("/api/v1/essai/ecriture/", corps, content_type="application/json")


def _csrf() -> Any:
    client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(
        Utilisateur.objects.create_user(
            username=f"{fake.user_name()}-{uuid.uuid4().hex[:8]}", password=fake.password()
        )
    )
    return client.post("/api/v1/essai/django/", {"nom": CANARI}, format="json")


@pytest.mark.parametrize(
    ("requete", "statut", "journalise"),
    [
        (_panne, 500, True),
        (_base_indisponible, 503, True),
        (_hote_refuse, 400, False),
        (_json_invalide, 400, False),
        (_csrf, 403, True),
    ],
    ids=["panne", "base_indisponible", "hote_refuse", "json_invalide", "csrf"],
)
def test_log_lines_of_a_failing_request_are_json_with_its_request_id(
    journal: io.StringIO, requete: Callable[[], Any], statut: int, journalise: bool
) -> None:
    response = requete()
    assert response.status_code == statut
    lignes = _lignes(journal)
    assert bool(lignes) == journalise
    for ligne in lignes:
        assert set(ligne) >= {"ts", "niveau", "logger", "message", "request_id"}
        assert ligne["request_id"] == response["X-Request-ID"]
    assert CANARI not in journal.getvalue()
    assert "acces_organisation" not in journal.getvalue()


def test_exception_text_echoed_in_a_message_is_replaced_by_its_type(journal: io.StringIO) -> None:
    logger = logging.getLogger("socle.essai")
    try:
        raise ValueError(f"valeur {CANARI}")
    except ValueError as exc:
        logger.error(str(exc), exc_info=exc)
        logger.warning("refus : %s", exc, exc_info=True)
    lignes = _lignes(journal)
    assert [ligne["message"] for ligne in lignes] == ["ValueError", "refus : ValueError"]
    assert all(ligne["exception"] == "ValueError" for ligne in lignes)
    assert all(ligne["request_id"] == "-" for ligne in lignes)
    assert CANARI not in journal.getvalue()
