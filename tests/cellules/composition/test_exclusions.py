"""Exclusions (issue 9, item 1): a coordinator excludes members of his own cells only.

Found from outside: ``POST /api/v1/exclusions/`` checked the caller's role only, so any
coordinator could exclude anyone on the platform (a director of another commune, the délégué,
the auditor, every administrator), revoking all of their habilitations, sessions and tokens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import MotifExclusion, PorteeExclusion, Role, TypeOrganisation
from acces.models import Exclusion, Habilitation
from audit.enums import ActionAcces, Raison
from audit.models import EvenementAcces
from cellules.composition.models import Cellule, ExclusionCellule, MembreCellule
from cellules.dossiers import services
from cellules.dossiers.models import AccesSituation
from tests.cellules.composition import factories as f
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/exclusions/"
MOTIF = MotifExclusion.MANQUEMENT_CHARTE


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


def _membre(cell: Cellule, role: str = Role.MEMBRE_CELLULE, **agent: Any) -> MembreCellule:
    user = f.agent(role, communes=("21166",), **agent)
    assert user.organisation is not None
    return MembreCellule.objects.create(
        cellule=cell, utilisateur=user, organisation=user.organisation, fonction="éducateur"
    )


def _exclure(acteur: Any, cible: Any, **corps: Any) -> Any:
    donnees = {"utilisateur": str(getattr(cible, "pk", cible)), "motif": MOTIF, **corps}
    return client_pour(acteur).post(URL, donnees, format="json")


def _intact(user: Any) -> None:
    assert not Exclusion.objects.filter(utilisateur=user).exists()
    assert Habilitation.objects.actives().filter(utilisateur=user).exists()


@pytest.mark.parametrize(
    ("role", "communes"),
    [
        (Role.DIRECTEUR_TRANQUILLITE, ("21231",)),
        (Role.DELEGUE_PROCUREUR, ()),
        (Role.AUDITEUR, ()),
        (Role.ADMIN_TECHNIQUE, ()),
        (Role.COORDONNATEUR, ("21231",)),
        (Role.MEMBRE_CELLULE, ("21166",)),
    ],
)
def test_item1_coordinator_cannot_exclude_someone_outside_his_cells(
    coord: Any, cell: Cellule, role: str, communes: tuple[str, ...]
) -> None:
    """The reproduction: every one of these answered 201 and lost every role."""
    cible = f.agent(role, communes=communes)
    # Even as a member of another coordinator's cell.
    autre = f.cellule("21166")
    assert cible.organisation is not None
    MembreCellule.objects.create(
        cellule=autre, utilisateur=cible, organisation=cible.organisation, fonction="chef"
    )
    body = assert_erreur_json(_exclure(coord, cible), 404, "introuvable")
    assert str(cible.pk) not in str(body)
    _intact(cible)


def test_item1_unknown_id_answers_404_without_echo(coord: Any, cell: Cellule) -> None:
    inconnu = uuid.uuid4()
    response = _exclure(coord, inconnu)
    body = assert_erreur_json(response, 404, "introuvable")
    assert str(inconnu) not in response.content.decode()
    assert body["message"] == "Utilisateur introuvable."
    # Malformed ids are a 400 on the field, without echo either.
    mal = client_pour(coord).post(URL, {"utilisateur": "x<script>", "motif": MOTIF}, format="json")
    assert "utilisateur" in assert_erreur_json(mal, 400)["champs"]
    assert "script" not in mal.content.decode()


@pytest.mark.parametrize("role", [Role.DELEGUE_PROCUREUR, Role.AUDITEUR, Role.ADMIN_TECHNIQUE])
def test_item1_parquet_auditors_and_admins_are_never_excluded_by_a_coordinator(
    coord: Any, cell: Cellule, role: str
) -> None:
    """Even when they sit in the coordinator's own cell."""
    membre = _membre(cell, role)
    assert_erreur_json(_exclure(coord, membre.utilisateur), 404, "introuvable")
    membre.refresh_from_db()
    assert membre.actif
    _intact(membre.utilisateur)


def test_item1_parquet_organisation_is_never_excluded_by_a_coordinator(
    coord: Any, cell: Cellule
) -> None:
    membre = _membre(cell, type_organisation=TypeOrganisation.PARQUET)
    assert_erreur_json(_exclure(coord, membre.utilisateur), 404, "introuvable")
    _intact(membre.utilisateur)


def test_item1_coordinator_excludes_a_member_from_his_cells_only(coord: Any, cell: Cellule) -> None:
    membre = _membre(cell)
    user = membre.utilisateur
    demain = timezone.now() + dt.timedelta(days=1)
    ici = f_dossiers.situation(cell)
    services.acces_accorder(situation=ici, utilisateur=user, jusqu_au=demain, acteur=coord)
    # He also sits in a cell of another coordinator, which keeps him.
    autre_coord = f.agent(Role.COORDONNATEUR, communes=("21166",))
    ailleurs = f.cellule("21166", coordonnateurs=(autre_coord,))
    assert user.organisation is not None
    garde = MembreCellule.objects.create(
        cellule=ailleurs, utilisateur=user, organisation=user.organisation, fonction="x"
    )
    ailleurs_cas = f_dossiers.situation(ailleurs)
    garde_acces = services.acces_accorder(
        situation=ailleurs_cas, utilisateur=user, jusqu_au=demain, acteur=autre_coord
    )

    response = _exclure(coord, user)
    assert response.status_code == 201, response.content
    corps = response.json()
    assert corps["portee"] == PorteeExclusion.CELLULES
    assert corps["cellules"] == [str(cell.pk)]
    exclusion = Exclusion.objects.get(pk=corps["id"])
    assert list(
        ExclusionCellule.objects.filter(exclusion=exclusion).values_list("cellule", flat=True)
    ) == [cell.pk]
    membre.refresh_from_db()
    garde.refresh_from_db()
    assert (membre.actif, garde.actif) == (False, True)
    assert set(AccesSituation.objects.filter(user=user).values_list("pk", flat=True)) == {
        garde_acces.pk
    }
    # His habilitation stands: he was excluded from the cell, not from the platform.
    assert Habilitation.objects.actives().filter(utilisateur=user).exists()
    evenement = EvenementAcces.objects.get(raison=Raison.UTILISATEUR_EXCLU)
    assert (evenement.action, evenement.utilisateur_id, evenement.objet_id) == (
        ActionAcces.SECURITE,
        coord.pk,
        str(exclusion.pk),
    )


def test_item1_named_cells_must_all_be_his(coord: Any, cell: Cellule) -> None:
    membre = _membre(cell)
    autre = f.cellule("21166")
    assert membre.utilisateur.organisation is not None
    MembreCellule.objects.create(
        cellule=autre,
        utilisateur=membre.utilisateur,
        organisation=membre.utilisateur.organisation,
        fonction="x",
    )
    reponse = _exclure(coord, membre.utilisateur, cellules=[str(cell.pk), str(autre.pk)])
    assert_erreur_json(reponse, 404, "introuvable")
    assert MembreCellule.objects.filter(utilisateur=membre.utilisateur, actif=True).count() == 2
    ok = _exclure(coord, membre.utilisateur, cellules=[str(cell.pk)])
    assert ok.status_code == 201, ok.content


def test_item1_withdrawn_member_is_not_a_member(coord: Any, cell: Cellule) -> None:
    membre = _membre(cell)
    MembreCellule.objects.filter(pk=membre.pk).update(actif=False)
    assert_erreur_json(_exclure(coord, membre.utilisateur), 404, "introuvable")


def test_item1_admin_excludes_from_the_whole_platform_and_logs_it() -> None:
    admin = f.agent(Role.ADMIN_TECHNIQUE)
    cible = f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    habilitation = cible.habilitations.get()
    client = client_pour(cible)
    assert client.get("/api/v1/auth/moi/").status_code == 200
    response = _exclure(admin, cible)
    assert response.status_code == 201, response.content
    assert response.json()["portee"] == PorteeExclusion.PLATEFORME
    assert client.get("/api/v1/auth/moi/").status_code == 401
    assert not Habilitation.objects.actives().filter(utilisateur=cible).exists()
    raisons = set(
        EvenementAcces.objects.filter(action=ActionAcces.SECURITE).values_list("raison", "objet_id")
    )
    exclusion = Exclusion.objects.get(utilisateur=cible)
    assert raisons >= {
        (Raison.UTILISATEUR_EXCLU, str(exclusion.pk)),
        (Raison.HABILITATION_REVOQUEE, str(habilitation.pk)),
    }
    assert_erreur_json(_exclure(admin, uuid.uuid4()), 404, "introuvable")
    refus = _exclure(admin, cible, cellules=[str(uuid.uuid4())])
    assert "cellules" in assert_erreur_json(refus, 400)["champs"]


def test_item1_nobody_excludes_himself(coord: Any, cell: Cellule) -> None:
    assert_erreur_json(_exclure(coord, coord), 409, "auto_exclusion")


@pytest.mark.parametrize(
    "role",
    [Role.DIRECTEUR_TRANQUILLITE, Role.DELEGUE_PROCUREUR, Role.MEMBRE_CELLULE, Role.AUDITEUR],
)
def test_item1_other_roles_cannot_exclude(cell: Cellule, role: str) -> None:
    membre = _membre(cell)
    acteur = f.agent(role, communes=("21166",))
    assert_erreur_json(_exclure(acteur, membre.utilisateur), 403)
    _intact(membre.utilisateur)


@pytest.mark.django_db
def test_an_exclusion_out_of_the_coordinators_cells_is_logged_as_a_refusal() -> None:
    """Review of issue 9: the 404 of an out-of-scope exclusion left no trace."""
    from audit.enums import Resultat

    coord = f.agent(Role.COORDONNATEUR, communes=("21231",))
    f.cellule("21231", coordonnateurs=(coord,))
    ailleurs = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    response = client_pour(coord).post(
        "/api/v1/exclusions/",
        {"utilisateur": str(ailleurs.pk), "motif": "fin_de_fonction"},
        format="json",
    )
    assert response.status_code == 404, response.content
    refus = EvenementAcces.objects.get(request_id=response["X-Request-ID"])
    assert (refus.resultat, refus.raison, refus.type_objet, str(refus.objet_id)) == (
        Resultat.REFUSE,
        Raison.HORS_PERIMETRE,
        "acces.utilisateur",
        str(ailleurs.pk),
    )
