"""Scopes, charters, exclusions and the category matrix (B2, B3, B10, A11)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import serializers

from acces import selectors, services
from acces.api.categories import ChampsParCategorie, contexte_de_rendu
from acces.enums import Action, CategorieInformation, MotifExclusion, Role, TypeOrganisation
from acces.models import Charte, Habilitation, Organisation
from acces.perimetre import perimetre_de
from tests.matrice.personas import client_pour, creer_utilisateur

pytestmark = pytest.mark.django_db

DONNEES = "/test/donnees/"


@pytest.fixture
def charte():
    return Charte.objects.create(version=1, titre="Charte", texte="Texte.")


def _sans_request_id(content: bytes) -> dict[str, object]:
    body = json.loads(content)
    body.pop("request_id")
    return body


def test_B2_other_organisation_answers_like_a_missing_one():
    user = creer_utilisateur("directeur_tranquillite")
    autre = Organisation.objects.create(nom="Autre", type=TypeOrganisation.CCAS)
    client = client_pour(user)
    cachee = client.get(f"/api/v1/organisations/{autre.pk}/")
    absente = client.get(f"/api/v1/organisations/{uuid.uuid4()}/")
    assert cachee.status_code == absente.status_code == 404
    assert _sans_request_id(cachee.content) == _sans_request_id(absente.content)
    assert client.get(f"/api/v1/organisations/{user.organisation_id}/").status_code == 200


def test_B3_list_holds_only_permitted_rows():
    user = creer_utilisateur("coordonnateur")
    Organisation.objects.create(nom="Invisible 1", type=TypeOrganisation.CCAS)
    Organisation.objects.create(nom="Invisible 2", type=TypeOrganisation.PJJ)
    body = client_pour(user).get("/api/v1/organisations/").json()
    assert [o["id"] for o in body] == [str(user.organisation_id)]
    admin = creer_utilisateur("admin_technique")
    assert (
        len(client_pour(admin).get("/api/v1/organisations/").json()) == Organisation.objects.count()
    )


def test_restrict_gives_nothing_to_anonymous_and_write_only_to_admin():
    user = creer_utilisateur("delegue_procureur")
    assert not Organisation.objects.restrict(None, Action.LIRE).exists()
    assert not Organisation.objects.restrict(user, Action.MODIFIER).exists()
    assert Organisation.objects.restrict(user, Action.LIRE).count() == 1


@pytest.mark.urls("tests.acces.urls_donnees")
def test_charter_not_accepted_blocks_personal_data(charte):
    user = creer_utilisateur("delegue_procureur")
    client = client_pour(user)
    refus = client.get(DONNEES)
    assert refus.status_code == 403
    assert refus.json()["code"] == "charte_non_acceptee"
    assert client.post("/api/v1/chartes/courante/acceptation/").status_code == 201
    assert client.get(DONNEES).status_code == 200


@pytest.mark.urls("tests.acces.urls_donnees")
def test_new_charter_version_must_be_accepted_again(charte):
    user = creer_utilisateur("membre_cellule")
    admin = creer_utilisateur("admin_technique")
    services.charte_accepter(charte=charte, acteur=user)
    client = client_pour(user)
    assert client.get(DONNEES).status_code == 200
    publiee = client_pour(admin).post(
        "/api/v1/chartes/", {"titre": "Révision", "texte": "Nouveau texte."}, format="json"
    )
    assert publiee.status_code == 201 and publiee.json()["version"] == 2
    assert client.get(DONNEES).json()["code"] == "charte_non_acceptee"
    courante = client.get("/api/v1/chartes/courante/").json()
    assert (courante["version"], courante["acceptee"]) == (2, False)


@pytest.mark.urls("tests.acces.urls_donnees")
def test_no_charter_in_force_fails_closed():
    user = creer_utilisateur("delegue_procureur")
    assert client_pour(user).get(DONNEES).json()["code"] == "charte_non_acceptee"


@pytest.mark.urls("tests.acces.urls_donnees")
@pytest.mark.parametrize("persona", ["auditeur", "admin_technique"])
def test_B5_auditor_and_it_admin_never_reach_personal_data(persona, charte):
    user = creer_utilisateur(persona)
    services.charte_accepter(charte=charte, acteur=user)
    assert client_pour(user).get(DONNEES).status_code == 403


@pytest.mark.urls("tests.acces.urls_donnees")
def test_A11_exclusion_takes_effect_on_the_next_request(charte):
    membre = creer_utilisateur("membre_cellule")
    # Platform-wide exclusion is the technical administrator's (a coordinator's is per cell).
    admin = creer_utilisateur("admin_technique")
    services.charte_accepter(charte=charte, acteur=membre)
    client = client_pour(membre)
    assert client.get(DONNEES).status_code == 200
    response = client_pour(admin).post(
        "/api/v1/exclusions/",
        {"utilisateur": str(membre.pk), "motif": MotifExclusion.MANQUEMENT_CHARTE},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(DONNEES).status_code == 401
    assert not Habilitation.objects.actives().filter(utilisateur=membre).exists()


@pytest.mark.urls("tests.acces.urls_donnees")
def test_B10_revoked_habilitation_applies_immediately(charte):
    user = creer_utilisateur("directeur_tranquillite")
    services.charte_accepter(charte=charte, acteur=user)
    client = client_pour(user)
    assert client.get(DONNEES).status_code == 200
    admin = client_pour(creer_utilisateur("admin_technique"))
    habilitation = user.habilitations.get()
    assert admin.post(f"/api/v1/habilitations/{habilitation.pk}/revocation/").status_code == 200
    assert client.get(DONNEES).status_code == 401


def test_expired_habilitation_gives_no_scope():
    user = creer_utilisateur("delegue_procureur")
    user.habilitations.update(
        fin=timezone.now() - timedelta(seconds=1),
        debut=timezone.now() - timedelta(days=2),
    )
    assert perimetre_de(user).vide


def test_category_matrix_drives_serialised_fields(rf):
    class Fiche(ChampsParCategorie, serializers.Serializer):
        categories_des_champs = {
            "nom": CategorieInformation.IDENTITE,
            "scolarite": CategorieInformation.SCOLARITE_FAMILLE,
            "antecedents": CategorieInformation.ANTECEDENTS_JUDICIAIRES,
        }
        champs_references = frozenset({"id"})
        id = serializers.CharField()
        nom = serializers.CharField()
        scolarite = serializers.CharField()
        antecedents = serializers.CharField()
        oublie = serializers.CharField()

    fiche = {"id": "1", "nom": "n", "scolarite": "s", "antecedents": "a", "oublie": "o"}

    def champs(persona: str) -> set[str]:
        request = rf.get("/")
        request.user = creer_utilisateur(persona)
        return set(Fiche(fiche, context=contexte_de_rendu(request, None)).data)

    assert champs("delegue_procureur") == {"id", "nom", "scolarite", "antecedents"}
    # Fail closed: a serializer used outside the doorway's context renders nothing at all.
    with pytest.raises(ImproperlyConfigured, match="porte unique"):
        Fiche(fiche).data  # noqa: B018
    assert champs("referent_accueil") == {"id", "nom"}
    assert champs("membre_cellule") == {"id", "nom", "scolarite", "antecedents"}  # PJJ
    assert champs("auditeur") == {"id"}
    # Issue 9, item 6: a field declared in no mapping is never shown (fail closed).
    assert "oublie" not in champs("delegue_procureur")


def test_category_matrix_can_be_replaced_by_the_it_admin():
    admin = client_pour(creer_utilisateur("admin_technique"))
    response = admin.put(
        "/api/v1/categories-information/",
        {"autorisations": {"bailleur_social": ["identite"]}},
        format="json",
    )
    assert response.status_code == 200
    assert selectors.matrice_categories() == {"bailleur_social": ["identite"]}
    refus = admin.put(
        "/api/v1/categories-information/",
        {"autorisations": {"inconnu": ["identite"]}},
        format="json",
    )
    assert refus.status_code == 400
    assert selectors.matrice_categories() == {"bailleur_social": ["identite"]}


def test_role_enum_is_the_one_of_the_design():
    assert set(Role.values) == {
        "delegue_procureur",
        "directeur_tranquillite",
        "coordonnateur",
        "membre_cellule",
        "referent_accueil",
        "conseiller_execution",
        "auditeur",
        "admin_technique",
    }


def test_B10_no_account_can_be_superuser():
    from django.db import IntegrityError, transaction

    user = creer_utilisateur("admin_technique")
    user.is_superuser = True
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()
