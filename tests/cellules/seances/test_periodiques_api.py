"""API of meeting series (``seances/periodiques/``) and of the carry-over of unfinished
orientations to a meeting's agenda (``seances/{id}/reports/``)."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from audit.enums import Resultat
from audit.models import EvenementAcces
from cellules.dossiers.enums import StatutSituation
from cellules.orientations.enums import MotifReport, StatutOrientation
from cellules.seances import services
from cellules.seances.enums import MotifInscription, StatutSeance
from cellules.seances.models import PointOrdreDuJour, Seance
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.seances.factories import Monde, dans, monde
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fenetre_large(settings: Any) -> None:
    """These tests are about grant rows and their origin: the read window opens well before
    their meetings (its lower bound is tested in test_fenetre_lecture, issue 9 item 7)."""
    settings.CELLULES_ACCES_AVANT_SEANCE_JOURS = 400


MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
SERIE = "/api/v1/seances/periodiques/"


@pytest.fixture
def m() -> Monde:
    return monde(statut=StatutSituation.SUIVIE)


def _post(client: Any, chemin: str, corps: Any = None, **extra: Any) -> Any:
    donnees = "" if corps is None else json.dumps(corps)
    return client.post(chemin, donnees, content_type="application/json", **MOTIF, **extra)


def _serie(m: Monde, **champs: Any) -> dict[str, Any]:
    corps: dict[str, Any] = {
        "cellule": str(m.cellule.pk),
        "debut": dans(7).isoformat(),
        "periodicite": "trimestrielle",
        "nombre": 4,
        "lieu": "mairie",
    }
    corps.update(champs)
    return corps


# --- series ------------------------------------------------------------------------------------


def test_coordinator_creates_a_quarterly_series_with_the_same_local_hour(m: Monde) -> None:
    response = _post(client_pour(m.coord), SERIE, _serie(m, duree_minutes=90))
    assert response.status_code == 201, response.content
    seances = response.json()["seances"]
    assert len(seances) == 4 == Seance.objects.filter(cellule=m.cellule).count()
    debuts = [dt.datetime.fromisoformat(x["debut"]) for x in seances]
    fins = [dt.datetime.fromisoformat(x["fin"]) for x in seances]
    assert [timezone.localtime(d).hour for d in debuts] == [14] * 4
    assert {f - d for d, f in zip(debuts, fins, strict=True)} == {dt.timedelta(minutes=90)}
    assert debuts == sorted(debuts)
    mois = [timezone.localtime(d).month for d in debuts]
    assert [(b - a) % 12 for a, b in pairwise(mois)] == [3, 3, 3]
    assert {(x["statut"], x["lieu"], x["cellule"]) for x in seances} == {
        ("planifiee", "mairie", str(m.cellule.pk))
    }


def test_end_of_the_first_meeting_sets_the_duration_and_two_hours_is_the_default(
    m: Monde,
) -> None:
    client = client_pour(m.coord)
    debut = dans(3)
    corps = _serie(m, debut=debut.isoformat(), periodicite="mensuelle", nombre=2)
    corps["fin"] = (debut + dt.timedelta(minutes=45)).isoformat()
    (premiere, _) = _post(client, SERIE, corps).json()["seances"]
    assert dt.datetime.fromisoformat(premiere["fin"]) - debut == dt.timedelta(minutes=45)
    defaut = _post(client, SERIE, _serie(m, debut=dans(100).isoformat(), nombre=1))
    (seance,) = defaut.json()["seances"]
    duree = dt.datetime.fromisoformat(seance["fin"]) - dt.datetime.fromisoformat(seance["debut"])
    assert duree == dt.timedelta(hours=2)


def test_one_conflict_refuses_the_whole_series_and_lists_the_dates(m: Monde) -> None:
    client = client_pour(m.coord)
    premiere = dans(7)
    dates = services.dates_periodiques(premiere, "mensuelle", 5)
    occupees = [dates[1], dates[3]]
    for debut in occupees:
        services.seance_planifier(
            cellule=m.cellule,
            debut=debut + dt.timedelta(minutes=30),
            fin=debut + dt.timedelta(hours=1),
            acteur=m.coord,
        )
    corps = _serie(m, debut=premiere.isoformat(), periodicite="mensuelle", nombre=5)
    body = assert_erreur_json(_post(client, SERIE, corps), 409, "conflit_seance")
    assert [dt.datetime.fromisoformat(x) for x in body["champs"]["debut"]] == occupees
    assert Seance.objects.filter(cellule=m.cellule).count() == 2
    # A cancelled meeting frees its slot: no conflict any more.
    for seance in Seance.objects.filter(cellule=m.cellule):
        services.seance_annuler(seance=seance, acteur=m.coord)
    assert _post(client, SERIE, corps).status_code == 201


def test_idempotency_key_replays_the_same_series(m: Monde) -> None:
    client = client_pour(m.coord)
    corps = _serie(m, periodicite="semestrielle", nombre=3)
    premiere = _post(client, SERIE, corps, HTTP_IDEMPOTENCY_KEY="serie-1")
    rejeu = _post(client, SERIE, corps, HTTP_IDEMPOTENCY_KEY="serie-1")
    assert (premiere.status_code, rejeu.status_code) == (201, 201)
    assert rejeu["Idempotent-Replayed"] == "true"
    ids = [x["id"] for x in premiere.json()["seances"]]
    assert [x["id"] for x in rejeu.json()["seances"]] == ids and len(set(ids)) == 3
    assert Seance.objects.filter(cellule=m.cellule).count() == 3
    autre = _post(client, SERIE, {**corps, "nombre": 2}, HTTP_IDEMPOTENCY_KEY="serie-1")
    assert_erreur_json(autre, 422, "cle_idempotence_reutilisee")


@pytest.mark.parametrize(
    ("champs", "champ"),
    [
        ({"nombre": 13}, "nombre"),
        ({"nombre": 0}, "nombre"),
        ({"periodicite": "annuelle"}, "periodicite"),
        ({"duree_minutes": 0}, "duree_minutes"),
        ({"duree_minutes": 24 * 60 + 1}, "duree_minutes"),
        ({"duree_minutes": 60, "fin": "2031-01-01T10:00:00+01:00"}, "duree_minutes"),
        ({"debut": "2020-01-01T10:00:00+01:00"}, "debut"),
        ({"debut": "9999-12-31T23:00:00+00:00"}, "debut"),
        ({"statut": "tenue"}, "statut"),
    ],
)
def test_bad_series_are_400_and_create_nothing(
    m: Monde, champs: dict[str, Any], champ: str
) -> None:
    body = assert_erreur_json(
        _post(client_pour(m.coord), SERIE, _serie(m, **champs)), 400, "donnees_invalides"
    )
    assert champ in body["champs"]
    assert not Seance.objects.exists()


@pytest.mark.parametrize(
    "corps",
    [
        "[]",
        '"texte"',
        '{"nombre": NaN}',
        '{"nombre": 1e309}',
        '{"nombre": "quatre"}',
        '{"nombre": true}',
        '{"debut": "2027-02-30T10:00:00+01:00"}',
        '{"debut": "0001-01-01T00:00:00+05:00"}',
        '{"cellule": "pas-un-uuid"}',
        '{"lieu": "salle\\u0000 2"}',
        '{"lieu": "salle\\ud800"}',
        '{"lieu": "salle\\u0007"}',
        '{"periodicite": ["mensuelle"]}',
        '{"duree_minutes": 1.5}',
    ],
)
def test_G_malformed_series_bodies_get_a_json_4xx_and_change_nothing(m: Monde, corps: str) -> None:
    base = _serie(m)
    texte = corps
    if corps.startswith("{"):
        # Merge the faulty member into a body that is valid otherwise.
        faute = corps[1:-1]
        cle = faute.split(":", 1)[0].strip().strip('"')
        reste = {k: v for k, v in base.items() if k != cle}
        texte = json.dumps(reste)[:-1] + ", " + faute + "}"
    response = client_pour(m.coord).post(SERIE, texte, content_type="application/json", **MOTIF)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:200])
    assert set(response.json()) == {"code", "message", "champs", "request_id"}
    assert not Seance.objects.exists()


def test_fin_before_debut_is_refused(m: Monde) -> None:
    debut = dans(5)
    corps = _serie(m, debut=debut.isoformat(), fin=(debut - dt.timedelta(hours=1)).isoformat())
    body = assert_erreur_json(_post(client_pour(m.coord), SERIE, corps), 400)
    assert "fin" in body["champs"]
    assert not Seance.objects.exists()


def test_series_beyond_the_horizon_is_refused_whole(m: Monde) -> None:
    corps = _serie(m, debut=dans(300).isoformat(), periodicite="semestrielle", nombre=6)
    assert_erreur_json(_post(client_pour(m.coord), SERIE, corps), 400, "donnees_invalides")
    assert not Seance.objects.exists()


def test_only_coordinators_of_the_cell_create_a_series(m: Monde) -> None:
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    assert_erreur_json(_post(client_pour(autre), SERIE, _serie(m)), 400, "donnees_invalides")
    assert_erreur_json(_post(client_pour(m.membre.utilisateur), SERIE, _serie(m)), 403)
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    assert_erreur_json(_post(client_pour(delegue), SERIE, _serie(m)), 403)
    assert not Seance.objects.exists()


# --- carry-over of unfinished orientations -----------------------------------------------------


def _seance(m: Monde) -> Seance:
    debut = dans(10)
    return services.seance_planifier(
        cellule=m.cellule, debut=debut, fin=debut + dt.timedelta(hours=2), acteur=m.coord
    )


def _orientations(m: Monde) -> dict[str, Any]:
    en_retard = f_dossiers.situation(m.cellule, statut=StatutSituation.SUIVIE)
    fini = f_dossiers.situation(m.cellule, statut=StatutSituation.SUIVIE)
    en_cours = f_orientations.orientation(m.situation, statut=StatutOrientation.EN_COURS)
    retard = f_orientations.orientation(
        en_retard, echeance=timezone.localdate() - dt.timedelta(days=2)
    )
    non_commencee = f_orientations.orientation(en_retard)
    f_orientations.orientation(fini, statut=StatutOrientation.REALISEE)
    return {
        "en_cours": en_cours,
        "retard": retard,
        "non_commencee": non_commencee,
        "en_retard": en_retard,
    }


def test_reports_list_the_unfinished_orientations_with_reasons_and_no_identity(m: Monde) -> None:
    seance = _seance(m)
    d = _orientations(m)
    response = client_pour(m.coord).get(f"/api/v1/seances/{seance.pk}/reports/", **MOTIF)
    assert response.status_code == 200, response.content
    corps = response.json()
    assert corps["seance"] == str(seance.pk)
    lignes = {x["orientation"]: x for x in corps["reports"]}
    assert set(lignes) == {str(d["en_cours"].pk), str(d["retard"].pk), str(d["non_commencee"].pk)}
    assert lignes[str(d["retard"].pk)] == {
        "orientation": str(d["retard"].pk),
        "decision": None,
        "situation": str(d["en_retard"].pk),
        "echeance": d["retard"].echeance.isoformat(),
        "motif": MotifReport.ECHEANCE_DEPASSEE,
        "motif_inscription": MotifInscription.ECHEANCE_DEPASSEE,
        "deja_inscrite": False,
    }
    en_cours = lignes[str(d["en_cours"].pk)]
    assert (en_cours["motif"], en_cours["motif_inscription"]) == (
        MotifReport.EN_COURS,
        MotifInscription.ORIENTATION_NON_TERMINEE,
    )
    # The case of the overdue orientation goes on the agenda as overdue, once.
    non_commencee = lignes[str(d["non_commencee"].pk)]
    assert (non_commencee["motif"], non_commencee["motif_inscription"]) == (
        MotifReport.NON_COMMENCEE,
        MotifInscription.ECHEANCE_DEPASSEE,
    )
    assert not {"nom", "prenom", "date_naissance"} & set().union(*lignes.values())
    # Like the agenda: a personal-data route (motif required) without identity, so no read event.
    assert not EvenementAcces.objects.filter(
        request_id=response["X-Request-ID"], resultat=Resultat.AUTORISE
    ).exists()
    assert not PointOrdreDuJour.objects.exists()  # listing changes nothing


def test_carry_over_adds_each_case_once_and_twice_adds_nothing(m: Monde) -> None:
    seance = _seance(m)
    d = _orientations(m)
    client = client_pour(m.coord)
    chemin = f"/api/v1/seances/{seance.pk}/reports/"
    response = _post(client, chemin)
    assert response.status_code == 200, response.content
    corps = response.json()
    ajoutes = {x["situation"]: x["motif"] for x in corps["ajoutes"]}
    assert ajoutes == {
        str(m.situation.pk): MotifInscription.ORIENTATION_NON_TERMINEE,
        str(d["en_retard"].pk): MotifInscription.ECHEANCE_DEPASSEE,
    }
    assert {x["situation"] for x in corps["seance"]["ordre_du_jour"]} == set(ajoutes)
    assert response["ETag"] == f'"{seance.pk}.{corps["seance"]["version"]}"'
    second = _post(client, chemin)
    assert (second.status_code, second.json()["ajoutes"]) == (200, [])
    assert PointOrdreDuJour.objects.filter(seance=seance).count() == 2
    liste = client.get(chemin, **MOTIF).json()["reports"]
    assert {x["deja_inscrite"] for x in liste} == {True}


def test_carry_over_grants_convened_members_the_new_cases(m: Monde) -> None:
    seance = _seance(m)
    d = _orientations(m)
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    assert _post(client_pour(m.coord), f"/api/v1/seances/{seance.pk}/reports/").status_code == 200
    lecteur = client_pour(m.membre.utilisateur)
    for situation in (m.situation, d["en_retard"]):
        response = lecteur.get(f"/api/v1/situations/{situation.pk}/", **MOTIF)
        assert response.status_code == 200, response.content


def test_carry_over_needs_a_planned_meeting(m: Monde) -> None:
    seance = _seance(m)
    _orientations(m)
    services.seance_annuler(seance=seance, acteur=m.coord)
    client = client_pour(m.coord)
    chemin = f"/api/v1/seances/{seance.pk}/reports/"
    assert_erreur_json(_post(client, chemin), 409, "seance_non_planifiee")
    assert not PointOrdreDuJour.objects.exists()
    # Even with nothing left to carry.
    Seance.objects.filter(pk=seance.pk).update(statut=StatutSeance.TENUE)
    PointOrdreDuJour.objects.all().delete()
    assert_erreur_json(_post(client, chemin), 409, "seance_non_planifiee")


def test_reports_are_for_the_coordinators_of_the_cell_only(m: Monde) -> None:
    seance = _seance(m)
    _orientations(m)
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    chemin = f"/api/v1/seances/{seance.pk}/reports/"
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    for intrus, code in (
        (autre, 404),
        (m.membre.utilisateur, 403),
        (f_composition.agent(Role.DELEGUE_PROCUREUR), 403),
    ):
        assert_erreur_json(client_pour(intrus).get(chemin, **MOTIF), code)
        assert_erreur_json(_post(client_pour(intrus), chemin), code)
    assert not PointOrdreDuJour.objects.exists()
