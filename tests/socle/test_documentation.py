"""Issue 11: the API document is French, generated without a warning, served with an RFC 6266
``Content-Disposition``; the development documentation page loads nothing from outside."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

# Words of English that French never uses (every description, title and tag is checked).
ANGLAIS = {
    "the", "and", "of", "with", "for", "only", "is", "are", "which", "who", "its", "by",
    "from", "each", "body", "one", "this", "that", "no", "not", "read", "reads", "case",
}  # fmt: skip


def _textes(noeud: Any) -> list[str]:
    if isinstance(noeud, dict):
        textes = [str(v) for k, v in noeud.items() if k in ("description", "title", "summary")]
        textes += [str(t) for t in noeud.get("tags", []) if isinstance(t, str)]
        return textes + [t for v in noeud.values() for t in _textes(v)]
    if isinstance(noeud, list):
        return [t for v in noeud for t in _textes(v)]
    return []


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    reponse = APIClient().get("/api/schema/")
    assert reponse.status_code == 200
    document: dict[str, Any] = json.loads(reponse.content)
    return document


def test_schema_generation_emits_no_warning_nor_error(tmp_path: Path) -> None:
    # --fail-on-warn raises on any warning or error (``DocumentationView`` was one).
    call_command(
        "spectacular", "--format", "openapi-json", "--fail-on-warn", "--validate",
        "--file", str(tmp_path / "s"),
    )  # fmt: skip
    assert json.loads((tmp_path / "s").read_text())["info"]["title"]


def test_the_api_document_is_french(schema: dict[str, Any]) -> None:
    anglais = {
        texte
        for texte in _textes(schema)
        if ANGLAIS & {mot.lower() for mot in re.findall(r"[A-Za-z]+", texte)}
    }
    assert anglais == set()
    assert schema["info"]["title"] == "API des cellules de suivi personnalisé"
    operations = [o for chemin in schema["paths"].values() for o in chemin.values()]
    assert {t for o in operations for t in o["tags"]} >= {"authentification", "audit"}
    assert "auth" not in {t for o in operations for t in o["tags"]}


# Common English words: a route documented in English, or not at all, fails below.
MOTS_ANGLAIS = re.compile(r"\b(the|of|and|is|are|with|returns?|this|from)\b", re.IGNORECASE)


def test_every_operation_is_described_in_french(schema: dict[str, Any]) -> None:
    descriptions = {
        f"{methode.upper()} {chemin}": str(operation.get("description", "")).strip()
        for chemin, operations in schema["paths"].items()
        for methode, operation in operations.items()
    }
    assert descriptions
    assert [route for route, texte in descriptions.items() if not texte] == []
    anglais = {route: MOTS_ANGLAIS.findall(texte) for route, texte in descriptions.items()}
    assert {route: mots for route, mots in anglais.items() if mots} == {}


def test_a_personal_data_route_is_described_by_the_doorway_rules(schema: dict[str, Any]) -> None:
    detail = schema["paths"]["/api/v1/situations/{id}/"]["get"]
    assert "X-Motif" in detail["description"] and "journal des accès" in detail["description"]


def test_the_schema_file_name_is_rfc_6266() -> None:
    reponse = APIClient().get("/api/schema/")
    entete = reponse["Content-Disposition"]
    entete.encode("ascii")  # no raw Latin-1 byte
    assert entete == (
        'inline; filename="API des cellules de suivi personnalis_.json"; '
        "filename*=UTF-8''API%20des%20cellules%20de%20suivi%20personnalis%C3%A9.json"
    )


@pytest.mark.urls("tests.socle.urls_docs")
def test_the_docs_page_loads_only_the_projects_own_assets() -> None:
    client = APIClient()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [s for s in sources if not s.startswith("/api/docs/")]
    assert assets and all(s.startswith("/static/drf_spectacular_sidecar/") for s in assets)
    for asset in assets:  # served from the project (drf-spectacular-sidecar)
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "<script>" not in html  # the start-up script is a request of its own
    (script,) = [s for s in sources if s.startswith("/api/docs/")]
    js = client.get(script.replace("&amp;", "&"))
    assert js.status_code == 200 and js["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in js.content.decode()
    for reponse in (page, js):
        csp = reponse["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe" not in csp and "http" not in csp
