"""Archived cases: read by the coordonnateur of the cell and the délégué of the ressort only,
with a purpose and a recent second factor, every record access-logged; purged cases by nobody."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from acces.enums import Role
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from cellules.composition.models import Cellule
from cellules.dossiers import services
from cellules.dossiers.enums import MotifCloture, StatutSituation
from cellules.dossiers.models import Situation
from tests.acces.factories import entete_otp
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour as _client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/situations-archivees/"
MOTIF = {"HTTP_X_MOTIF": "demande_droits"}
LIGNE = {
    "id",
    "cellule",
    "commune",
    "statut",
    "signalee_le",
    "cloturee_le",
    "archivee_le",
    "motif_cloture",
}


def _archivee(cell: Cellule, **champs: Any) -> Situation:
    return f.situation(
        cell,
        statut=StatutSituation.ARCHIVEE,
        cloturee_le=dt.date(2025, 1, 10),
        motif_cloture=MotifCloture.OBJECTIFS_ATTEINTS,
        archivee_le=dt.date(2025, 4, 10),
        **champs,
    )


def _otp(user: Any) -> dict[str, str]:
    return entete_otp(user)


def client_pour(user: Any) -> Any:
    return _client_pour(user)


def _evenements(response: Any) -> list[EvenementAcces]:
    return list(EvenementAcces.objects.filter(request_id=response["X-Request-ID"]))


def _sans_request_id(response: Any) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(response.content)
    corps.pop("request_id")
    return corps


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f_composition.cellule("21231", coordonnateurs=(coord,))


@pytest.fixture
def monde(cell: Cellule) -> dict[str, Situation]:
    """Archived, active and purged cases of the cell; archived cases elsewhere."""
    return {
        "archivee": _archivee(cell),
        "active": f.situation(cell),
        "purgee": f.situation(cell, statut=StatutSituation.PURGEE),
        # Same ressort, another cell (not coordinated by ``coord``).
        "voisine": _archivee(f_composition.cellule("21166")),
        # Another ressort.
        "lointaine": _archivee(f_composition.cellule("21166", ressort="TJ Chalon")),
    }


def test_coordinator_lists_the_archived_cases_of_his_cells_only(
    coord: Any, monde: dict[str, Situation]
) -> None:
    response = client_pour(coord).get(URL, **MOTIF, **_otp(coord))
    assert response.status_code == 200, response.content
    corps = response.json()
    assert corps["count"] == 1
    (ligne,) = corps["results"]
    archivee = monde["archivee"]
    assert set(ligne) == LIGNE
    assert ligne == {
        "id": str(archivee.pk),
        "cellule": str(archivee.cellule_id),
        "commune": "21231",
        "statut": "archivee",
        "signalee_le": archivee.signalee_le.isoformat(),
        "cloturee_le": "2025-01-10",
        "archivee_le": "2025-04-10",
        "motif_cloture": "objectifs_atteints",
    }
    evenements = _evenements(response)
    assert [(e.objet_id, e.action, e.motif, e.resultat) for e in evenements] == [
        (str(archivee.pk), ActionAcces.LISTE, "demande_droits", Resultat.AUTORISE)
    ]


def test_delegue_lists_the_archived_cases_of_his_ressort(monde: dict[str, Situation]) -> None:
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)  # ressort "tj-dijon"
    client = client_pour(delegue)
    response = client.get(f"{URL}?taille=1", **MOTIF, **_otp(delegue))
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2
    ids = [r["id"] for r in response.json()["results"]]
    suite = client.get(f"{URL}?taille=1&page=2", **MOTIF, **_otp(delegue))
    ids += [r["id"] for r in suite.json()["results"]]
    assert sorted(ids) == sorted(str(monde[n].pk) for n in ("archivee", "voisine"))
    for page in (response, suite):
        assert [e.objet_id for e in _evenements(page)] == [r["id"] for r in page.json()["results"]]


def test_detail_gives_the_identity_and_logs_one_consultation(coord: Any, cell: Cellule) -> None:
    c = canari()
    archivee = _archivee(cell, pers=f.personne(c), observation="suivi terminé")
    response = client_pour(coord).get(f"{URL}{archivee.pk}/", **MOTIF, **_otp(coord))
    assert response.status_code == 200, response.content
    corps = response.json()
    assert (corps["nom"], corps["prenom"]) == (c.nom, c.prenom)
    assert corps["date_naissance"] == c.date_naissance.isoformat()
    assert (corps["statut"], corps["archivee_le"]) == ("archivee", "2025-04-10")
    assert corps["observation"] == "suivi terminé"
    (evenement,) = _evenements(response)
    assert (evenement.objet_id, evenement.action, evenement.type_objet) == (
        str(archivee.pk),
        ActionAcces.CONSULTATION,
        "cellules.situation",
    )
    assert scanner(repr(list(EvenementAcces.objects.values_list())), [c]) == []


def test_delegue_reads_an_archived_case_of_his_ressort(monde: dict[str, Situation]) -> None:
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    client = client_pour(delegue)
    response = client.get(f"{URL}{monde['voisine'].pk}/", **MOTIF, **_otp(delegue))
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(monde["voisine"].pk)
    lointaine = client.get(f"{URL}{monde['lointaine'].pk}/", **MOTIF, **_otp(delegue))
    assert_erreur_json(lointaine, 404, "introuvable")


def test_B2_out_of_scope_active_purged_and_missing_answer_the_same_404(
    coord: Any, monde: dict[str, Situation]
) -> None:
    client = client_pour(coord)
    cibles = [
        monde["voisine"].pk,
        monde["lointaine"].pk,
        monde["active"].pk,
        monde["purgee"].pk,
        uuid.uuid4(),
    ]
    reponses = [client.get(f"{URL}{pk}/", **MOTIF, **_otp(coord)) for pk in cibles]
    for pk, response in zip(cibles, reponses, strict=True):
        assert_erreur_json(response, 404, "introuvable")
        assert [(e.raison, e.objet_id) for e in _evenements(response)] == [
            (Raison.HORS_PERIMETRE, str(pk))
        ]
    assert all(_sans_request_id(r) == _sans_request_id(reponses[0]) for r in reponses)


def test_E2_a_purged_case_stays_unreadable_for_everyone(cell: Cellule, coord: Any) -> None:
    purgee = f.situation(cell, statut=StatutSituation.PURGEE)
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    for user in (coord, delegue):
        client = client_pour(user)
        assert_erreur_json(client.get(f"{URL}{purgee.pk}/", **MOTIF, **_otp(user)), 404)
        liste = client.get(URL, **MOTIF, **_otp(user))
        assert liste.json()["count"] == 0
        assert_erreur_json(client.get(f"/api/v1/situations/{purgee.pk}/", **MOTIF), 404)


def test_A10_step_up_is_required_and_the_refusal_logged(coord: Any, cell: Cellule) -> None:
    archivee = _archivee(cell)
    client = client_pour(coord)
    for chemin, objet in ((URL, ""), (f"{URL}{archivee.pk}/", str(archivee.pk))):
        for entetes in ({}, {"HTTP_X_OTP": "000000"}, {"HTTP_X_OTP": "abc"}):
            response = client.get(chemin, **MOTIF, **entetes)
            assert_erreur_json(response, 403, "verification_requise")
            assert [(e.resultat, e.raison, e.objet_id) for e in _evenements(response)] == [
                (Resultat.REFUSE, Raison.VERIFICATION_REQUISE, objet)
            ]
    # A code is used once: the same code again is refused.
    entetes = _otp(coord)
    assert client.get(URL, **MOTIF, **entetes).status_code == 200
    assert_erreur_json(client.get(URL, **MOTIF, **entetes), 403, "verification_requise")


def test_D2_motif_is_required_and_the_refusal_logged(coord: Any, cell: Cellule) -> None:
    archivee = _archivee(cell)
    client = client_pour(coord)
    for chemin in (URL, f"{URL}{archivee.pk}/"):
        for entetes in ({}, {"HTTP_X_MOTIF": "curiosite"}):
            response = client.get(chemin, **entetes, **_otp(coord))
            assert_erreur_json(response, 400, "motif_requis")
            assert [(e.resultat, e.raison) for e in _evenements(response)] == [
                (Resultat.REFUSE, Raison.MOTIF_REQUIS)
            ]


@pytest.mark.parametrize(
    ("role", "liste", "detail"),
    [
        (Role.MEMBRE_CELLULE, 403, 404),
        (Role.DIRECTEUR_TRANQUILLITE, 403, 404),
        (Role.REFERENT_ACCUEIL, 403, 404),
        (Role.AUDITEUR, 403, 403),
        (Role.ADMIN_TECHNIQUE, 403, 403),
    ],
)
def test_B_other_roles_never_read_archives(
    cell: Cellule, coord: Any, role: str, liste: int, detail: int
) -> None:
    archivee = _archivee(cell)
    user = f_composition.agent(role, communes=("21231",))
    client = client_pour(user)
    reponse_liste = client.get(URL, **MOTIF, **_otp(user))
    assert_erreur_json(reponse_liste, liste)
    reponse_detail = client.get(f"{URL}{archivee.pk}/", **MOTIF, **_otp(user))
    assert_erreur_json(reponse_detail, detail)
    for response in (reponse_liste, reponse_detail):
        assert not [e for e in _evenements(response) if e.resultat == Resultat.AUTORISE]


def test_B_an_explicit_grant_does_not_reach_an_archived_case(cell: Cellule, coord: Any) -> None:
    situation = f.situation(cell)
    membre = f_composition.agent(Role.MEMBRE_CELLULE, communes=("21231",))
    services.acces_accorder(situation=situation, utilisateur=membre, jusqu_au=None, acteur=coord)
    Situation.objects.filter(pk=situation.pk).update(statut=StatutSituation.ARCHIVEE)
    client = client_pour(membre)
    assert_erreur_json(client.get(f"{URL}{situation.pk}/", **MOTIF, **_otp(membre)), 404)
    assert_erreur_json(client.get(f"/api/v1/situations/{situation.pk}/", **MOTIF), 404)


def test_archived_case_leaves_the_normal_routes_for_the_archive(coord: Any, cell: Cellule) -> None:
    """Closed then archived through the API: gone from /situations/, readable in the archive."""
    situation = f.situation(cell)
    client = client_pour(coord)
    chemin = f"/api/v1/situations/{situation.pk}/transitions/"
    cloture = client.post(
        chemin,
        {"transition": "cloturer", "motif_cloture": "demenagement"},
        format="json",
        HTTP_IF_MATCH=f'"{situation.pk}.1"',
        **MOTIF,
    )
    assert cloture.status_code == 200, cloture.content
    archive = client.post(
        chemin, {"transition": "archiver"}, format="json", HTTP_IF_MATCH=cloture["ETag"], **MOTIF
    )
    assert archive.json()["statut"] == "archivee"
    normale = client.get("/api/v1/situations/", **MOTIF)
    assert normale.json()["count"] == 0
    assert_erreur_json(client.get(f"/api/v1/situations/{situation.pk}/", **MOTIF), 404)
    lue = client.get(f"{URL}{situation.pk}/", **MOTIF, **_otp(coord))
    assert lue.status_code == 200, lue.content
    assert (lue.json()["statut"], lue.json()["motif_cloture"]) == ("archivee", "demenagement")
    # Read-only: no write method on the archive.
    assert_erreur_json(client.patch(f"{URL}{situation.pk}/", {}, format="json", **MOTIF), 405)


def test_schema_documents_the_archive_routes() -> None:
    from drf_spectacular.generators import SchemaGenerator

    generateur = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generateur.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    liste = schema["paths"]["/api/v1/situations-archivees/"]["get"]
    detail = schema["paths"]["/api/v1/situations-archivees/{id}/"]["get"]
    assert {p["name"] for p in liste["parameters"]} >= {"X-Motif", "page", "taille"}
    assert "X-Motif" in {p["name"] for p in detail["parameters"]}
    ligne = schema["components"]["schemas"]["SituationArchiveeLigne"]["properties"]
    assert set(ligne) == LIGNE
    assert {"nom", "prenom", "archivee_le"} <= set(
        schema["components"]["schemas"]["SituationArchivee"]["properties"]
    )
