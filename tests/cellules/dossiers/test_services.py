"""Services and selectors: scope per role, grants with expiry, transitions, lost updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from acces.enums import Action, Role, TypeOrganisation
from cellules.dossiers import selectors, services
from cellules.dossiers.enums import (
    MotifCloture,
    Profil,
    SourceSignalement,
    StatutSituation,
    Transition,
)
from cellules.dossiers.models import AccesSituation, Situation
from socle.errors import ApiError
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f

pytestmark = pytest.mark.django_db
Monde = dict[str, Any]


@pytest.fixture
def monde() -> Monde:
    """Three cases: Dijon cell, Chenôve cell, CISPD cell (Dijon commune); and their staff."""
    coord_dijon = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    coord_cispd = f_composition.agent(Role.COORDONNATEUR, perimetre_cispd=True)
    dijon = f_composition.cellule("21231", coordonnateurs=(coord_dijon,))
    chenove = f_composition.cellule("21166", ressort="TJ Autre")
    cispd = f_composition.cellule(None, cispd=True, coordonnateurs=(coord_cispd,))
    return {
        "coord_dijon": coord_dijon,
        "coord_cispd": coord_cispd,
        "s_dijon": f.situation(dijon, profils=[]),
        "s_chenove": f.situation(chenove),
        "s_cispd": f.situation(cispd, commune="21452"),
    }


def _visibles(user: object) -> set[object]:
    return set(selectors.situations_visibles(user).values_list("pk", flat=True))


def test_B1_delegue_sees_the_cases_of_his_ressort(monde: Monde) -> None:
    delegue = f_composition.agent(
        Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET
    )
    assert _visibles(delegue) == {monde["s_dijon"].pk, monde["s_cispd"].pk}


def test_B1_directeur_sees_the_cases_of_his_commune_only(monde: Monde) -> None:
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    assert _visibles(directeur) == {monde["s_chenove"].pk}


def test_B1_coordonnateur_sees_the_cells_he_coordinates(monde: Monde) -> None:
    assert _visibles(monde["coord_dijon"]) == {monde["s_dijon"].pk}
    assert _visibles(monde["coord_cispd"]) == {monde["s_cispd"].pk}


@pytest.mark.parametrize(
    "role", [Role.MEMBRE_CELLULE, Role.REFERENT_ACCUEIL, Role.AUDITEUR, Role.ADMIN_TECHNIQUE]
)
def test_B1_other_roles_see_nothing_without_a_grant(monde: Monde, role: str) -> None:
    assert _visibles(f_composition.agent(role, communes=("21231",))) == set()


def test_B3_counts_are_computed_on_permitted_rows_without_duplicates(monde: Monde) -> None:
    cell = monde["s_dijon"].cellule
    autre_coord = f_composition.agent(Role.COORDONNATEUR)
    cell.coordonnateurs.add(autre_coord)
    for _ in range(3):
        f.situation(cell)
    assert selectors.situations_visibles(monde["coord_dijon"]).count() == 4


def test_B10_grant_gives_read_until_it_expires(monde: Monde) -> None:
    membre = f_composition.agent(Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.PJJ)
    cible = monde["s_chenove"]
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR, ressort="TJ Autre")
    echeance = timezone.now() + dt.timedelta(days=10)
    services.acces_accorder(situation=cible, utilisateur=membre, jusqu_au=echeance, acteur=delegue)
    assert _visibles(membre) == {cible.pk}
    assert not Situation.objects.restrict(membre, Action.MODIFIER).exists()
    with time_machine.travel(echeance + dt.timedelta(seconds=1), tick=False):
        assert _visibles(membre) == set()


def test_B10_withdrawn_grant_stops_at_once(monde: Monde) -> None:
    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    cible = monde["s_dijon"]
    services.acces_accorder(
        situation=cible, utilisateur=membre, jusqu_au=None, acteur=monde["coord_dijon"]
    )
    assert _visibles(membre) == {cible.pk}
    services.acces_retirer(situation=cible, utilisateur=membre, acteur=monde["coord_dijon"])
    assert _visibles(membre) == set()
    assert not AccesSituation.objects.exists()


def test_B2_grant_on_a_case_outside_the_actor_scope_is_not_found(monde: Monde) -> None:
    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    with pytest.raises(ApiError) as erreur:
        services.acces_accorder(
            situation=monde["s_chenove"],
            utilisateur=membre,
            jusqu_au=None,
            acteur=monde["coord_dijon"],
        )
    assert erreur.value.status_code == 404
    assert not AccesSituation.objects.exists()


def test_grant_in_the_past_is_refused(monde: Monde) -> None:
    with pytest.raises(ApiError) as erreur:
        services.acces_accorder(
            situation=monde["s_dijon"],
            utilisateur=f_composition.agent(Role.MEMBRE_CELLULE),
            jusqu_au=timezone.now() - dt.timedelta(minutes=1),
            acteur=monde["coord_dijon"],
        )
    assert erreur.value.status_code == 400


def test_full_lifecycle_through_services(monde: Monde) -> None:
    acteur = monde["coord_dijon"]
    s = monde["s_dijon"]
    s = services.situation_inscrire(situation=s, version=1, acteur=acteur)
    s = services.situation_suivre(situation=s, version=2, acteur=acteur)
    s = services.situation_cloturer(
        situation=s, motif=MotifCloture.OBJECTIFS_ATTEINTS, version=3, acteur=acteur
    )
    assert (s.statut, s.version, s.cloturee_le) == (
        StatutSituation.CLOTUREE,
        4,
        timezone.localdate(),
    )
    s = services.situation_archiver(situation=s, version=4, acteur=acteur)
    assert s.statut == StatutSituation.ARCHIVEE
    assert _visibles(acteur) == set()


@pytest.mark.parametrize(
    ("transition", "statut"),
    [
        (Transition.SUIVRE, StatutSituation.SIGNALEE),
        (Transition.ARCHIVER, StatutSituation.SUIVIE),
        (Transition.INSCRIRE, StatutSituation.CLOTUREE),
    ],
)
def test_refused_transitions_change_nothing(monde: Monde, transition: str, statut: str) -> None:
    s = monde["s_dijon"]
    Situation.objects.filter(pk=s.pk).update(statut=statut)
    with pytest.raises(ApiError) as erreur:
        services.situation_transitionner(
            situation=s, transition=transition, version=1, acteur=monde["coord_dijon"]
        )
    assert erreur.value.status_code == 409
    relue = Situation.objects.get(pk=s.pk)
    assert (relue.statut, relue.version) == (statut, 1)


def test_closing_needs_a_closed_list_reason(monde: Monde) -> None:
    with pytest.raises(ApiError) as erreur:
        services.situation_cloturer(
            situation=monde["s_dijon"], motif="parce que", version=1, acteur=monde["coord_dijon"]
        )
    assert erreur.value.champs == {"motif_cloture": [erreur.value.champs["motif_cloture"][0]]}
    assert Situation.objects.get(pk=monde["s_dijon"].pk).statut == StatutSituation.SIGNALEE


def test_F1_stale_version_is_refused_and_nothing_changes(monde: Monde) -> None:
    acteur = monde["coord_dijon"]
    s = monde["s_dijon"]
    services.situation_modifier(situation=s, version=1, acteur=acteur, profils=[Profil.REITERANT])
    with pytest.raises(ApiError) as erreur:
        services.situation_modifier(
            situation=s, version=1, acteur=acteur, profils=[Profil.RECIDIVISTE]
        )
    assert erreur.value.status_code == 412
    relue = Situation.objects.get(pk=s.pk)
    assert (relue.profils, relue.version) == ([Profil.REITERANT], 2)


def test_B5_directeur_reads_but_does_not_write(monde: Monde) -> None:
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    with pytest.raises(ApiError) as erreur:
        services.situation_modifier(
            situation=monde["s_dijon"], version=1, acteur=directeur, profils=[]
        )
    assert erreur.value.status_code == 404


def test_profiles_are_a_closed_list(monde: Monde) -> None:
    with pytest.raises(ApiError):
        services.situation_modifier(
            situation=monde["s_dijon"],
            version=1,
            acteur=monde["coord_dijon"],
            profils=["dangereux"],
        )


def test_person_then_case_creation_by_a_coordinator(monde: Monde) -> None:
    acteur = monde["coord_dijon"]
    ident = f.identite()
    personne = services.personne_creer(**vars(ident), acteur=acteur)
    assert selectors.personne_visible(acteur, personne.pk) == personne
    situation = services.situation_creer(
        personne=personne,
        cellule=monde["s_dijon"].cellule,
        source=SourceSignalement.BAILLEUR_SOCIAL,
        profils=[Profil.RECIDIVISTE, Profil.EXPOSE_AUX_RISQUES, Profil.RECIDIVISTE],
        observation="  ",
        acteur=acteur,
    )
    assert situation.profils == [Profil.EXPOSE_AUX_RISQUES, Profil.RECIDIVISTE]
    assert situation.observation is None
    assert (situation.commune_id, situation.ressort) == ("21231", "tj-dijon")
    assert situation.cle_id == personne.cle_id


def test_B2_case_in_a_cell_the_actor_does_not_run_is_refused(monde: Monde) -> None:
    acteur = monde["coord_dijon"]
    personne = services.personne_creer(**vars(f.identite()), acteur=acteur)
    with pytest.raises(ApiError) as erreur:
        services.situation_creer(
            personne=personne,
            cellule=monde["s_chenove"].cellule,
            source=SourceSignalement.AUTRE,
            profils=[],
            observation=None,
            acteur=acteur,
        )
    assert erreur.value.status_code == 404
    assert not Situation.objects.filter(personne=personne).exists()


def test_B4_duplicate_detected_within_scope_only(monde: Monde) -> None:
    ident = f.identite()
    dedans = f.personne(ident)
    f.situation(monde["s_dijon"].cellule, dedans)
    dehors = f.Identite("Dupont", "Jean-Pierre", dt.date(2009, 5, 4))
    f.situation(monde["s_chenove"].cellule, f.personne(dehors))
    acteur = monde["coord_dijon"]
    with pytest.raises(ApiError) as erreur:
        services.personne_creer(**vars(ident), acteur=acteur)
    assert erreur.value.status_code == 409
    variante = {**vars(dehors), "nom": " DUPONT ", "prenom": "jean pierre"}
    assert (
        list(selectors.personnes_recherche(acteur, "dupont", "JEAN PIERRE", dehors.date_naissance))
        == []
    )
    services.personne_creer(**variante, acteur=acteur)


def test_search_folds_case_accents_and_hyphens(monde: Monde) -> None:
    ident = f.Identite("N'Diaye", "Élodie-Anne", dt.date(2011, 1, 2))
    personne = f.personne(ident)
    f.situation(monde["s_dijon"].cellule, personne)
    trouvees = selectors.personnes_recherche(
        monde["coord_dijon"], "ndiaye", "elodie anne", dt.date(2011, 1, 2)
    )
    assert list(trouvees) == [personne]


@pytest.mark.parametrize("role", [Role.DIRECTEUR_TRANQUILLITE, Role.MEMBRE_CELLULE])
def test_B5_only_coordinators_and_delegates_register_persons(role: str) -> None:
    with pytest.raises(ApiError) as erreur:
        services.personne_creer(
            **vars(f.identite()), acteur=f_composition.agent(role, communes=("21231",))
        )
    assert erreur.value.status_code == 403


def test_B10_grants_are_guardian_direct_foreign_key_rows(monde: Monde) -> None:
    from guardian.utils import get_user_obj_perms_model

    assert get_user_obj_perms_model(monde["s_dijon"]) is AccesSituation
    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    acces = services.acces_accorder(
        situation=monde["s_dijon"], utilisateur=membre, jusqu_au=None, acteur=monde["coord_dijon"]
    )
    assert (acces.content_object, acces.permission.codename) == (monde["s_dijon"], "view_situation")


def test_B10_a_global_view_permission_grants_nothing(monde: Monde) -> None:
    from django.contrib.auth.models import Permission

    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    membre.user_permissions.add(Permission.objects.get(codename="view_situation"))
    assert _visibles(membre) == set()
