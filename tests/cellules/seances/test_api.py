"""API of meetings: scope, 404 as missing, If-Match, conflicts, relevé per category, PDF."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from acces.enums import Role, TypeOrganisation
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from cellules.dossiers.enums import StatutSituation
from cellules.seances import services
from cellules.seances.enums import StatutSeance, TypeDecision
from cellules.seances.models import PointOrdreDuJour, Seance
from tests.acces.factories import appareil_totp, code_totp
from tests.canaris import canari
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde, seance_passee
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/seances/"


@pytest.fixture
def m() -> Monde:
    return monde()


def _creneau(jours: float = 10) -> dict[str, str]:
    debut = dans(jours)
    return {"debut": debut.isoformat(), "fin": (debut + dt.timedelta(hours=2)).isoformat()}


def _post(client: Any, chemin: str, corps: Any, **extra: Any) -> Any:
    return client.post(chemin, json.dumps(corps), content_type="application/json", **MOTIF, **extra)


def _evenements(response: Any) -> list[EvenementAcces]:
    return list(EvenementAcces.objects.filter(request_id=response["X-Request-ID"]))


def test_coordinator_schedules_and_an_overlap_gets_409(m: Monde) -> None:
    client = client_pour(m.coord)
    corps = {"cellule": str(m.cellule.pk), "lieu": "mairie", **_creneau()}
    response = _post(client, URL, corps, HTTP_IDEMPOTENCY_KEY="seance-1")
    assert response.status_code == 201, response.content
    cree = response.json()
    assert response["ETag"] == f'"{cree["id"]}.1"'
    assert (cree["statut"], cree["lieu"], cree["ordre_du_jour"]) == (
        "planifiee",
        "mairie",
        [],
    )
    rejeu = _post(client, URL, corps, HTTP_IDEMPOTENCY_KEY="seance-1")
    assert (rejeu.status_code, rejeu.json()["id"], rejeu["Idempotent-Replayed"]) == (
        201,
        cree["id"],
        "true",
    )
    assert_erreur_json(_post(client, URL, corps), 409, "conflit_seance")
    assert Seance.objects.count() == 1


def test_unknown_field_and_other_cell_are_refused(m: Monde) -> None:
    client = client_pour(m.coord)
    corps = {"cellule": str(f_composition.cellule("21231").pk), **_creneau()}
    assert_erreur_json(_post(client, URL, corps), 400, "donnees_invalides")
    corps = {"cellule": str(m.cellule.pk), "statut": "tenue", **_creneau()}
    body = assert_erreur_json(_post(client, URL, corps), 400, "donnees_invalides")
    assert "statut" in body["champs"]


def test_list_is_scoped_to_the_cells_of_the_user(m: Monde) -> None:
    mienne = services.seance_planifier(
        cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
    )
    mienne.convocations.create(membre=m.membre)
    sans_convocation = services.seance_planifier(
        cellule=m.cellule, debut=dans(5), fin=dans(5, 16), acteur=m.coord
    )
    autre = monde()
    services.seance_planifier(
        cellule=autre.cellule, debut=dans(3), fin=dans(3, 16), acteur=autre.coord
    )
    coordonnateur = client_pour(m.coord).get(URL, **MOTIF).json()["results"]
    assert {r["id"] for r in coordonnateur} == {str(mienne.pk), str(sans_convocation.pk)}
    # A membre de cellule sees the meetings he is convened to only.
    membre_ = client_pour(m.membre.utilisateur).get(URL, **MOTIF).json()["results"]
    assert [r["id"] for r in membre_] == [str(mienne.pk)]


def test_B2_meeting_of_another_cell_answers_like_a_missing_one(m: Monde) -> None:
    autre = monde()
    seance = services.seance_planifier(
        cellule=autre.cellule, debut=dans(3), fin=dans(3, 16), acteur=autre.coord
    )
    client = client_pour(m.coord)
    reponses = [
        client.get(f"{URL}{seance.pk}/", **MOTIF),
        client.get(f"{URL}{uuid.uuid4()}/", **MOTIF),
        _post(client, f"{URL}{seance.pk}/annulation/", {}),
    ]
    corps = []
    for response in reponses:
        body = assert_erreur_json(response, 404, "introuvable")
        body.pop("request_id")
        corps.append(body)
        assert [e.raison for e in _evenements(response)] == [Raison.HORS_PERIMETRE]
    assert corps[0] == corps[1] == corps[2]
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.PLANIFIEE


def test_member_reads_but_may_not_write(m: Monde) -> None:
    seance = services.seance_planifier(
        cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
    )
    client = client_pour(m.membre.utilisateur)
    assert_erreur_json(client.get(f"{URL}{seance.pk}/", **MOTIF), 404)
    seance.convocations.create(membre=m.membre)
    assert client.get(f"{URL}{seance.pk}/", **MOTIF).status_code == 200
    assert_erreur_json(_post(client, f"{URL}{seance.pk}/annulation/", {}), 403)


def test_reschedule_needs_if_match(m: Monde) -> None:
    seance = services.seance_planifier(
        cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
    )
    client = client_pour(m.coord)
    chemin = f"{URL}{seance.pk}/"
    corps = json.dumps(_creneau(5))
    sans = client.patch(chemin, corps, content_type="application/json", **MOTIF)
    assert_erreur_json(sans, 428, "precondition_requise")
    etag = client.get(chemin, **MOTIF)["ETag"]
    ok = client.patch(chemin, corps, content_type="application/json", HTTP_IF_MATCH=etag, **MOTIF)
    assert ok.status_code == 200, ok.content
    assert (ok.json()["sequence"], ok.json()["version"]) == (1, 2)
    perime = client.patch(
        chemin, corps, content_type="application/json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert_erreur_json(perime, 412, "version_perimee")


def test_agenda_convocations_attendance_through_the_api(m: Monde) -> None:
    seance = services.seance_planifier(
        cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
    )
    client = client_pour(m.coord)
    base = f"{URL}{seance.pk}/"
    point = _post(
        client,
        base + "ordre-du-jour/",
        {"situation": str(m.situation.pk), "motif": "point_d_etape"},
    )
    assert point.status_code == 201, point.content
    assert point.json()["ordre_du_jour"] == [
        {"situation": str(m.situation.pk), "rang": 1, "motif": "point_d_etape"}
    ]
    convocations = _post(client, base + "convocations/", {"membres": [str(m.membre.pk)]})
    assert convocations.status_code == 201
    assert [c["membre"] for c in convocations.json()["convocations"]] == [str(m.membre.pk)]
    # The convened member now reads the case on the agenda.
    lecture = client_pour(m.membre.utilisateur).get(
        f"/api/v1/situations/{m.situation.pk}/", **MOTIF
    )
    assert lecture.status_code == 200
    assert m.membre.organisation is not None
    presence = _post(
        client,
        base + "presences/",
        {"organisation": str(m.membre.organisation.pk), "present": True},
    )
    assert presence.json() == {
        "organisation": str(m.membre.organisation.pk),
        "present": True,
        "excusee": False,
    }
    annulation = _post(client, base + "annulation/", {})
    assert annulation.json()["statut"] == "annulee"
    apres = client_pour(m.membre.utilisateur).get(f"/api/v1/situations/{m.situation.pk}/", **MOTIF)
    assert apres.status_code == 404


def _releve_pret(m: Monde, c: Any = None) -> Seance:
    """A held meeting with the member convened and one decision (with a note)."""
    if c is not None:
        m.situation = f_dossiers.situation(m.cellule, f_dossiers.personne(c))
    seance = seance_passee(m.cellule, m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    from cellules.seances import droits

    droits.synchroniser_seance(seance, m.coord)
    response = _post(
        client_pour(m.coord),
        f"{URL}{seance.pk}/decisions/",
        {
            "situation": str(m.situation.pk),
            "type": "maintien_suivi",
            "note": "Suivi PRE.",
            "organisation": str(m.membre.organisation_id),
            "echeance": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["type"] == TypeDecision.MAINTIEN_SUIVI
    return seance


def test_D1_releve_logs_one_event_per_case_and_filters_categories(m: Monde) -> None:
    seance = _releve_pret(m)
    bailleur = membre(m.cellule, TypeOrganisation.BAILLEUR_SOCIAL)
    seance.convocations.create(membre=bailleur)
    from cellules.seances import droits

    droits.synchroniser_seance(seance, m.coord)
    pjj = client_pour(m.membre.utilisateur).get(f"{URL}{seance.pk}/releve/", **MOTIF)
    assert pjj.status_code == 200, pjj.content
    (decision,) = pjj.json()["decisions"]
    assert decision["note"] == "Suivi PRE." and decision["nom"]
    assert [(e.objet_id, e.action) for e in _evenements(pjj)] == [
        (str(m.situation.pk), ActionAcces.CONSULTATION)
    ]
    limite = client_pour(bailleur.utilisateur).get(f"{URL}{seance.pk}/releve/", **MOTIF)
    (decision,) = limite.json()["decisions"]
    assert "note" not in decision and decision["type"] == "maintien_suivi"
    # A reader of the cell without any grant on the case sees the meeting, not the decision.
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    assert client_pour(directeur).get(f"{URL}{seance.pk}/releve/", **MOTIF).status_code == 404
    # A member of the cell who is not convened does not even see the meeting.
    sans_acces = membre(m.cellule)
    vide = client_pour(sans_acces.utilisateur).get(f"{URL}{seance.pk}/releve/", **MOTIF)
    assert_erreur_json(vide, 404)
    assert not [e for e in _evenements(vide) if e.resultat == Resultat.AUTORISE]


def test_A10_B9_pdf_needs_step_up_then_is_watermarked_and_logged(m: Monde) -> None:
    c = canari()
    seance = _releve_pret(m, c)
    lecteur = m.membre.utilisateur
    client = client_pour(lecteur)
    chemin = f"{URL}{seance.pk}/releve/pdf/"
    refus = client.get(chemin, **MOTIF)
    assert_erreur_json(refus, 403, "verification_requise")
    assert [(e.resultat, e.raison) for e in _evenements(refus)] == [
        (Resultat.REFUSE, Raison.VERIFICATION_REQUISE)
    ]
    appareil = appareil_totp(lecteur)
    response = client.get(chemin, HTTP_X_OTP=code_totp(appareil), **MOTIF)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    contenu = response.content
    assert contenu.startswith(b"%PDF")
    pages = contenu.count(b"/Type /Page\n") or contenu.count(b"/Type /Page ")
    assert pages >= 1
    assert contenu.count(lecteur.username.encode()) >= 4 * pages
    assert c.marque[5:].encode() in contenu  # the identity is the point of this document
    assert [(e.objet_id, e.action) for e in _evenements(response)] == [
        (str(m.situation.pk), ActionAcces.PDF)
    ]


def test_pdf_holds_only_the_categories_of_the_readers_organisation(m: Monde) -> None:
    seance = _releve_pret(m)
    bailleur = membre(m.cellule, TypeOrganisation.BAILLEUR_SOCIAL)
    seance.convocations.create(membre=bailleur)
    from cellules.seances import droits

    droits.synchroniser_seance(seance, m.coord)
    lecteur = bailleur.utilisateur
    code = code_totp(appareil_totp(lecteur))
    response = client_pour(lecteur).get(f"{URL}{seance.pk}/releve/pdf/", HTTP_X_OTP=code, **MOTIF)
    assert response.status_code == 200
    assert b"Suivi PRE" not in response.content and b"Note :" not in response.content
    assert b"maintien du suivi" in response.content
    # The case is named by its point on the agenda, never by its id.
    assert str(m.situation.pk).encode() not in response.content


def test_G7_far_future_or_endless_meetings_are_400_not_500() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    client = client_pour(coord)
    for debut, fin in (
        ("9999-12-31T20:00:00Z", "9999-12-31T21:00:00Z"),
        ("2030-01-01T10:00:00Z", "2030-01-03T10:00:00Z"),
    ):
        response = client.post(
            "/api/v1/seances/",
            {"cellule": str(cellule.pk), "debut": debut, "fin": fin, "lieu": "salle_municipale"},
            format="json",
            HTTP_X_MOTIF="preparation_seance",
        )
        assert_erreur_json(response, 400, "donnees_invalides")


@pytest.mark.parametrize("statut", [StatutSituation.CLOTUREE])
def test_a_closed_case_cannot_be_put_on_the_agenda(statut: str) -> None:
    """Issue 11 (reproduction): a closed case was put on the agenda (201), then read by the
    members convened to it."""
    m = monde(statut=statut)
    client = client_pour(m.coord)
    seance = _post(client, URL, {"cellule": str(m.cellule.pk), **_creneau()}).json()
    avant = PointOrdreDuJour.objects.count()
    response = _post(
        client,
        f"{URL}{seance['id']}/ordre-du-jour/",
        {"situation": str(m.situation.pk), "motif": "point_d_etape"},
    )
    assert_erreur_json(response, 409, "situation_close")
    assert response.json()["champs"] == {
        "situation": [
            "Seule une situation en cours (signalée, inscrite ou suivie) peut être inscrite "
            "à l'ordre du jour."
        ]
    }
    assert PointOrdreDuJour.objects.count() == avant
    m.situation.refresh_from_db()
    assert m.situation.statut == statut
