"""B1/B5/H7: every route × method × persona answers as the written matrix says.

A route served by the resolver or documented in the OpenAPI schema but absent from the matrix
fails the suite, and so does a matrix row for a route that no longer exists.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone

from acces.auth.models import JetonApi
from acces.enums import Role, TypeOrganisation
from acces.models import Charte, Habilitation, Organisation, Utilisateur
from tests.matrice.personas import PERSONAS, TOUS, client_pour, creer_utilisateur, session_pour
from tests.matrice.routes import routes_du_resolveur, routes_du_schema

MATRICE: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "matrice_permissions.yaml").read_text(encoding="utf-8")
)
METHODES = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _normalise(routes: dict[str, set[str]]) -> dict[str, set[str]]:
    return {route.replace("{pk}", "{id}"): methodes for route, methodes in routes.items()}


def _matrice_routes() -> dict[str, set[str]]:
    return {route: set(regles) & METHODES for route, regles in MATRICE.items()}


# Routes whose matrix rows run with a browser session instead of a personal token.
def test_B1_matrix_options_are_known():
    for route, regles in MATRICE.items():
        assert set(regles) <= METHODES | {"parametres", "authentification"}, route
        assert regles.get("authentification", "jeton") in {"jeton", "session"}, route


def test_B1_every_served_route_is_in_the_matrix():
    assert _normalise(routes_du_resolveur()) == _matrice_routes()


def test_H7_every_documented_route_is_in_the_matrix():
    documentees = routes_du_schema()
    matrice = _matrice_routes()
    # The schema endpoint does not document itself.
    matrice.pop("/api/schema/")
    assert documentees == matrice


def _cellules() -> list[tuple[str, str, str]]:
    return [
        (route, methode, persona)
        for route, regles in MATRICE.items()
        for methode in sorted(set(regles) & METHODES)
        for persona in TOUS
    ]


def _regle(route: str, methode: str) -> tuple[dict[str, Any] | None, dict[str, int]]:
    regle = MATRICE[route][methode]
    if "attendu" in regle:
        return regle.get("corps"), regle["attendu"]
    return None, regle


def _attendu(attendus: dict[str, int], persona: str) -> int:
    return attendus.get(persona, attendus["*"])


def _remplacer(valeur: Any, objets: dict[str, str]) -> Any:
    if isinstance(valeur, str) and valeur.startswith("$"):
        return objets[valeur[1:]]
    if isinstance(valeur, dict):
        return {k: _remplacer(v, objets) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_remplacer(v, objets) for v in valeur]
    return valeur


@pytest.fixture
def objets(db) -> dict[str, Any]:
    Charte.objects.create(version=1, titre="Charte", texte="Texte de la charte.")
    cible_org = Organisation.objects.create(
        nom="Bailleur cible", type=TypeOrganisation.BAILLEUR_SOCIAL
    )
    cible = Utilisateur.objects.create(
        username="cible." + secrets.token_hex(3), organisation=cible_org
    )
    habilitation = Habilitation.objects.create(utilisateur=cible, role=Role.MEMBRE_CELLULE)
    jeton_autre = JetonApi.objects.create(
        utilisateur=cible,
        hash=secrets.token_hex(32),
        libelle="autre",
        expire_le=timezone.now() + timedelta(days=1),
    )
    return {
        "jeton_propre": str(jeton_autre.pk),
        "organisation": str(cible_org.pk),
        "utilisateur_cible": str(cible.pk),
        "habilitation_cible": str(habilitation.pk),
        "nom_unique": "Organisation " + secrets.token_hex(4),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "methode", "persona"), _cellules())
def test_B1_matrix_cell(route: str, methode: str, persona: str, objets: dict[str, Any]):
    user = None if persona == "anonyme" else creer_utilisateur(persona)
    par_session = MATRICE[route].get("authentification") == "session"
    client = session_pour(user) if par_session else client_pour(user)
    parametres = MATRICE[route].get("parametres", {})
    if user is not None and not par_session:
        # The persona's own token (the one the client authenticates with).
        objets["jeton_propre"] = str(JetonApi.objects.get(utilisateur=user).pk)
    chemin = route
    for nom, objet in parametres.items():
        chemin = chemin.replace("{" + nom + "}", objets[objet])
    corps, attendus = _regle(route, methode)
    response = client.generic(
        methode,
        chemin,
        data=json.dumps(_remplacer(corps, objets)) if corps is not None else "",
        content_type="application/json",
    )
    assert response.status_code == _attendu(attendus, persona), (
        f"{methode} {route} en {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if response.status_code != 204:
        media_type = response["Content-Type"].split(";")[0]
        assert media_type == "application/json" or media_type.endswith("+json"), media_type


def test_B1_personas_cover_every_role():
    roles = {role for _, role, _, _ in PERSONAS.values() if role}
    assert roles == set(Role.values)
