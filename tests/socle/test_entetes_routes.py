"""Security headers on every response of every route, errors included (H2, H5, E7)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from pytest_django import Settings
from rest_framework.test import APIClient

from tests.utils.base import assert_erreur_json, connecter, envoyer

pytestmark = pytest.mark.django_db

METHODES = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE"]
_EXEMPLES = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "exemple", "str": "exemple"}
_CONVERTISSEUR = re.compile(r"<(?:(?P<type>\w+):)?\w+>")


def _chemins(resolver: URLResolver | None = None, prefixe: str = "") -> Iterator[str]:
    """Every route of the URL resolver, converters replaced by sample values."""
    for entree in (resolver or get_resolver()).url_patterns:
        motif = prefixe + str(entree.pattern)
        if isinstance(entree, URLResolver):
            yield from _chemins(entree, motif)
        elif isinstance(entree, URLPattern):
            yield "/" + _CONVERTISSEUR.sub(lambda m: _EXEMPLES[m["type"] or "str"], motif)


def _assert_entetes(response: Any) -> None:
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "Server" not in response
    assert "X-Powered-By" not in response
    if response.status_code >= 400:
        assert response["Content-Type"].split(";")[0] == "application/json"
        if response.content:
            assert_erreur_json(response, response.status_code)


def test_route_inventory_is_not_empty() -> None:
    chemins = list(_chemins())
    assert {"/api/v1/sante/", "/api/v1/auth/moi/", "/api/schema/"} <= set(chemins)


@pytest.mark.slow
@pytest.mark.parametrize("connecte", [False, True], ids=["anonyme", "connecte"])
def test_H2_H5_E7_headers_on_every_route_and_method(connecte: bool) -> None:
    client = APIClient(raise_request_exception=False)
    if connecte:
        connecter(client)
        assert client.get("/api/v1/auth/moi/").status_code == 200
    vus = 0
    for chemin in _chemins():
        for methode in METHODES:
            response = envoyer(client, methode, chemin, b"{}", "application/json")
            _assert_entetes(response)
            vus += 1
            # A write may have closed the session (logout, deactivation): reopen it.
            ecriture = methode not in ("GET", "HEAD", "OPTIONS", "TRACE")
            if connecte and ecriture and client.get("/api/v1/auth/moi/").status_code != 200:
                connecter(client)
    assert vus == len(METHODES) * len(list(_chemins()))


@pytest.mark.parametrize(
    ("methode", "chemin", "extra"),
    [
        ("GET", "/inconnu/", {}),
        ("GET", "/api/v1/sante/%00", {}),
        ("GET", "/api/v1/sante/", {"QUERY_STRING": "q=%ff"}),
        ("GET", "/api/v1/sante/", {"HTTP_HOST": "evil.example"}),
        ("POST", "/api/v1/sante/", {"CONTENT_LENGTH": str(10**9)}),
        ("POST", "/api/v1/sante/", {"CONTENT_LENGTH": "abc"}),
        ("TRACE", "/api/v1/sante/", {}),
        ("GET", "/api/v1/auth/moi/", {}),
    ],
)
def test_H2_headers_on_early_refusals(methode: str, chemin: str, extra: dict[str, str]) -> None:
    response = envoyer(APIClient(), methode, chemin, b"{}", **extra)
    assert response.status_code >= 400
    _assert_entetes(response)


@pytest.mark.urls("tests.socle.urls_ecriture")
def test_H5_headers_on_500_and_on_converted_django_errors() -> None:
    client = APIClient(raise_request_exception=False)
    for response in (client.get("/api/v1/essai/panne/"), client.get("/api/v1/essai/django/")):
        assert response.status_code in (500, 405)
        _assert_entetes(response)


def test_H2_hsts_on_https_responses_including_early_refusals(settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = APIClient()
    for response in (
        client.get("/api/v1/sante/", secure=True),
        client.get("/api/v1/sante/%00", secure=True),
    ):
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "includeSubDomains" in response["Strict-Transport-Security"]
