"""API of persons and cases: scope, motif, access events, ETags, fields per category."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acces.enums import Role, TypeOrganisation
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from cellules.dossiers.enums import Profil, StatutSituation
from cellules.dossiers.models import Personne, Situation
from tests.acces import factories as f_acces
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

MOTIF = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/situations/"
# Tables a refused request writes to on purpose: the access log and the token's last use.
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


def _client(user: Any) -> Any:
    return client_pour(user)


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def cell(coord: Any) -> Any:
    return f_composition.cellule("21231", coordonnateurs=(coord,))


def _sans_request_id(response: Any) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(response.content)
    corps.pop("request_id")
    return corps


def _evenements(response: Any) -> list[EvenementAcces]:
    return list(EvenementAcces.objects.filter(request_id=response["X-Request-ID"]))


def test_list_shows_scope_only_and_logs_one_event_per_row(coord: Any, cell: Any) -> None:
    visibles = [f.situation(cell) for _ in range(3)]
    for _ in range(7):
        f.situation(f_composition.cellule("21166"))
    response = _client(coord).get(URL, **MOTIF)
    assert response.status_code == 200
    corps = response.json()
    assert corps["count"] == 3 and corps["next"] is None
    ids = [r["id"] for r in corps["results"]]
    assert sorted(ids) == sorted(str(s.pk) for s in visibles)
    evenements = _evenements(response)
    assert sorted(e.objet_id for e in evenements) == sorted(ids)
    assert {(e.action, e.motif, e.resultat) for e in evenements} == {
        (ActionAcces.LISTE, "preparation_seance", Resultat.AUTORISE)
    }


def test_D1_every_record_of_every_page_has_exactly_one_event(coord: Any, cell: Any) -> None:
    for _ in range(5):
        f.situation(cell)
    client = _client(coord)
    vus: list[str] = []
    for page in (1, 2, 3):
        response = client.get(f"{URL}?taille=2&page={page}", **MOTIF)
        ids = [r["id"] for r in response.json()["results"]]
        assert sorted(e.objet_id for e in _evenements(response)) == sorted(ids)
        vus += ids
    assert len(vus) == len(set(vus)) == 5


def test_D2_read_without_motif_is_refused_and_logged(coord: Any, cell: Any) -> None:
    f.situation(cell)
    response = _client(coord).get(URL)
    assert_erreur_json(response, 400, "motif_requis")
    (evenement,) = _evenements(response)
    assert (evenement.resultat, evenement.raison) == (Resultat.REFUSE, Raison.MOTIF_REQUIS)


def test_charter_not_accepted_gives_403_and_a_refusal_event(cell: Any) -> None:
    f_composition.charte_acceptee(f_composition.agent(Role.AUDITEUR))  # a charter in force
    user = f_composition.agent(Role.COORDONNATEUR, charte=False)
    response = _client(user).get(URL, **MOTIF)
    assert_erreur_json(response, 403, "charte_non_acceptee")
    assert [e.raison for e in _evenements(response)] == [Raison.CHARTE_NON_ACCEPTEE]


@pytest.mark.parametrize("role", [Role.AUDITEUR, Role.ADMIN_TECHNIQUE])
def test_D7_roles_without_case_access_get_403(role: str, cell: Any) -> None:
    f.situation(cell)
    response = _client(f_composition.agent(role)).get(URL, **MOTIF)
    assert_erreur_json(response, 403)


def test_B2_other_scope_and_missing_case_answer_identical_404(coord: Any, cell: Any) -> None:
    ailleurs = f.situation(f_composition.cellule("21166"))
    client = _client(coord)
    reponses = [
        client.get(f"{URL}{ailleurs.pk}/", **MOTIF),
        client.get(f"{URL}{uuid.uuid4()}/", **MOTIF),
    ]
    for response in reponses:
        assert_erreur_json(response, 404, "introuvable")
        assert [e.raison for e in _evenements(response)] == [Raison.HORS_PERIMETRE]
    assert _sans_request_id(reponses[0]) == _sans_request_id(reponses[1])
    entetes = [{k: v for k, v in r.items() if k not in ("X-Request-ID", "Date")} for r in reponses]
    assert entetes[0] == entetes[1]


def test_B2_patch_out_of_scope_is_404_and_changes_nothing(coord: Any, cell: Any) -> None:
    ailleurs = f.situation(f_composition.cellule("21166"))
    client = _client(coord)
    avant = db_snapshot(exclure=TRACES)
    response = client.patch(
        f"{URL}{ailleurs.pk}/",
        {"profils": []},
        format="json",
        HTTP_IF_MATCH=f'"{ailleurs.pk}.1"',
        **MOTIF,
    )
    assert_erreur_json(response, 404)
    assert db_snapshot(exclure=TRACES) == avant


def test_F1_if_match_missing_stale_and_current(coord: Any, cell: Any) -> None:
    situation = f.situation(cell, profils=[])
    client = _client(coord)
    lu = client.get(f"{URL}{situation.pk}/", **MOTIF)
    tag = lu["ETag"]
    # A value the coordinator's organisation may read (judicial profiles are hidden from it).
    corps = {"profils": [Profil.CONDUITES_PERTURBATRICES]}
    chemin = f"{URL}{situation.pk}/"
    assert_erreur_json(client.patch(chemin, corps, format="json", **MOTIF), 428)
    assert_erreur_json(client.patch(chemin, corps, format="json", HTTP_IF_MATCH="*", **MOTIF), 428)
    autre = f.situation(cell)
    assert_erreur_json(
        client.patch(chemin, corps, format="json", HTTP_IF_MATCH=f'"{autre.pk}.1"', **MOTIF),
        412,
    )
    ok = client.patch(chemin, corps, format="json", HTTP_IF_MATCH=tag, **MOTIF)
    assert ok.status_code == 200
    assert ok.json()["profils"] == [Profil.CONDUITES_PERTURBATRICES]
    assert ok["ETag"] == f'"{situation.pk}.2"'
    perime = client.patch(chemin, {"profils": []}, format="json", HTTP_IF_MATCH=tag, **MOTIF)
    assert_erreur_json(perime, 412, "version_perimee")
    assert Situation.objects.get(pk=situation.pk).profils == [Profil.CONDUITES_PERTURBATRICES]


def test_B7_unknown_or_read_only_fields_are_refused(coord: Any, cell: Any) -> None:
    situation = f.situation(cell)
    response = _client(coord).patch(
        f"{URL}{situation.pk}/",
        {"cellule": str(uuid.uuid4()), "statut": "archivee", "version": 9},
        format="json",
        HTTP_IF_MATCH=f'"{situation.pk}.1"',
        **MOTIF,
    )
    corps = assert_erreur_json(response, 400)
    assert set(corps["champs"]) == {"cellule", "statut", "version"}
    relue = Situation.objects.get(pk=situation.pk)
    assert (relue.cellule_id, relue.statut, relue.version) == (cell.pk, StatutSituation.SIGNALEE, 1)


def test_directeur_reads_but_may_not_write(cell: Any) -> None:
    situation = f.situation(cell)
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    client = _client(directeur)
    assert client.get(f"{URL}{situation.pk}/", **MOTIF).status_code == 200
    response = client.post(
        f"{URL}{situation.pk}/transitions/",
        {"transition": "inscrire"},
        format="json",
        HTTP_IF_MATCH=f'"{situation.pk}.1"',
        **MOTIF,
    )
    assert_erreur_json(response, 403)


def test_transitions_through_the_api(coord: Any, cell: Any) -> None:
    situation = f.situation(cell)
    client = _client(coord)
    chemin = f"{URL}{situation.pk}/transitions/"
    tag = f'"{situation.pk}.1"'
    response = client.post(
        chemin, {"transition": "inscrire"}, format="json", HTTP_IF_MATCH=tag, **MOTIF
    )
    assert response.json() == {
        "id": str(situation.pk),
        "statut": "inscrite_ordre_du_jour",
        "motif_cloture": "",
        "version": 2,
    }
    refus = client.post(
        chemin, {"transition": "archiver"}, format="json", HTTP_IF_MATCH=response["ETag"], **MOTIF
    )
    assert_erreur_json(refus, 409, "transition_impossible")
    sans_motif = client.post(
        chemin, {"transition": "cloturer"}, format="json", HTTP_IF_MATCH=response["ETag"], **MOTIF
    )
    assert_erreur_json(sans_motif, 400)
    # The closing reason is categorised case content: the answer is logged like a read.
    lus = _evenements(response)
    assert [(e.type_objet, e.objet_id, e.action) for e in lus] == [
        ("cellules.situation", str(situation.pk), "consultation")
    ]


def test_B6_fields_follow_the_organisation_categories(cell: Any) -> None:
    situation = f.situation(cell, observation="rendez-vous manqué")
    bailleur = f_composition.agent(
        Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.BAILLEUR_SOCIAL
    )
    from cellules.dossiers import services

    services.acces_accorder(
        situation=situation, utilisateur=bailleur, jusqu_au=None, acteur=cell.coordonnateurs.get()
    )
    corps = _client(bailleur).get(f"{URL}{situation.pk}/", **MOTIF).json()
    assert {"nom", "prenom", "age", "mineur"} <= set(corps)
    assert not {"profils", "source_signalement", "observation"} & set(corps)
    parquet = f_composition.agent(
        Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET
    )
    complet = _client(parquet).get(f"{URL}{situation.pk}/", **MOTIF).json()
    assert complet["observation"] == "rendez-vous manqué"
    assert complet["profils"] == [Profil.DECROCHEUR_SCOLAIRE]


def test_create_person_then_case(coord: Any, cell: Any) -> None:
    client = _client(coord)
    ident = f.identite()
    personne = client.post(
        "/api/v1/personnes/",
        {"nom": ident.nom, "prenom": ident.prenom, "date_naissance": str(ident.date_naissance)},
        format="json",
        **MOTIF,
    )
    assert personne.status_code == 201
    assert personne.json()["nom"] == ident.nom
    response = client.post(
        URL,
        {
            "personne": personne.json()["id"],
            "cellule": str(cell.pk),
            "source_signalement": "bailleur_social",
            "profils": ["reiterant"],
        },
        format="json",
        **MOTIF,
    )
    assert response.status_code == 201, response.content
    assert response.json()["prenom"] == ident.prenom
    assert response["ETag"] == f'"{response.json()["id"]}.1"'
    assert [e.objet_id for e in _evenements(response)] == [response.json()["id"]]


def test_B7_case_for_an_invisible_person_or_cell_is_refused(coord: Any, cell: Any) -> None:
    ailleurs = f.situation(f_composition.cellule("21166"))
    client = _client(coord)
    corps = {
        "personne": str(ailleurs.personne_id),
        "cellule": str(cell.pk),
        "source_signalement": "autre",
    }
    response = client.post(URL, corps, format="json", **MOTIF)
    assert assert_erreur_json(response, 400)["champs"] == {"personne": ["Personne introuvable."]}
    corps = {
        **corps,
        "personne": str(f.personne(cree_par=coord).pk),
        "cellule": str(ailleurs.cellule_id),
    }
    response = client.post(URL, corps, format="json", **MOTIF)
    assert assert_erreur_json(response, 400)["champs"] == {"cellule": ["Cellule introuvable."]}
    assert Situation.objects.count() == 1


def test_B4_search_does_not_reveal_persons_outside_the_scope(coord: Any, cell: Any) -> None:
    dedans, dehors = canari(), canari()
    f.situation(cell, f.personne(dedans))
    f.situation(f_composition.cellule("21166"), f.personne(dehors))
    client = _client(coord)

    def chercher(c: Any, **variante: str) -> Any:
        corps = {"nom": c.nom, "prenom": c.prenom, "date_naissance": str(c.date_naissance)}
        return client.post(
            "/api/v1/personnes/recherche/", {**corps, **variante}, format="json", **MOTIF
        )

    trouve = chercher(dedans, nom=dedans.nom.upper())
    assert trouve.json()["count"] == 1
    assert [e.action for e in _evenements(trouve)] == [ActionAcces.RECHERCHE]
    hors, inexistant = chercher(dehors), chercher(canari())
    assert hors.status_code == inexistant.status_code == 200
    assert hors.content == inexistant.content == b'{"count":0,"results":[]}'
    assert _evenements(hors) == _evenements(inexistant) == []


def test_F_query_count_per_page_does_not_grow_with_page_size(coord: Any, cell: Any) -> None:
    for _ in range(50):
        f.situation(cell)
    client = _client(coord)
    comptes = []
    for taille in (5, 50):
        client.get(f"{URL}?taille={taille}", **MOTIF)  # warm the caches of the test client
        with CaptureQueriesContext(connection) as requetes:
            response = client.get(f"{URL}?taille={taille}", **MOTIF)
        assert len(response.json()["results"]) == taille
        comptes.append(len(requetes.captured_queries))
    assert comptes[0] == comptes[1]


def test_E5_D8_canaries_never_reach_logs_or_error_bodies(
    coord: Any, cell: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    c = canari()
    f.situation(cell, f.personne(c))
    client = _client(coord)
    corps_erreurs = [
        client.post(
            "/api/v1/personnes/",
            {"nom": c.nom, "prenom": c.prenom, "date_naissance": "demain", "x": c.nom},
            format="json",
            **MOTIF,
        ).content,
        client.post(
            "/api/v1/personnes/recherche/",
            {"nom": c.nom * 10, "prenom": c.prenom, "date_naissance": "2010-01-01"},
            format="json",
            **MOTIF,
        ).content,
        client.post(
            URL,
            {"personne": c.nom, "cellule": str(cell.pk), "source_signalement": c.prenom},
            format="json",
            **MOTIF,
        ).content,
    ]
    assert client.get(URL, **MOTIF).status_code == 200
    assert scanner(b"\n".join(corps_erreurs), [c]) == []
    assert scanner(caplog.text, [c]) == []
    evenements = EvenementAcces.objects.values_list(
        "objet_id", "motif_detail", "type_objet", "roles"
    )
    assert scanner(repr(list(evenements)), [c]) == []


def _creer_personne(client: Any, ident: Any, cle: str | None = None, **autres: str) -> Any:
    corps = {"nom": ident.nom, "prenom": ident.prenom, "date_naissance": str(ident.date_naissance)}
    entetes = {**MOTIF, **({"HTTP_IDEMPOTENCY_KEY": cle} if cle else {})}
    return client.post("/api/v1/personnes/", {**corps, **autres}, format="json", **entetes)


def test_F8_same_key_same_body_creates_once_and_replays(coord: Any, cell: Any) -> None:
    client = _client(coord)
    ident = f.identite()
    premiere = _creer_personne(client, ident, "essai-1")
    rejouee = _creer_personne(client, ident, "essai-1")
    assert premiere.status_code == rejouee.status_code == 201
    assert premiere.json() == rejouee.json()
    assert rejouee["Idempotent-Replayed"] == "true"
    assert Personne.objects.count() == 1
    assert [e.objet_id for e in _evenements(rejouee)] == [premiere.json()["id"]]
    corps = {
        "personne": premiere.json()["id"],
        "cellule": str(cell.pk),
        "source_signalement": "mairie",
    }
    entetes = {**MOTIF, "HTTP_IDEMPOTENCY_KEY": "essai-1"}  # same key, another route
    a = client.post(URL, corps, format="json", **entetes)
    b = client.post(URL, corps, format="json", **entetes)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]
    assert Situation.objects.count() == 1


def test_F8_same_key_other_body_is_422(coord: Any) -> None:
    client = _client(coord)
    ident = f.identite()
    assert _creer_personne(client, ident, "k").status_code == 201
    autre = _creer_personne(client, ident, "k", adresse="2 rue Neuve")
    assert_erreur_json(autre, 422, "cle_idempotence_reutilisee")
    assert_erreur_json(_creer_personne(client, ident, "k\u00e9 \n"), 400)
    assert Personne.objects.count() == 1


def test_F8_keys_are_scoped_per_user(coord: Any) -> None:
    autre = f_composition.agent(Role.COORDONNATEUR)
    ident, ident2 = f.identite(), f.identite()
    assert _creer_personne(_client(coord), ident, "k").status_code == 201
    response = _creer_personne(_client(autre), ident2, "k")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Personne.objects.count() == 2


def test_B3_pagination_bounds(coord: Any, cell: Any) -> None:
    for _ in range(3):
        f.situation(cell)
    client = _client(coord)
    grande = client.get(f"{URL}?taille=1000000", **MOTIF).json()
    assert grande["count"] == 3 and len(grande["results"]) == 3
    assert_erreur_json(client.get(f"{URL}?page=2", **MOTIF), 404, "page_introuvable")
    assert_erreur_json(client.get(f"{URL}?page=0", **MOTIF), 400, "parametre_invalide")
    assert_erreur_json(client.get(f"{URL}?taille=0", **MOTIF), 400, "parametre_invalide")


def test_B10_grant_read_by_a_member_expires_by_itself(cell: Any) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from cellules.dossiers import services

    situation = f.situation(cell)
    membre = f_composition.agent(Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.PJJ)
    echeance = timezone.now() + dt.timedelta(days=7)
    services.acces_accorder(
        situation=situation,
        utilisateur=membre,
        jusqu_au=echeance,
        acteur=cell.coordonnateurs.get(),
    )
    client = _client(membre)
    chemin = f"{URL}{situation.pk}/"
    assert client.get(chemin, **MOTIF).status_code == 200
    assert client.get(URL, **MOTIF).json()["count"] == 1
    with time_machine.travel(echeance - dt.timedelta(hours=1), tick=False):
        client = _client(membre)  # a token valid at that time
        assert client.get(chemin, **MOTIF).status_code == 200
    with time_machine.travel(echeance + dt.timedelta(seconds=1), tick=False):
        client = _client(membre)
        assert_erreur_json(client.get(chemin, **MOTIF), 404)
        assert client.get(URL, **MOTIF).json()["count"] == 0


def test_schema_documents_every_field_whatever_the_reader() -> None:
    from drf_spectacular.generators import SchemaGenerator

    generateur = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generateur.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    proprietes = schema["components"]["schemas"]["Situation"]["properties"]
    assert {"nom", "prenom", "age", "mineur", "profils", "observation"} <= set(proprietes)
    assert proprietes["observation"]["maxLength"] == 500


def test_B8_api_modules_never_query_sensitive_models_directly() -> None:
    from pathlib import Path

    import cellules

    for module in Path(cellules.__file__).parent.glob("**/api/*.py"):
        texte = module.read_text(encoding="utf-8")
        for modele in ("Situation", "Personne", "AccesSituation", "Cellule"):
            assert f"{modele}.objects" not in texte, (module.name, modele)
        assert ".raw(" not in texte and ".extra(" not in texte


def test_B_scope_of_one_role_does_not_leak_to_another_role() -> None:
    """A Dijon directeur who is also membre de cellule in Chenôve reads no Chenôve case."""
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    f_acces.habilitation(utilisateur=directeur, role=Role.MEMBRE_CELLULE, communes=["21166"])
    dijon = f.situation(f_composition.cellule("21231"))
    f.situation(f_composition.cellule("21166"))
    corps = _client(directeur).get(URL, **MOTIF).json()
    assert [s["id"] for s in corps["results"]] == [str(dijon.pk)]


def test_C10_decryption_failure_is_a_generic_500_and_a_security_event(
    coord: Any, cell: Any
) -> None:
    situation = f.situation(cell)
    autre = f.situation(cell)
    # A ciphertext moved from another person's row no longer authenticates (C3).
    Personne.objects.filter(pk=situation.personne_id).update(
        nom=Personne.objects.get(pk=autre.personne_id).nom
    )
    response = _client(coord).get(f"{URL}{situation.pk}/", **MOTIF)
    corps = assert_erreur_json(response, 500, "erreur_interne")
    assert corps["champs"] == {}
    evenement = EvenementAcces.objects.get(
        request_id=response["X-Request-ID"], raison=Raison.DECHIFFREMENT_IMPOSSIBLE
    )
    assert evenement.utilisateur_id == coord.pk


@pytest.mark.parametrize("entete", ['"{pk}.²"', '"{pk}.1٣"', '"{pk}.-1"', '"{pk}.99999999999"'])
def test_G_if_match_with_non_ascii_or_huge_digits_is_412_not_500(
    coord: Any, cell: Any, entete: str
) -> None:
    situation = f.situation(cell)
    response = _client(coord).patch(
        f"{URL}{situation.pk}/",
        {"profils": []},
        format="json",
        HTTP_IF_MATCH=entete.format(pk=situation.pk),
        **MOTIF,
    )
    assert_erreur_json(response, 412, "version_perimee")


def test_D2_refusal_for_a_missing_motif_names_the_record_attempted(coord: Any, cell: Any) -> None:
    situation = f.situation(cell)
    response = _client(coord).get(f"{URL}{situation.pk}/")
    assert_erreur_json(response, 400, "motif_requis")
    (refus,) = _evenements(response)
    assert (refus.resultat, refus.raison) == (Resultat.REFUSE, Raison.MOTIF_REQUIS)
    assert (refus.type_objet, refus.objet_id) == ("cellules.situation", str(situation.pk))
