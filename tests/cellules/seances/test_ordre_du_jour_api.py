"""Issue 11: a meeting's ETag follows its agenda, convocations and attendance; agenda points
can be removed and reordered (If-Match on the meeting, planned meetings only), and the grants
the agenda gave follow."""

from __future__ import annotations

import json
from typing import Any

import pytest

from acces.enums import Role
from cellules.dossiers.models import AccesSituation
from cellules.seances import droits, services
from cellules.seances.models import PointOrdreDuJour, Seance
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde, seance_passee
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def m() -> Monde:
    return monde()


def _seance(m: Monde) -> Seance:
    return services.seance_planifier(
        cellule=m.cellule, debut=dans(2), fin=dans(2, 16), acteur=m.coord
    )


def _chemin(seance: Seance, suite: str = "") -> str:
    return f"/api/v1/seances/{seance.pk}/{suite}"


def _etag(client: Any, seance: Seance) -> str:
    response = client.get(_chemin(seance), **MOTIF)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def _post(client: Any, chemin: str, corps: Any) -> Any:
    return client.post(chemin, json.dumps(corps), content_type="application/json", **MOTIF)


def _patch_lieu(client: Any, seance: Seance, etag: str) -> Any:
    return client.patch(
        _chemin(seance),
        json.dumps({"lieu": "mairie"}),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **MOTIF,
    )


@pytest.mark.parametrize("changement", ["ordre_du_jour", "convocation", "presence"])
def test_F1_meeting_etag_changes_with_agenda_convocations_and_attendance(
    m: Monde, changement: str
) -> None:
    seance = _seance(m)
    client = client_pour(m.coord)
    avant = _etag(client, seance)
    corps: dict[str, Any]
    if changement == "ordre_du_jour":
        corps = {"situation": str(m.situation.pk), "motif": "point_d_etape"}
        reponse = _post(client, _chemin(seance, "ordre-du-jour/"), corps)
        assert reponse.status_code == 201, reponse.content
    elif changement == "convocation":
        reponse = _post(client, _chemin(seance, "convocations/"), {"membres": [str(m.membre.pk)]})
        assert reponse.status_code == 201, reponse.content
    else:
        corps = {
            "organisation": str(m.membre.organisation_id),
            "present": False,
            "excusee": True,
        }
        reponse = _post(client, _chemin(seance, "presences/"), corps)
        assert reponse.status_code == 200, reponse.content
        assert reponse.json()["excusee"] is True
    apres = _etag(client, seance)
    assert apres != avant
    assert_erreur_json(_patch_lieu(client, seance, avant), 412, "version_perimee")
    assert _patch_lieu(client, seance, apres).status_code == 200


def test_the_same_attendance_twice_changes_nothing(m: Monde) -> None:
    seance = _seance(m)
    services.presence_enregistrer(
        seance=seance, organisation=m.membre.organisation, present=True, acteur=m.coord
    )
    version = Seance.objects.get(pk=seance.pk).version
    services.presence_enregistrer(
        seance=seance, organisation=m.membre.organisation, present=True, acteur=m.coord
    )
    assert Seance.objects.get(pk=seance.pk).version == version
    client = client_pour(m.coord)
    corps: dict[str, Any] = {
        "organisation": str(m.membre.organisation_id),
        "present": True,
        "excusee": True,
    }
    reponse = _post(client, _chemin(seance, "presences/"), corps)
    assert assert_erreur_json(reponse, 400)["champs"] == {
        "excusee": ["Une institution présente n'est pas excusée."]
    }


def _trois_points(m: Monde, seance: Seance) -> list[Any]:
    situations = [m.situation, f_dossiers.situation(m.cellule), f_dossiers.situation(m.cellule)]
    for situation in situations:
        services.ordre_du_jour_ajouter(
            seance=seance, situation=situation, motif="point_d_etape", acteur=m.coord
        )
    return situations


def _ordre(seance: Seance) -> list[str]:
    return [str(p.situation_id) for p in PointOrdreDuJour.objects.filter(seance=seance)]


def test_agenda_is_reordered_with_if_match(m: Monde) -> None:
    seance = _seance(m)
    a, b, c = _trois_points(m, seance)
    client = client_pour(m.coord)
    chemin = _chemin(seance, "ordre-du-jour/")
    corps = json.dumps({"situations": [str(c.pk), str(a.pk), str(b.pk)]})
    sans = client.put(chemin, corps, content_type="application/json", **MOTIF)
    assert_erreur_json(sans, 428)
    etag = _etag(client, seance)
    reponse = client.put(
        chemin, corps, content_type="application/json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert reponse.status_code == 200, reponse.content
    assert [(p["situation"], p["rang"]) for p in reponse.json()["ordre_du_jour"]] == [
        (str(c.pk), 1),
        (str(a.pk), 2),
        (str(b.pk), 3),
    ]
    assert reponse["ETag"] != etag
    # The old tag is stale now.
    perime = client.put(chemin, corps, content_type="application/json", HTTP_IF_MATCH=etag, **MOTIF)
    assert_erreur_json(perime, 412, "version_perimee")
    # Every case of the agenda, once: nothing else.
    incomplet = json.dumps({"situations": [str(c.pk), str(a.pk)]})
    refus = client.put(
        chemin, incomplet, content_type="application/json", HTTP_IF_MATCH=reponse["ETag"], **MOTIF
    )
    assert "situations" in assert_erreur_json(refus, 400, "donnees_invalides")["champs"]
    assert _ordre(seance) == [str(c.pk), str(a.pk), str(b.pk)]


def test_B10_a_removed_case_is_no_longer_read_through_the_meeting(m: Monde) -> None:
    seance = _seance(m)
    a, b, c = _trois_points(m, seance)
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    lecteur = client_pour(m.membre.utilisateur)
    assert lecteur.get(f"/api/v1/situations/{a.pk}/", **MOTIF).status_code == 200
    client = client_pour(m.coord)
    chemin = _chemin(seance, f"ordre-du-jour/{a.pk}/")
    assert_erreur_json(client.delete(chemin, **MOTIF), 428)
    etag = _etag(client, seance)
    reponse = client.delete(chemin, HTTP_IF_MATCH=etag, **MOTIF)
    assert reponse.status_code == 200, reponse.content
    assert [(p["situation"], p["rang"]) for p in reponse.json()["ordre_du_jour"]] == [
        (str(b.pk), 1),
        (str(c.pk), 2),
    ]
    assert_erreur_json(lecteur.get(f"/api/v1/situations/{a.pk}/", **MOTIF), 404)
    assert lecteur.get(f"/api/v1/situations/{b.pk}/", **MOTIF).status_code == 200
    assert not AccesSituation.objects.filter(user=m.membre.utilisateur, content_object=a).exists()
    # Removed already: the 404 of a missing point.
    encore = client.delete(chemin, HTTP_IF_MATCH=reponse["ETag"], **MOTIF)
    assert_erreur_json(encore, 404)


def test_a_grant_from_another_meeting_survives_the_removal(m: Monde) -> None:
    seance, autre = (
        _seance(m),
        services.seance_planifier(
            cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
        ),
    )
    for s in (seance, autre):
        services.ordre_du_jour_ajouter(
            seance=s, situation=m.situation, motif="point_d_etape", acteur=m.coord
        )
        services.convocations_envoyer(seance=s, membres=[m.membre], acteur=m.coord)
    courante = Seance.objects.get(pk=autre.pk)
    services.ordre_du_jour_retirer(
        seance=courante, situation_id=m.situation.pk, version=courante.version, acteur=m.coord
    )
    acces = AccesSituation.objects.get(user=m.membre.utilisateur, content_object=m.situation)
    assert acces.seance_id == seance.pk
    lecture = client_pour(m.membre.utilisateur).get(
        f"/api/v1/situations/{m.situation.pk}/", **MOTIF
    )
    assert lecture.status_code == 200


def test_only_the_coordinator_and_only_before_the_meeting_is_held(m: Monde) -> None:
    seance = _seance(m)
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="point_d_etape", acteur=m.coord
    )
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    etag = _etag(client_pour(m.coord), seance)
    chemin = _chemin(seance, f"ordre-du-jour/{m.situation.pk}/")
    # A convened member reads the meeting but may not change it; another cell's coordinator
    # gets the 404 of a missing meeting.
    membre = client_pour(m.membre.utilisateur)
    assert_erreur_json(membre.delete(chemin, HTTP_IF_MATCH=etag, **MOTIF), 403)
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    f_composition.cellule("21231", coordonnateurs=(autre,))
    assert_erreur_json(client_pour(autre).delete(chemin, HTTP_IF_MATCH=etag, **MOTIF), 404)
    # A held meeting keeps its agenda.
    tenue = seance_passee(m.cellule, m.coord)
    tenue.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    tenue.statut = "tenue"
    tenue.save()
    droits.synchroniser_seance(tenue, m.coord)
    client = client_pour(m.coord)
    refus = client.delete(
        _chemin(tenue, f"ordre-du-jour/{m.situation.pk}/"),
        HTTP_IF_MATCH=_etag(client, tenue),
        **MOTIF,
    )
    assert_erreur_json(refus, 409, "seance_non_planifiee")
    assert PointOrdreDuJour.objects.filter(seance__in=[seance, tenue]).count() == 2


def test_a_case_taken_off_its_only_agenda_is_signalee_again(m: Monde) -> None:
    seance, autre = (
        _seance(m),
        services.seance_planifier(
            cellule=m.cellule, debut=dans(3), fin=dans(3, 16), acteur=m.coord
        ),
    )
    nouvelle = f_dossiers.situation(m.cellule)
    assert nouvelle.statut == "signalee"
    for s in (seance, autre):
        services.ordre_du_jour_ajouter(
            seance=s, situation=nouvelle, motif="point_d_etape", acteur=m.coord
        )
    nouvelle.refresh_from_db()
    assert nouvelle.statut == "inscrite_ordre_du_jour"
    for s in (seance, autre):
        courante = Seance.objects.get(pk=s.pk)
        services.ordre_du_jour_retirer(
            seance=courante, situation_id=nouvelle.pk, version=courante.version, acteur=m.coord
        )
        nouvelle.refresh_from_db()
        # Still on the other agenda after the first removal; signalée after the last one.
        attendu = "inscrite_ordre_du_jour" if s is seance else "signalee"
        assert nouvelle.statut == attendu
    # A followed case keeps its status when it leaves an agenda.
    suivie = f_dossiers.situation(m.cellule, statut="suivie")
    services.ordre_du_jour_ajouter(
        seance=seance, situation=suivie, motif="point_d_etape", acteur=m.coord
    )
    courante = Seance.objects.get(pk=seance.pk)
    services.ordre_du_jour_retirer(
        seance=courante, situation_id=suivie.pk, version=courante.version, acteur=m.coord
    )
    suivie.refresh_from_db()
    assert suivie.statut == "suivie"
