"""F1/F8 on cells: ETag and If-Match on PATCH, versions bumped by member changes,
``Idempotency-Key`` on the creation of cells and of members."""

from __future__ import annotations

from typing import Any

import pytest

from acces.enums import Role
from cellules.composition.models import Cellule, MembreCellule
from socle.models import ReponseIdempotente
from tests.cellules.composition import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/cellules/"
# Tables a refused request writes to on purpose: the token's last use (and the access log).
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


def _creation(**champs: Any) -> dict[str, Any]:
    return {
        "nom": "Cellule Chenôve",
        "type": "suivi_personnalise",
        "commune": "21166",
        **champs,
    }


def _lire_tag(client: Any, cell: Cellule) -> str:
    response = client.get(f"{URL}{cell.pk}/")
    assert response.status_code == 200, response.content
    tag: str = response["ETag"]
    assert tag == f'"{cell.pk}.{response.json()["version"]}"'
    return tag


def test_F1_get_returns_an_etag_of_the_version(coord: Any, cell: Cellule) -> None:
    assert _lire_tag(client_pour(coord), cell) == f'"{cell.pk}.1"'
    Cellule.objects.filter(pk=cell.pk).update(version=7)
    assert _lire_tag(client_pour(coord), cell) == f'"{cell.pk}.7"'


def test_F1_lost_update_is_refused(coord: Any, cell: Cellule) -> None:
    autre = f.agent(Role.COORDONNATEUR, communes=("21166",))
    cell.coordonnateurs.add(autre)
    premier, second = client_pour(coord), client_pour(autre)
    tag_premier, tag_second = _lire_tag(premier, cell), _lire_tag(second, cell)
    assert tag_premier == tag_second
    chemin = f"{URL}{cell.pk}/"
    ok = premier.patch(chemin, {"nom": "Nom du premier"}, format="json", HTTP_IF_MATCH=tag_premier)
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == f'"{cell.pk}.2"'
    perdu = second.patch(chemin, {"nom": "Nom du second"}, format="json", HTTP_IF_MATCH=tag_second)
    assert_erreur_json(perdu, 412, "version_perimee")
    cell.refresh_from_db()
    assert (cell.nom, cell.version) == ("Nom du premier", 2)
    # With the tag read after the first write, the second writer succeeds.
    relu = second.patch(chemin, {"nom": "Nom du second"}, format="json", HTTP_IF_MATCH=ok["ETag"])
    assert relu.status_code == 200 and relu["ETag"] == f'"{cell.pk}.3"'


def test_F1_missing_wildcard_or_foreign_if_match(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    chemin = f"{URL}{cell.pk}/"
    autre = f.cellule("21166", coordonnateurs=(coord,))
    assert_erreur_json(
        client.patch(chemin, {"nom": "x"}, format="json"), 428, "precondition_requise"
    )
    assert_erreur_json(
        client.patch(chemin, {"nom": "x"}, format="json", HTTP_IF_MATCH="*"),
        428,
        "precondition_requise",
    )
    # A tag read on another cell never matches.
    assert_erreur_json(
        client.patch(chemin, {"nom": "x"}, format="json", HTTP_IF_MATCH=f'"{autre.pk}.1"'),
        412,
        "version_perimee",
    )
    cell.refresh_from_db()
    assert (cell.nom != "x", cell.version) == (True, 1)


@pytest.mark.parametrize(
    ("entete", "statut", "code"),
    [
        # Well-formed entity tags that are not this version: stale.
        ('"{pk}.²"', 412, "version_perimee"),
        ('"{pk}.-1"', 412, "version_perimee"),
        ('"{pk}.99999999999"', 412, "version_perimee"),
        ('W/"{pk}.1"', 412, "version_perimee"),
        ('"{pk}."', 412, "version_perimee"),
        ('"' + "9" * 500 + '"', 412, "version_perimee"),
        ('"{pk}.1٣"', 412, "version_perimee"),
        # Not entity tags at all (issue 11): a 400 that says the header is malformed.
        ("{pk}.1", 400, "if_match_invalide"),
        ('"{pk}.1', 400, "if_match_invalide"),
        ("été", 400, "if_match_invalide"),
        (",,,", 400, "if_match_invalide"),
    ],
)
def test_G_malformed_if_match_is_json_4xx_and_changes_nothing(
    coord: Any, cell: Cellule, entete: str, statut: int, code: str
) -> None:
    client = client_pour(coord)
    avant = db_snapshot(exclure=TRACES)
    response = client.patch(
        f"{URL}{cell.pk}/",
        {"nom": "Nom refusé"},
        format="json",
        HTTP_IF_MATCH=entete.format(pk=cell.pk),
    )
    corps = assert_erreur_json(response, statut, code)
    assert corps["champs"] == {}
    assert db_snapshot(exclure=TRACES) == avant


def test_F1_adding_and_withdrawing_members_bump_the_version(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    tag = _lire_tag(client, cell)
    nouveau = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    ajout = client.post(
        f"{URL}{cell.pk}/membres/",
        {"utilisateur": str(nouveau.pk), "fonction": "éducateur"},
        format="json",
    )
    assert ajout.status_code == 201, ajout.content
    cell.refresh_from_db()
    assert cell.version == 2
    # A PATCH prepared before the member changed is refused.
    perime = client.patch(f"{URL}{cell.pk}/", {"nom": "x"}, format="json", HTTP_IF_MATCH=tag)
    assert_erreur_json(perime, 412, "version_perimee")
    retrait = client.post(f"{URL}{cell.pk}/membres/{ajout.json()['id']}/retrait/")
    assert retrait.status_code == 200, retrait.content
    cell.refresh_from_db()
    assert cell.version == 3
    # Withdrawing again changes nothing, the version included.
    encore = client.post(f"{URL}{cell.pk}/membres/{ajout.json()['id']}/retrait/")
    assert encore.status_code == 200
    cell.refresh_from_db()
    assert cell.version == 3
    assert _lire_tag(client, cell) == f'"{cell.pk}.3"'


def test_F8_cell_creation_replay_returns_the_same_cell(coord: Any) -> None:
    client = client_pour(coord)
    avant = Cellule.objects.count()
    premiere = client.post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="cellule-1")
    rejouee = client.post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="cellule-1")
    assert premiere.status_code == rejouee.status_code == 201, rejouee.content
    assert premiere.json() == rejouee.json()
    assert premiere["ETag"] == rejouee["ETag"] == f'"{premiere.json()["id"]}.1"'
    assert "Idempotent-Replayed" not in premiere
    assert rejouee["Idempotent-Replayed"] == "true"
    assert Cellule.objects.count() == avant + 1
    assert ReponseIdempotente.objects.filter(route="cellules", utilisateur=coord).count() == 1


def test_F8_cell_creation_same_key_other_body_is_422(coord: Any) -> None:
    client = client_pour(coord)
    assert client.post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    avant = Cellule.objects.count()
    autre = client.post(
        URL, _creation(nom="Autre cellule"), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert_erreur_json(autre, 422, "cle_idempotence_reutilisee")
    invalide = client.post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="k\u00e9 \t")
    assert_erreur_json(invalide, 400, "cle_idempotence_invalide")
    assert Cellule.objects.count() == avant
    assert not Cellule.objects.filter(nom="Autre cellule").exists()


def test_F8_cell_creation_keys_are_scoped_per_user(coord: Any) -> None:
    autre = f.agent(Role.COORDONNATEUR, communes=("21166",))
    a = client_pour(coord).post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    b = client_pour(autre).post(URL, _creation(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert "Idempotent-Replayed" not in b


def test_F8_member_creation_replay_and_other_body(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    user = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    corps = {"utilisateur": str(user.pk), "fonction": "éducateur"}
    chemin = f"{URL}{cell.pk}/membres/"
    premiere = client.post(chemin, corps, format="json", HTTP_IDEMPOTENCY_KEY="membre-1")
    # Without the key, the same request is a duplicate member (409); with it, a replay.
    rejouee = client.post(chemin, corps, format="json", HTTP_IDEMPOTENCY_KEY="membre-1")
    assert premiere.status_code == rejouee.status_code == 201, rejouee.content
    assert premiere.json() == rejouee.json()
    assert rejouee["Idempotent-Replayed"] == "true"
    assert_erreur_json(client.post(chemin, corps, format="json"), 409, "deja_membre")
    assert MembreCellule.objects.filter(cellule=cell).count() == 1
    cell.refresh_from_db()
    assert cell.version == 2  # the replay changed nothing
    autre = client.post(
        chemin,
        {**corps, "fonction": "assistante sociale"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="membre-1",
    )
    assert_erreur_json(autre, 422, "cle_idempotence_reutilisee")
    assert MembreCellule.objects.get(cellule=cell).fonction == "éducateur"


def test_F8_member_key_is_bound_to_its_cell(coord: Any, cell: Cellule) -> None:
    """The same key and body on another cell is another request: refused, nothing replayed."""
    client = client_pour(coord)
    autre_cellule = f.cellule("21166", coordonnateurs=(coord,))
    user = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    corps = {"utilisateur": str(user.pk), "fonction": "éducateur"}
    ici = client.post(f"{URL}{cell.pk}/membres/", corps, format="json", HTTP_IDEMPOTENCY_KEY="m")
    assert ici.status_code == 201
    ailleurs = client.post(
        f"{URL}{autre_cellule.pk}/membres/", corps, format="json", HTTP_IDEMPOTENCY_KEY="m"
    )
    assert_erreur_json(ailleurs, 422, "cle_idempotence_reutilisee")
    assert not MembreCellule.objects.filter(cellule=autre_cellule).exists()
