"""Exclusions last until lifted; lifting is explicit, logged and needs a second person.

Found in a review: ``utilisateur_exclure`` and ``membre_exclure`` acted once. Right after, the
coordinator could add the person back as a member and the administrator grant him a new role.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from acces.enums import MotifExclusion, MotifLevee, Role
from acces.models import Exclusion, Habilitation, Utilisateur
from acces.services import utilisateur_exclure
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from cellules.composition.models import Cellule, MembreCellule
from cellules.composition.services import membre_exclure
from tests.acces.factories import entete_otp
from tests.cellules.composition import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/exclusions/"
HABILITATIONS = "/api/v1/habilitations/"
MOTIF = MotifExclusion.MANQUEMENT_CHARTE


@pytest.fixture
def coord() -> Utilisateur:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Utilisateur) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


@pytest.fixture
def admin() -> Utilisateur:
    return f.agent(Role.ADMIN_TECHNIQUE)


@pytest.fixture
def admin2() -> Utilisateur:
    return f.agent(Role.ADMIN_TECHNIQUE)


def _membre(cell: Cellule) -> MembreCellule:
    user = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    assert user.organisation is not None
    return MembreCellule.objects.create(
        cellule=cell, utilisateur=user, organisation=user.organisation, fonction="éducateur"
    )


def _ajouter(coord: Any, cell: Cellule, user: Utilisateur) -> Any:
    client = coord if isinstance(coord, APIClient) else client_pour(coord)
    return client.post(
        f"/api/v1/cellules/{cell.pk}/membres/",
        {"utilisateur": str(user.pk), "fonction": "éducateur"},
        format="json",
    )


def _accorder(admin: Utilisateur, cible: Utilisateur, client: Any = None, otp: Any = None) -> Any:
    return (client or client_pour(admin)).post(
        HABILITATIONS,
        {"utilisateur": str(cible.pk), "role": Role.MEMBRE_CELLULE, "communes": ["21166"]},
        format="json",
        **(otp or entete_otp(admin)),
    )


def _lever(acteur: Utilisateur, exclusion: Any, otp: bool = True, **corps: Any) -> Any:
    entetes: dict[str, Any] = entete_otp(acteur) if otp else {}
    donnees = {"motif": MotifLevee.EXCLUSION_ERRONEE, **corps}
    return client_pour(acteur).post(
        f"{URL}{exclusion.pk}/levee/", donnees, format="json", **entetes
    )


def _exclusion_cellule(coord: Utilisateur, cell: Cellule) -> tuple[Exclusion, Utilisateur]:
    membre = _membre(cell)
    exclusion, _ = membre_exclure(utilisateur_id=membre.utilisateur_id, motif=MOTIF, acteur=coord)
    return exclusion, membre.utilisateur


def _inchange() -> dict[str, tuple[int, str]]:
    # Each request writes its own access-log rows and token activity.
    return db_snapshot(
        exclure=(
            "audit_evenementacces",
            "audit_tetechaine",
            "acces_jetonapi",
            "acces_appareiltotp",
            "django_session",
        )
    )


def test_a_member_excluded_from_a_cell_cannot_be_added_back_until_lifted(
    coord: Utilisateur, cell: Cellule
) -> None:
    """The reproduction: right after the exclusion, adding him back answered 201."""
    _, user = _exclusion_cellule(coord, cell)
    client = client_pour(coord)
    avant = _inchange()
    body = assert_erreur_json(_ajouter(client, cell, user), 409, "membre_exclu")
    assert "levée" in body["message"]
    assert _inchange() == avant
    assert not MembreCellule.objects.filter(utilisateur=user, actif=True).exists()
    # Another cell, which the exclusion does not cover, takes him.
    autre = f.cellule("21166", coordonnateurs=(coord,))
    assert _ajouter(coord, autre, user).status_code == 201


def test_a_platform_exclusion_blocks_every_cell_and_every_new_habilitation(
    coord: Utilisateur, cell: Cellule, admin: Utilisateur
) -> None:
    """The reproduction: a new habilitation answered 201 right after the exclusion."""
    user = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    utilisateur_exclure(utilisateur=user, motif=MOTIF, acteur=admin)
    par_admin, par_coord, otp = client_pour(admin), client_pour(coord), entete_otp(admin)
    avant = _inchange()
    assert_erreur_json(_accorder(admin, user, par_admin, otp), 409, "utilisateur_exclu")
    assert_erreur_json(_ajouter(par_coord, cell, user), 409, "membre_exclu")
    assert _inchange() == avant
    assert not Habilitation.objects.filter(utilisateur=user, revoquee_le__isnull=True).exists()
    refus = EvenementAcces.objects.filter(raison=Raison.UTILISATEUR_EXCLU, resultat=Resultat.REFUSE)
    assert refus.count() == 1


def test_a_cell_exclusion_does_not_block_a_new_habilitation(
    coord: Utilisateur, cell: Cellule, admin: Utilisateur
) -> None:
    _, user = _exclusion_cellule(coord, cell)
    assert _accorder(admin, user).status_code == 201


def test_the_administrator_lifts_a_platform_exclusion_then_grants_again(
    coord: Utilisateur, cell: Cellule, admin: Utilisateur, admin2: Utilisateur
) -> None:
    user = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    exclusion = utilisateur_exclure(utilisateur=user, motif=MOTIF, acteur=admin)
    # Who pronounced it never lifts it; the refusal is logged.
    assert_erreur_json(_lever(admin, exclusion), 403, "levee_par_un_tiers")
    exclusion.refresh_from_db()
    assert exclusion.levee_le is None

    reponse = _lever(admin2, exclusion, motif=MotifLevee.REPRISE_DE_FONCTION)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert corps["levee_par"] == str(admin2.pk)
    assert corps["motif_levee"] == MotifLevee.REPRISE_DE_FONCTION
    assert corps["levee_le"] is not None
    evenements = EvenementAcces.objects.filter(
        action=ActionAcces.SECURITE, raison=Raison.EXCLUSION_LEVEE
    )
    assert sorted(evenements.values_list("utilisateur_id", "resultat", "objet_id")) == sorted(
        [
            (admin.pk, Resultat.REFUSE, str(exclusion.pk)),
            (admin2.pk, Resultat.AUTORISE, str(exclusion.pk)),
        ]
    )
    # Lifting twice: 409, nothing changes.
    assert_erreur_json(_lever(admin2, exclusion), 409, "exclusion_levee")
    # Granting works again; once approved, he may sit in a cell again.
    accord = _accorder(admin, user)
    assert accord.status_code == 201, accord.content
    Habilitation.objects.filter(pk=accord.json()["id"]).update(
        approuvee_le=timezone.now(), approuvee_par=admin2
    )
    assert _ajouter(coord, cell, user).status_code == 201


def test_another_coordinator_of_a_covered_cell_lifts_a_cell_exclusion(
    coord: Utilisateur, cell: Cellule
) -> None:
    exclusion, user = _exclusion_cellule(coord, cell)
    collegue = f.agent(Role.COORDONNATEUR, communes=("21166",))
    cell.coordonnateurs.add(collegue)
    etranger = f.agent(Role.COORDONNATEUR, communes=("21166",))
    f.cellule("21166", coordonnateurs=(etranger,))

    assert_erreur_json(_lever(coord, exclusion), 403, "levee_par_un_tiers")
    # A coordinator of other cells does not see it.
    assert_erreur_json(_lever(etranger, exclusion), 404, "introuvable")
    # Step-up first, like the approval of a habilitation.
    assert_erreur_json(_lever(collegue, exclusion, otp=False), 403, "verification_requise")
    exclusion.refresh_from_db()
    assert exclusion.levee_le is None

    reponse = _lever(collegue, exclusion)
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["cellules"] == [str(cell.pk)]
    assert _ajouter(coord, cell, user).status_code == 201
    assert_erreur_json(_lever(collegue, exclusion), 409, "exclusion_levee")


def test_the_excluded_person_never_lifts_his_own_exclusion(
    coord: Utilisateur, cell: Cellule
) -> None:
    """A coordinator may sit as a member in a colleague's cell, and be excluded from it."""
    cible = f.agent(Role.COORDONNATEUR, communes=("21166",))
    assert cible.organisation is not None
    MembreCellule.objects.create(
        cellule=cell, utilisateur=cible, organisation=cible.organisation, fonction="chef"
    )
    exclusion, _ = membre_exclure(utilisateur_id=cible.pk, motif=MOTIF, acteur=coord)
    cell.coordonnateurs.add(cible)
    assert_erreur_json(_lever(cible, exclusion), 403, "levee_par_un_tiers")
    exclusion.refresh_from_db()
    assert exclusion.levee_le is None


@pytest.mark.parametrize(
    "role",
    [Role.DELEGUE_PROCUREUR, Role.MEMBRE_CELLULE, Role.AUDITEUR, Role.DIRECTEUR_TRANQUILLITE],
)
def test_other_roles_neither_list_nor_lift(coord: Utilisateur, cell: Cellule, role: str) -> None:
    exclusion, _ = _exclusion_cellule(coord, cell)
    acteur = f.agent(role, communes=("21166",))
    assert_erreur_json(_lever(acteur, exclusion), 403)
    assert_erreur_json(client_pour(acteur).get(URL), 403)


def test_the_list_shows_what_each_may_lift(
    coord: Utilisateur, cell: Cellule, admin: Utilisateur
) -> None:
    exclusion, user = _exclusion_cellule(coord, cell)
    plateforme = utilisateur_exclure(
        utilisateur=f.agent(Role.MEMBRE_CELLULE), motif=MOTIF, acteur=admin
    )
    etranger = f.agent(Role.COORDONNATEUR, communes=("21166",))

    tout = client_pour(admin).get(URL)
    assert tout.status_code == 200, tout.content
    assert {e["id"] for e in tout.json()["results"]} == {str(exclusion.pk), str(plateforme.pk)}
    siennes = client_pour(coord).get(URL).json()
    assert [e["id"] for e in siennes["results"]] == [str(exclusion.pk)]
    ligne = siennes["results"][0]
    assert (ligne["utilisateur"], ligne["par"], ligne["cellules"], ligne["levee_le"]) == (
        str(user.pk),
        str(coord.pk),
        [str(cell.pk)],
        None,
    )
    assert client_pour(etranger).get(URL).json()["count"] == 0


def test_the_database_refuses_a_lift_by_its_author() -> None:
    admin = f.agent(Role.ADMIN_TECHNIQUE)
    exclusion = utilisateur_exclure(
        utilisateur=f.agent(Role.MEMBRE_CELLULE), motif=MOTIF, acteur=admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Exclusion.objects.filter(pk=exclusion.pk).update(
            levee_le=timezone.now(), levee_par=admin, motif_levee=MotifLevee.AUTRE
        )
