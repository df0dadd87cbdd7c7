# mypy: disallow-untyped-calls=False
"""The charte de confidentialité of a cell: publication, acceptation, and the cut of access to
the cell's cases (every role, lists and details, counts exact) until the version in force is
accepted; cells without a charter are unaffected."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import MotifExclusion, Role
from acces.models import Utilisateur
from acces.services import utilisateur_exclure
from cellules.chartes.models import AcceptationCharteCellule, CharteCellule
from cellules.chartes.services import charte_cellule_accepter, charte_cellule_publier
from cellules.composition.models import Cellule
from cellules.dossiers import selectors
from cellules.dossiers.enums import MotifCloture, StatutSituation
from cellules.dossiers.models import Situation
from cellules.seances import services as seances
from socle.errors import ApiError
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import dans
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
SITUATIONS = "/api/v1/situations/"


def _url(cellule: Cellule, suffixe: str = "") -> str:
    return f"/api/v1/cellules/{cellule.pk}/charte/{suffixe}"


def _post(client: Any, chemin: str, corps: Any, **extra: Any) -> Any:
    donnees = corps if isinstance(corps, str) else json.dumps(corps)
    return client.post(chemin, donnees, content_type="application/json", **extra)


class Monde:
    """A Dijon cell with a charter to come (two cases), another Dijon cell without (one case);
    its coordinator, a délégué of the ressort, a member convened to a meeting of the cell."""

    def __init__(self) -> None:
        self.coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
        self.delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
        self.cellule = f_composition.cellule("21231", coordonnateurs=(self.coord,))
        self.autre = f_composition.cellule("21231", coordonnateurs=(self.coord,))
        self.situations = [f_dossiers.situation(self.cellule), f_dossiers.situation(self.cellule)]
        self.situation_autre = f_dossiers.situation(self.autre)
        self.membre = membre(self.cellule)
        seance = seances.seance_planifier(
            cellule=self.cellule, debut=dans(3), fin=dans(3, 16), acteur=self.coord
        )
        seances.ordre_du_jour_ajouter(
            seance=seance, situation=self.situations[0], motif="point_d_etape", acteur=self.coord
        )
        seances.convocations_envoyer(seance=seance, membres=[self.membre], acteur=self.coord)
        self.lecteur_membre = self.membre.utilisateur

    def publier(self, titre: str = "Charte de la cellule") -> CharteCellule:
        return charte_cellule_publier(
            cellule=self.cellule,
            titre=titre,
            texte="Article 1.\nLes informations échangées restent confidentielles.",
            acteur=self.coord,
        )


@pytest.fixture
def m() -> Monde:
    return Monde()


def _liste(user: Any) -> set[str]:
    response = client_pour(user).get(SITUATIONS, {"taille": 200}, **MOTIF)
    assert response.status_code == 200, response.content
    corps = response.json()
    ids = {ligne["id"] for ligne in corps["results"]}
    assert corps["count"] == len(ids)
    return ids


def _detail(user: Any, situation: Situation) -> int:
    return int(client_pour(user).get(f"{SITUATIONS}{situation.pk}/", **MOTIF).status_code)


def _ids(*situations: Situation) -> set[str]:
    return {str(s.pk) for s in situations}


# Services


def test_publication_numbers_versions_per_cell_and_leaves_the_cell_version(m: Monde) -> None:
    version_cellule = Cellule.objects.get(pk=m.cellule.pk).version
    v1 = m.publier()
    v2 = m.publier("Charte révisée")
    autre = charte_cellule_publier(cellule=m.autre, titre="Autre", texte="Texte.", acteur=m.coord)
    assert (v1.version, v2.version, autre.version) == (1, 2, 1)
    assert v2.publiee_par_id == m.coord.pk
    assert v2.texte.startswith("Article 1.\n")
    assert Cellule.objects.get(pk=m.cellule.pk).version == version_cellule
    assert str(v2) == "charte de cellule v2"


@pytest.mark.parametrize("role", [Role.DELEGUE_PROCUREUR, Role.MEMBRE_CELLULE])
def test_only_a_coordinator_of_the_cell_publishes(m: Monde, role: str) -> None:
    user = m.delegue if role == Role.DELEGUE_PROCUREUR else m.lecteur_membre
    with pytest.raises(ApiError) as erreur:
        charte_cellule_publier(cellule=m.cellule, titre="T", texte="X", acteur=user)
    assert erreur.value.status_code == 403
    ailleurs = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    with pytest.raises(ApiError) as erreur:
        charte_cellule_publier(cellule=m.cellule, titre="T", texte="X", acteur=ailleurs)
    assert erreur.value.status_code == 404
    assert not CharteCellule.objects.exists()


def test_publication_refuses_empty_or_control_characters(m: Monde) -> None:
    for titre, texte in [(" ", "Texte"), ("Titre", "  "), ("Titre", "a\x00b"), ("Ti\x07", "T")]:
        with pytest.raises(ApiError) as erreur:
            charte_cellule_publier(cellule=m.cellule, titre=titre, texte=texte, acteur=m.coord)
        assert erreur.value.status_code == 400
    assert not CharteCellule.objects.exists()


def test_acceptation_is_idempotent_and_stale_version_writes_nothing(m: Monde) -> None:
    m.publier()
    m.publier()
    with pytest.raises(ApiError) as erreur:
        charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.delegue)
    assert erreur.value.status_code == 409
    assert erreur.value.code == "version_perimee"
    assert not AcceptationCharteCellule.objects.exists()
    charte, creee = charte_cellule_accepter(cellule=m.cellule, version=2, acteur=m.delegue)
    assert (charte.version, creee) == (2, True)
    _, encore = charte_cellule_accepter(cellule=m.cellule, version=2, acteur=m.delegue)
    assert encore is False
    assert AcceptationCharteCellule.objects.filter(utilisateur=m.delegue).count() == 1


def test_acceptation_needs_a_visible_cell_with_a_charter(m: Monde) -> None:
    with pytest.raises(ApiError) as erreur:
        charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.delegue)
    assert (erreur.value.status_code, erreur.value.code) == (404, "aucune_charte")
    m.publier()
    etranger = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21515",))
    with pytest.raises(ApiError) as erreur:
        charte_cellule_accepter(cellule=m.cellule, version=1, acteur=etranger)
    assert erreur.value.status_code == 404
    assert not AcceptationCharteCellule.objects.exists()


def test_a_charter_not_yet_in_force_does_not_apply(m: Monde) -> None:
    m.publier()
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.delegue)
    CharteCellule.objects.create(
        cellule=m.cellule,
        version=2,
        titre="À venir",
        texte="Texte.",
        en_vigueur_le=timezone.now() + dt.timedelta(days=2),
        publiee_par=m.coord,
    )
    assert _ids(*m.situations) <= _liste(m.delegue)


# Access to the cases


def test_B2_every_role_loses_the_cells_cases_until_it_accepts(m: Monde) -> None:
    lecteurs = [m.coord, m.delegue, m.lecteur_membre]
    assert _liste(m.coord) == _ids(*m.situations, m.situation_autre)
    assert _liste(m.lecteur_membre) == _ids(m.situations[0])
    m.publier()
    for user in lecteurs:
        visibles = _liste(user)
        assert not visibles & _ids(*m.situations)
        assert _detail(user, m.situations[0]) == 404
    # Another cell's cases are unaffected.
    assert _liste(m.coord) == _ids(m.situation_autre)
    assert _detail(m.coord, m.situation_autre) == 200
    for user in lecteurs:
        reponse = _post(client_pour(user), _url(m.cellule, "acceptation/"), {"version": 1})
        assert reponse.status_code == 201, reponse.content
    assert _liste(m.coord) == _ids(*m.situations, m.situation_autre)
    assert _ids(*m.situations) <= _liste(m.delegue)
    assert _liste(m.lecteur_membre) == _ids(m.situations[0])
    assert _detail(m.lecteur_membre, m.situations[0]) == 200
    assert _detail(m.delegue, m.situations[1]) == 200


def test_a_new_version_cuts_access_again_until_accepted(m: Monde) -> None:
    m.publier()
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.lecteur_membre)
    assert _detail(m.lecteur_membre, m.situations[0]) == 200
    m.publier("Charte révisée")
    assert _detail(m.lecteur_membre, m.situations[0]) == 404
    assert _liste(m.lecteur_membre) == set()
    perimee = _post(client_pour(m.lecteur_membre), _url(m.cellule, "acceptation/"), {"version": 1})
    assert_erreur_json(perimee, 409, "version_perimee")
    assert _detail(m.lecteur_membre, m.situations[0]) == 404
    charte_cellule_accepter(cellule=m.cellule, version=2, acteur=m.lecteur_membre)
    assert _detail(m.lecteur_membre, m.situations[0]) == 200


def test_writes_persons_and_orientations_follow_the_case(m: Monde) -> None:
    from acces.enums import Action

    m.publier()
    assert (
        not Situation.objects.restrict(m.coord, Action.MODIFIER).filter(cellule=m.cellule).exists()
    )
    personnes = selectors.personnes_visibles(m.coord).values_list("pk", flat=True)
    assert m.situations[0].personne_id not in set(personnes)
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.coord)
    assert Situation.objects.restrict(m.coord, Action.MODIFIER).filter(cellule=m.cellule).count()
    assert m.situations[0].personne_id in set(
        selectors.personnes_visibles(m.coord).values_list("pk", flat=True)
    )


def test_archived_cases_follow_the_charter_too(m: Monde) -> None:
    archivee = f_dossiers.situation(
        m.cellule,
        statut=StatutSituation.ARCHIVEE,
        cloturee_le=dt.date(2025, 1, 10),
        motif_cloture=MotifCloture.OBJECTIFS_ATTEINTS,
        archivee_le=dt.date(2025, 4, 10),
    )
    assert selectors.situation_archivee_visible(m.coord, archivee.pk) is not None
    m.publier()
    assert selectors.situation_archivee_visible(m.coord, archivee.pk) is None
    assert selectors.situations_archivees_visibles(m.delegue).count() == 0
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.coord)
    assert selectors.situations_archivees_visibles(m.coord).count() == 1


def test_an_excluded_user_sees_nothing_even_after_accepting(m: Monde) -> None:
    m.publier()
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.lecteur_membre)
    assert _detail(m.lecteur_membre, m.situations[0]) == 200
    utilisateur_exclure(
        utilisateur=m.lecteur_membre, motif=MotifExclusion.MANQUEMENT_CHARTE, acteur=m.coord
    )
    client = client_pour(m.lecteur_membre)
    assert client.get(f"{SITUATIONS}{m.situations[0].pk}/", **MOTIF).status_code in (401, 403)
    assert client.get(_url(m.cellule)).status_code in (401, 403, 404)
    # A fresh load of the account, as the next request does.
    relu = Utilisateur.objects.get(pk=m.lecteur_membre.pk)
    assert selectors.situations_visibles(relu).count() == 0


# Routes


def test_routes_read_publish_and_accept(m: Monde) -> None:
    coord = client_pour(m.coord)
    assert_erreur_json(coord.get(_url(m.cellule)), 404, "aucune_charte")
    corps = {"titre": "Charte de la cellule", "texte": "Article 1.\nConfidentialité."}
    publiee = _post(coord, _url(m.cellule), corps, HTTP_IDEMPOTENCY_KEY="charte-1")
    assert publiee.status_code == 201, publiee.content
    assert publiee.json()["version"] == 1
    assert publiee.json()["acceptee"] is False
    rejouee = _post(coord, _url(m.cellule), corps, HTTP_IDEMPOTENCY_KEY="charte-1")
    assert rejouee.status_code == 201
    assert rejouee["Idempotent-Replayed"] == "true"
    # The cell is part of the fingerprint: the same key on another cell is refused.
    ailleurs = _post(coord, _url(m.autre), corps, HTTP_IDEMPOTENCY_KEY="charte-1")
    assert_erreur_json(ailleurs, 422, "cle_idempotence_reutilisee")
    assert not CharteCellule.objects.filter(cellule=m.autre).exists()
    assert CharteCellule.objects.filter(cellule=m.cellule).count() == 1
    lue = client_pour(m.lecteur_membre).get(_url(m.cellule))
    assert lue.status_code == 200
    assert set(lue.json()) == {"cellule", "version", "titre", "texte", "en_vigueur_le", "acceptee"}
    assert (lue.json()["version"], lue.json()["acceptee"]) == (1, False)
    acceptee = _post(client_pour(m.lecteur_membre), _url(m.cellule, "acceptation/"), {"version": 1})
    assert acceptee.status_code == 201
    assert acceptee.json()["acceptee"] is True
    encore = _post(client_pour(m.lecteur_membre), _url(m.cellule, "acceptation/"), {"version": 1})
    assert encore.status_code == 200
    assert client_pour(m.lecteur_membre).get(_url(m.cellule)).json()["acceptee"] is True


def test_routes_refuse_other_roles_and_out_of_scope_cells(m: Monde) -> None:
    m.publier()
    corps = {"titre": "T", "texte": "X"}
    assert_erreur_json(_post(client_pour(m.delegue), _url(m.cellule), corps), 403)
    assert_erreur_json(_post(client_pour(m.lecteur_membre), _url(m.cellule), corps), 403)
    etranger = f_composition.agent(Role.COORDONNATEUR, communes=("21515",))
    assert_erreur_json(_post(client_pour(etranger), _url(m.cellule), corps), 404)
    assert_erreur_json(client_pour(etranger).get(_url(m.cellule)), 404)
    assert_erreur_json(
        _post(client_pour(etranger), _url(m.cellule, "acceptation/"), {"version": 1}), 404
    )
    assert CharteCellule.objects.count() == 1
    assert not AcceptationCharteCellule.objects.exists()


@pytest.mark.parametrize(
    "corps",
    [
        "{pas du json",
        "[]",
        {},
        {"version": "un"},
        {"version": 0},
        {"version": 1, "utilisateur": "quelqu'un"},
        {"version": 10**12},
    ],
)
def test_malformed_acceptation_bodies_are_json_4xx_and_write_nothing(m: Monde, corps: Any) -> None:
    m.publier()
    reponse = _post(client_pour(m.delegue), _url(m.cellule, "acceptation/"), corps)
    assert_erreur_json(reponse, 400)
    assert not AcceptationCharteCellule.objects.exists()


@pytest.mark.parametrize(
    "corps",
    [
        "{pas du json",
        {"titre": "T"},
        {"titre": "T", "texte": "X", "version": 7},
        {"titre": "T" * 201, "texte": "X"},
        {"titre": "T", "texte": "X" * 20001},
        {"titre": "T", "texte": "a\x00b"},
        {"titre": ["T"], "texte": "X"},
    ],
)
def test_malformed_publication_bodies_are_json_4xx_and_write_nothing(m: Monde, corps: Any) -> None:
    reponse = _post(client_pour(m.coord), _url(m.cellule), corps)
    assert_erreur_json(reponse, 400)
    assert not CharteCellule.objects.exists()


def test_cells_show_the_charter_state_of_the_caller(m: Monde) -> None:
    m.publier()
    client = client_pour(m.delegue)
    lignes = {c["id"]: c for c in client.get("/api/v1/cellules/").json()["results"]}
    assert (
        lignes[str(m.cellule.pk)]["charte_version"],
        lignes[str(m.cellule.pk)]["charte_acceptee"],
    ) == (1, False)
    assert (
        lignes[str(m.autre.pk)]["charte_version"],
        lignes[str(m.autre.pk)]["charte_acceptee"],
    ) == (None, True)
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.delegue)
    detail = client.get(f"/api/v1/cellules/{m.cellule.pk}/").json()
    assert (detail["charte_version"], detail["charte_acceptee"]) == (1, True)


def test_cell_list_charter_state_costs_no_query_per_cell(
    m: Monde, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m.publier()
    client = client_pour(m.coord)
    client.get("/api/v1/cellules/")
    with CaptureQueriesContext(connection) as peu:
        client.get("/api/v1/cellules/")
    for _ in range(5):
        f_composition.cellule("21231", coordonnateurs=(m.coord,))
    with CaptureQueriesContext(connection) as beaucoup:
        assert client.get("/api/v1/cellules/").json()["count"] == 7
    assert len(beaucoup.captured_queries) == len(peu.captured_queries)


def test_member_list_charte_acceptee_needs_both_charters(m: Monde) -> None:
    client = client_pour(m.coord)
    url = f"/api/v1/cellules/{m.cellule.pk}/membres/"

    def etat() -> bool:
        lignes = client.get(url).json()["results"]
        return bool(next(x for x in lignes if x["id"] == str(m.membre.pk))["charte_acceptee"])

    # No cell charter: the platform's charter alone (accepted by the factory).
    assert etat() is True
    m.publier()
    assert etat() is False
    charte_cellule_accepter(cellule=m.cellule, version=1, acteur=m.lecteur_membre)
    assert etat() is True
    # The platform's charter in a new version, not accepted: false again.
    from acces.models import Charte

    Charte.objects.create(version=99, titre="Nouvelle", texte="Texte.")
    assert etat() is False


def test_demo_publishes_one_cell_charter_accepted_by_nobody() -> None:
    from acces import demo as demo_acces
    from cellules.composition import demo as demo_cellules
    from cellules.dossiers import demo

    for code in demo.COMMUNES_QPV:
        f_composition.commune_de(code)
    demo_acces.charger()
    demo.charger()
    demo.charger()
    charte = CharteCellule.objects.get()
    assert (charte.version, charte.cellule.commune_id) == (1, demo_cellules.CHARTE_COMMUNE)
    assert charte.publiee_par.username == "coord.quetigny"
    assert not AcceptationCharteCellule.objects.exists()
    coord = Utilisateur.objects.get(username="coord.quetigny")
    assert charte.cellule.situations.exists()
    assert selectors.situations_visibles(coord).count() == 0
    charte_cellule_accepter(cellule=charte.cellule, version=1, acteur=coord)
    coord = Utilisateur.objects.get(pk=coord.pk)
    assert selectors.situations_visibles(coord).count() == (
        charte.cellule.situations.exclude(statut__in=["archivee", "purgee"]).count()
    )


def test_no_case_is_opened_in_a_cell_whose_charter_the_coordinator_has_not_accepted(
    m: Monde,
) -> None:
    from cellules.dossiers.services import situation_creer

    charte = m.publier()
    personne = f_dossiers.personne(cree_par=m.coord)
    avant = Situation.objects.count()
    with pytest.raises(ApiError) as refus:
        situation_creer(
            personne=personne,
            cellule=m.cellule,
            source="police_municipale",
            profils=[],
            observation=None,
            acteur=m.coord,
        )
    assert refus.value.status_code == 403
    assert refus.value.get_codes() == "charte_cellule_non_acceptee"
    assert Situation.objects.count() == avant
    charte_cellule_accepter(cellule=m.cellule, version=charte.version, acteur=m.coord)
    creee = situation_creer(
        personne=personne,
        cellule=m.cellule,
        source="police_municipale",
        profils=[],
        observation=None,
        acteur=m.coord,
    )
    assert _detail(m.coord, creee) == 200
