"""Issue 11: auditors see who the staff accounts are (staff are not data subjects), and the
times of the log follow one convention (Paris time, offset written) in JSON and in CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp

from acces.auth.services import appareil_totp_creer
from audit import chaine
from tests.audit.outils import ligne
from tests.matrice.personas import client_pour, creer_utilisateur

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/evenements/"


@pytest.fixture
def auditeur():
    user = creer_utilisateur("auditeur")
    return user, client_pour(user)


def _agent(prenom: str, nom: str):
    user = creer_utilisateur("membre_cellule")
    user.first_name, user.last_name = prenom, nom
    user.save()
    return user


def _csv(client, user, **params) -> list[dict[str, str]]:
    _, graine = appareil_totp_creer(utilisateur=user)
    response = client.get(URL + "export/", params, HTTP_X_OTP=f"{totp(graine):06d}")
    assert response.status_code == 200
    texte = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(texte)))


def test_auditor_sees_the_staff_name_and_organisation_of_each_event(auditeur):
    _, client = auditeur
    agent = _agent("Camille", "Rousseau")
    chaine.ajouter(
        [
            ligne(utilisateur_id=agent.pk, organisation_id=agent.organisation_id),
            ligne(utilisateur_id=None, organisation_id=None),
        ]
    )
    resultats = client.get(URL).json()["results"]
    assert [(r["utilisateur_nom"], r["organisation_nom"]) for r in resultats] == [
        ("Camille Rousseau", "Organisation membre_cellule"),
        (None, None),
    ]
    assert resultats[0]["utilisateur"] == str(agent.pk)
    volumes = client.get("/api/v1/audit/volumes/", {"utilisateur": str(agent.pk)}).json()
    assert volumes["results"][0]["utilisateur_nom"] == "Camille Rousseau"
    objet = uuid.UUID(resultats[0]["objet_id"])
    lus = client.get(f"/api/v1/audit/personnes/{objet}/consultations/").json()["results"]
    assert [(r["utilisateur_nom"], r["organisation_nom"]) for r in lus] == [
        ("Camille Rousseau", "Organisation membre_cellule")
    ]


def test_an_account_without_a_name_shows_its_username(auditeur):
    _, client = auditeur
    agent = creer_utilisateur("membre_cellule")
    chaine.ajouter([ligne(utilisateur_id=agent.pk)])
    assert client.get(URL).json()["results"][0]["utilisateur_nom"] == agent.username


def test_names_of_a_page_cost_a_fixed_number_of_queries(auditeur):
    _, client = auditeur

    def requetes() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    chaine.ajouter([ligne(utilisateur_id=_agent("A", "B").pk) for _ in range(2)])
    peu = requetes()
    agents = [_agent(f"P{i}", f"N{i}") for i in range(8)]
    chaine.ajouter([ligne(utilisateur_id=a.pk, organisation_id=a.organisation_id) for a in agents])
    assert requetes() == peu


def test_csv_export_names_the_staff_accounts(auditeur):
    user, client = auditeur
    agent = _agent("=Dominique", "Lefort")
    chaine.ajouter([ligne(utilisateur_id=agent.pk, organisation_id=agent.organisation_id)])
    lignes = _csv(client, user)
    assert (lignes[0]["utilisateur_nom"], lignes[0]["organisation_nom"]) == (
        "'=Dominique Lefort",  # formula-escaped like every cell
        "Organisation membre_cellule",
    )


def test_times_are_paris_time_with_their_offset_in_json_and_csv(auditeur):
    user, client = auditeur
    hiver = dt.datetime(2026, 1, 15, 13, 0, tzinfo=dt.UTC)
    ete = dt.datetime(2026, 7, 15, 13, 0, tzinfo=dt.UTC)
    chaine.ajouter([ligne(horodatage=hiver), ligne(horodatage=ete)])
    json_ = [r["horodatage"] for r in client.get(URL).json()["results"]]
    attendu = ["2026-01-15T14:00:00+01:00", "2026-07-15T15:00:00+02:00"]
    assert json_ == attendu
    assert [r["horodatage"] for r in _csv(client, user)[:2]] == attendu
    for moment in attendu:
        assert dt.datetime.fromisoformat(moment) in (hiver, ete)


def test_the_schema_describes_the_time_as_paris_time_with_offset(client):
    schema = client.get("/api/schema/").json()
    for composant in ("Evenement", "Consultation"):
        champ = schema["components"]["schemas"][composant]["properties"]["horodatage"]
        texte = (champ.get("title", "") + " " + champ.get("description", "")).lower()
        assert "utc" not in texte
        assert "paris" in texte and "décalage" in texte
