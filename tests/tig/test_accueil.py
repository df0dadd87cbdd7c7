# mypy: disallow-untyped-calls=False
"""Reception sites and posts: services, scope (a référent reaches his site only), stale posts
and ``eligibles()``, the GeoJSON of posts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from acces.enums import Role
from audit.changements import MASQUE
from socle.errors import ApiError
from tests.acces import factories as f_acces
from tests.cellules.composition import factories as f_composition
from tests.matrice.personas import client_pour
from tests.tig import factories as f
from tig.accueil import politiques, selectors, services
from tig.accueil.enums import TypeStructure
from tig.accueil.models import Activite, Poste, StructureAccueil

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegue() -> Any:
    return f_composition.agent(Role.DELEGUE_PROCUREUR)


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


def _champs_structure(**champs: Any) -> dict[str, Any]:
    valeurs: dict[str, Any] = {
        "nom": "Ville de Dijon — espaces verts",
        "type": TypeStructure.COMMUNE,
        "commune": "21231",
        "adresse": "1 place de la Libération",
        "latitude": "47.32290",
        "longitude": "5.03750",
        "contact_service": "Direction de la tranquillité publique",
        "contact_courriel": "tranquillite@demo.invalid",
        "contact_telephone": "03 80 00 00 00",
    }
    valeurs.update(champs)
    return valeurs


def _corps_structure(**champs: Any) -> dict[str, Any]:
    """The same fields as the API takes them (the site's address is « adresse_structure »)."""
    corps = _champs_structure(**champs)
    corps["adresse_structure"] = corps.pop("adresse")
    return corps


def _champs_poste(structure: StructureAccueil, **champs: Any) -> dict[str, Any]:
    valeurs: dict[str, Any] = {
        "structure": str(structure.pk),
        "activite": "proprete_urbaine",
        "lieu": "Parc de la Colombière",
        "latitude": "47.30500",
        "longitude": "5.04500",
        "capacite": 3,
        "creneaux": {"mardi": ["matin"], "samedi": ["matin"]},
        "ouvert_week_end": True,
        "natures": ["tnr", "tig"],
    }
    valeurs.update(champs)
    return valeurs


# -- reference data -----------------------------------------------------------------------------


def test_activities_are_held_as_data() -> None:
    f.activite("espaces_verts")  # the seed again (a transactional test may have flushed it)
    assert set(Activite.objects.values_list("code", flat=True)) == {
        "espaces_verts",
        "proprete_urbaine",
        "entretien_batiments",
        "restauration",
        "logistique",
        "administratif",
        "mediation",
        "transport",
    }


def test_managing_roles_are_one_constant() -> None:
    assert Role.DELEGUE_PROCUREUR in politiques.ROLES_GESTION
    assert Role.REFERENT_ACCUEIL not in politiques.ROLES_GESTION
    assert politiques.ROLES_GESTION <= politiques.ROLES_LECTURE
    assert Role.DIRECTEUR_TRANQUILLITE in politiques.ROLES_LECTURE


# -- services -----------------------------------------------------------------------------------


def test_delegue_creates_a_site_in_his_ressort_with_its_referents(delegue: Any) -> None:
    referent = f.referent()
    champs = _champs_structure(latitude=Decimal("47.3229"), longitude=Decimal("5.0375"))
    site = services.structure_creer(acteur=delegue, referents=[referent.pk], **champs)
    assert site.commune_id == "21231"
    assert list(site.referents.all()) == [referent]
    assert site.habilitee_de_droit and site.habilitee_au()
    assert str(site) == f"structure d'accueil {site.pk}"


def test_site_outside_the_ressort_is_refused(delegue: Any) -> None:
    f_acces.commune("99001", "Ailleurs")
    erreur = _erreur(
        lambda: services.structure_creer(acteur=delegue, **_champs_structure(commune="99001"))
    )
    assert erreur.status_code == 400 and "commune" in erreur.champs
    assert not StructureAccueil.objects.exists()


def test_referents_must_hold_the_referent_role(delegue: Any) -> None:
    autre = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    erreur = _erreur(
        lambda: services.structure_creer(
            acteur=delegue, referents=[autre.pk], **_champs_structure()
        )
    )
    assert erreur.status_code == 400 and "referents" in erreur.champs
    assert not StructureAccueil.objects.exists()


@pytest.mark.parametrize("role", [Role.REFERENT_ACCUEIL, Role.DIRECTEUR_TRANQUILLITE])
def test_only_managers_create_sites(role: str) -> None:
    acteur = f_composition.agent(role, communes=("21231",))
    erreur = _erreur(lambda: services.structure_creer(acteur=acteur, **_champs_structure()))
    assert erreur.status_code == 403


def test_habilitation_rules(delegue: Any) -> None:
    association = _champs_structure(type=TypeStructure.ASSOCIATION)
    sans = services.structure_creer(acteur=delegue, **association)
    assert not sans.habilitee_de_droit and not sans.habilitee_au()
    aujourd_hui = timezone.localdate()
    avec = services.structure_creer(
        acteur=delegue,
        habilitation_par="juge de l'application des peines",
        habilitation_le=aujourd_hui - dt.timedelta(days=10),
        habilitation_jusqu_au=aujourd_hui + dt.timedelta(days=10),
        **association,
    )
    assert avec.habilitee_au()
    assert not avec.habilitee_au(aujourd_hui + dt.timedelta(days=11))
    # Public bodies are habilitated by right: no decision to record.
    erreur = _erreur(
        lambda: services.structure_creer(
            acteur=delegue, habilitation_le=aujourd_hui, **_champs_structure()
        )
    )
    assert erreur.status_code == 400 and "habilitation_par" in erreur.champs
    erreur = _erreur(
        lambda: services.structure_creer(acteur=delegue, habilitation_le=aujourd_hui, **association)
    )
    assert "habilitation_par" in erreur.champs


def test_referent_changes_details_but_not_habilitation_nor_referents() -> None:
    referent = f.referent()
    site = f.structure(referents=(referent,))
    apres = services.structure_modifier(
        structure=site, version=1, acteur=referent, contact_service="Accueil"
    )
    assert apres.contact_service == "Accueil" and apres.version == 2
    interdits: list[dict[str, Any]] = [
        {"habilitation_le": timezone.localdate()},
        {"referents": []},
        {"active": False},
    ]
    for champs in interdits:
        erreur = _erreur(
            lambda champs=champs: services.structure_modifier(
                structure=site, version=2, acteur=referent, **champs
            )
        )
        assert erreur.status_code == 403


def test_change_log_masks_the_contact(delegue: Any) -> None:
    site = services.structure_creer(acteur=delegue, **_champs_structure())
    entree = LogEntry.objects.get_for_object(site).get()
    assert entree.changes_dict["contact_courriel"][1] == MASQUE
    assert entree.changes_dict["contact_telephone"][1] == MASQUE


def test_post_schedule_and_bounds_are_validated(delegue: Any) -> None:
    site = f.structure()
    champs = _champs_poste(site, ouvert_week_end=False)
    champs.pop("structure")
    erreur = _erreur(lambda: services.poste_creer(acteur=delegue, structure=site.pk, **champs))
    assert "creneaux" in erreur.champs
    champs["ouvert_week_end"] = True
    champs["capacite"] = 0
    erreur = _erreur(lambda: services.poste_creer(acteur=delegue, structure=site.pk, **champs))
    assert "capacite" in erreur.champs
    champs["capacite"] = 1
    poste = services.poste_creer(acteur=delegue, structure=site.pk, **champs)
    assert poste.confirme_le == timezone.localdate() and poste.age_minimum == 16
    assert not Poste.objects.exclude(pk=poste.pk).exists()


# -- stale posts and eligibles() ----------------------------------------------------------------


def test_stale_post_leaves_eligibles_until_confirmed(delegue: Any, settings: Any) -> None:
    aujourd_hui = timezone.localdate()
    frais = f.poste(confirme_le=aujourd_hui - dt.timedelta(days=90))
    perime = f.poste(confirme_le=aujourd_hui - dt.timedelta(days=91))
    inactif = f.poste(actif=False)
    assert not frais.perime and perime.perime
    assert set(Poste.objects.eligibles()) == {frais}
    assert inactif not in Poste.objects.eligibles()
    services.poste_confirmer(poste=perime, acteur=delegue)
    perime.refresh_from_db()
    assert not perime.perime and perime.version == 2
    assert set(selectors.postes_eligibles(delegue)) == {frais, perime}
    settings.TIG_POSTE_PERIME_JOURS = 10
    assert set(Poste.objects.eligibles()) == {perime}


def test_post_of_an_inactive_site_is_not_eligible() -> None:
    poste = f.poste(f.structure(active=False))
    assert poste not in Poste.objects.eligibles()


# -- API: scope -----------------------------------------------------------------------------------


def test_referent_reaches_his_site_only_and_404_elsewhere() -> None:
    referent = f.referent()
    sien = f.structure(referents=(referent,))
    autre = f.structure()
    poste_sien, poste_autre = f.poste(sien), f.poste(autre)
    client = client_pour(referent)
    liste = client.get("/api/v1/structures-accueil/").json()
    assert [s["id"] for s in liste["results"]] == [str(sien.pk)]
    assert [p["id"] for p in client.get("/api/v1/postes/").json()["results"]] == [
        str(poste_sien.pk)
    ]
    assert client.get(f"/api/v1/structures-accueil/{autre.pk}/").status_code == 404
    assert client.get(f"/api/v1/postes/{poste_autre.pk}/").status_code == 404
    reponse = client.patch(
        f"/api/v1/postes/{poste_autre.pk}/",
        {"capacite": 5},
        format="json",
        HTTP_IF_MATCH=f'"{poste_autre.pk}.1"',
    )
    assert reponse.status_code == 404
    assert client.post(f"/api/v1/postes/{poste_autre.pk}/confirmation/").status_code == 404
    # Creating a post at another site: that site is unknown to him.
    reponse = client.post("/api/v1/postes/", _champs_poste(autre), format="json")
    assert reponse.status_code == 400 and "structure" in reponse.json()["champs"]
    reponse = client.post("/api/v1/postes/", _champs_poste(sien), format="json")
    assert reponse.status_code == 201, reponse.content
    assert reponse.json()["structure"] == str(sien.pk)
    poste_autre.refresh_from_db()
    assert poste_autre.capacite == 2 and poste_autre.version == 1


def test_directeur_reads_his_commune_and_writes_nothing() -> None:
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    dijon = f.poste(f.structure("21231"))
    chenove = f.poste(f.structure("21166"))
    client = client_pour(directeur)
    assert [p["id"] for p in client.get("/api/v1/postes/").json()["results"]] == [str(dijon.pk)]
    assert client.get(f"/api/v1/postes/{chenove.pk}/").status_code == 404
    reponse = client.patch(
        f"/api/v1/postes/{dijon.pk}/",
        {"capacite": 5},
        format="json",
        HTTP_IF_MATCH=f'"{dijon.pk}.1"',
    )
    assert reponse.status_code == 403
    assert client.post(f"/api/v1/postes/{dijon.pk}/confirmation/").status_code == 403
    assert client.post("/api/v1/postes/", {}, format="json").status_code == 403


@pytest.mark.parametrize("role", [Role.AUDITEUR, Role.COORDONNATEUR, Role.MEMBRE_CELLULE])
def test_roles_outside_tig_get_403(role: str) -> None:
    client = client_pour(f_composition.agent(role, communes=("21231",)))
    assert client.get("/api/v1/postes/").status_code == 403
    assert client.get("/api/v1/structures-accueil/").status_code == 403
    assert client.get("/api/v1/postes/geojson/").status_code == 403


def test_delegue_creates_and_updates_through_the_api(delegue: Any) -> None:
    client = client_pour(delegue)
    reponse = client.post("/api/v1/structures-accueil/", _corps_structure(), format="json")
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    assert corps["habilitee"] is True and reponse["ETag"] == f'"{corps["id"]}.1"'
    chemin = f"/api/v1/structures-accueil/{corps['id']}/"
    assert client.patch(chemin, {"nom": "Autre"}, format="json").status_code == 428
    perime = client.patch(chemin, {"nom": "Autre"}, format="json", HTTP_IF_MATCH='"x.9"')
    assert perime.status_code == 412
    bon = client.patch(chemin, {"nom": "Autre"}, format="json", HTTP_IF_MATCH=reponse["ETag"])
    assert bon.status_code == 200 and bon.json()["nom"] == "Autre" and bon.json()["version"] == 2


def test_coordinates_outside_metropolitan_france_are_refused(delegue: Any) -> None:
    client = client_pour(delegue)
    reponse = client.post(
        "/api/v1/structures-accueil/", _corps_structure(latitude="-21.11500"), format="json"
    )
    assert reponse.status_code == 400 and "latitude" in reponse.json()["champs"]
    assert not StructureAccueil.objects.exists()


def test_bad_schedule_and_unknown_activity_are_refused(delegue: Any) -> None:
    site = f.structure()
    client = client_pour(delegue)
    for champs, champ in (
        ({"creneaux": {"lundi": ["soir"]}}, "creneaux"),
        ({"creneaux": {"funday": ["matin"]}}, "creneaux"),
        ({"activite": "jonglage"}, "activite"),
        ({"natures": ["tnr", "tnr"]}, "natures"),
        ({"age_minimum": 15}, "age_minimum"),
    ):
        reponse = client.post("/api/v1/postes/", _champs_poste(site, **champs), format="json")
        assert reponse.status_code == 400 and champ in reponse.json()["champs"], champs
    assert not Poste.objects.exists()


def test_list_refuses_unknown_parameters_and_filters(delegue: Any) -> None:
    client = client_pour(delegue)
    dijon = f.poste(f.structure("21231"))
    f.poste(f.structure("21166"))
    assert client.get("/api/v1/postes/?inconnu=1").status_code == 400
    assert client.get("/api/v1/postes/?structure=pas-un-uuid").status_code == 400
    corps = client.get("/api/v1/postes/?commune=21231").json()
    assert [p["id"] for p in corps["results"]] == [str(dijon.pk)]


def test_stale_flag_in_the_api_and_confirmation(delegue: Any) -> None:
    referent = f.referent()
    poste = f.poste(
        f.structure(referents=(referent,)),
        confirme_le=timezone.localdate() - dt.timedelta(days=120),
        reference_tig360="TIG-21-0042",
    )
    client = client_pour(referent)
    corps = client.get(f"/api/v1/postes/{poste.pk}/").json()
    assert corps["perime"] is True and corps["reference_tig360"] == "TIG-21-0042"
    reponse = client.post(f"/api/v1/postes/{poste.pk}/confirmation/")
    assert reponse.status_code == 200
    assert reponse.json()["perime"] is False
    assert reponse.json()["confirme_le"] == timezone.localdate().isoformat()
    assert reponse["ETag"] == f'"{poste.pk}.2"'


# -- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_shape_and_no_personal_data(delegue: Any) -> None:
    referent = f.referent()
    site = f.structure(referents=(referent,))
    actif = f.poste(site, confirme_le=timezone.localdate() - dt.timedelta(days=100))
    f.poste(site, actif=False)
    reponse = client_pour(delegue).get("/api/v1/postes/geojson/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"].split(";")[0] == "application/geo+json"
    corps = json.loads(reponse.content)
    assert corps["type"] == "FeatureCollection"
    assert len(corps["features"]) == 1
    entite = corps["features"][0]
    assert entite["type"] == "Feature"
    assert entite["geometry"] == {
        "type": "Point",
        "coordinates": [float(actif.longitude), float(actif.latitude)],
    }
    assert set(entite["properties"]) == {
        "id",
        "activite",
        "activite_libelle",
        "structure",
        "commune",
        "commune_nom",
        "capacite",
        "natures",
        "age_minimum",
        "perime",
    }
    assert entite["properties"]["id"] == str(actif.pk)
    assert entite["properties"]["perime"] is True
    texte = reponse.content.decode()
    for valeur in (
        referent.first_name,
        referent.last_name,
        referent.email,
        referent.username,
        str(referent.pk),
        site.contact_courriel,
        site.contact_telephone,
    ):
        assert valeur not in texte
    assert client_pour(delegue).get("/api/v1/postes/geojson/?inconnu=1").status_code == 400


def test_creation_with_the_same_idempotency_key_creates_one_site(delegue: Any) -> None:
    client = client_pour(delegue)
    entetes: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": "1b7c3f5e-5d7a-4f0e-9a53-0d1f2e3c4b5a"}
    premiere = client.post(
        "/api/v1/structures-accueil/", _corps_structure(), format="json", **entetes
    )
    seconde = client.post(
        "/api/v1/structures-accueil/", _corps_structure(), format="json", **entetes
    )
    assert premiere.status_code == seconde.status_code == 201
    assert premiere.json()["id"] == seconde.json()["id"]
    assert StructureAccueil.objects.count() == 1


def test_revoked_referent_loses_his_site_at_the_next_request() -> None:
    referent = f.referent()
    site = f.structure(referents=(referent,))
    client = client_pour(referent)
    assert client.get(f"/api/v1/structures-accueil/{site.pk}/").status_code == 200
    referent.habilitations.update(revoquee_le=timezone.now())
    assert client.get(f"/api/v1/structures-accueil/{site.pk}/").status_code == 401
    assert not selectors.structures(referent).exists()


def test_post_commune_defaults_to_the_site_and_stays_in_its_ressort(delegue: Any) -> None:
    site = f.structure("21231")
    champs = _champs_poste(site)
    champs.pop("structure")
    poste = services.poste_creer(acteur=delegue, structure=site.pk, **champs)
    assert poste.commune_id == "21231"
    ailleurs = services.poste_creer(acteur=delegue, structure=site.pk, commune="21003", **champs)
    assert ailleurs.commune_id == "21003"
    f_acces.commune("99002", "Hors ressort")
    erreur = _erreur(
        lambda: services.poste_creer(acteur=delegue, structure=site.pk, commune="99002", **champs)
    )
    assert erreur.status_code == 400 and "commune" in erreur.champs
    geo = client_pour(delegue).get("/api/v1/postes/geojson/?commune=21003").json()
    assert [e["properties"]["commune"] for e in geo["features"]] == ["21003"]
