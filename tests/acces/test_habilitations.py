"""Grants (issue 9, item 2): no self-grant, incompatible roles, four eyes, step-up, logged.

Found from outside: the technical administrator gave himself ``delegue_procureur`` (201) and read
177 cases with names; the auditor, given a director's role, read 103 cases while keeping the log.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from acces.enums import Role
from acces.models import Habilitation, Utilisateur
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from tests.acces.factories import entete_otp
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/habilitations/"
CAS = "/api/v1/situations/"


def _accorder(admin: Utilisateur, cible: Any, role: str, otp: bool = True, **corps: Any) -> Any:
    entetes: dict[str, Any] = entete_otp(admin) if otp else {}
    donnees = {"utilisateur": str(cible.pk), "role": role, **corps}
    return client_pour(admin).post(URL, donnees, format="json", **entetes)


def _approuver(admin: Utilisateur, pk: Any, otp: bool = True) -> Any:
    entetes: dict[str, Any] = entete_otp(admin) if otp else {}
    return client_pour(admin).post(f"{URL}{pk}/approbation/", **entetes)


def _evenements(raison: str) -> list[EvenementAcces]:
    return list(EvenementAcces.objects.filter(action=ActionAcces.SECURITE, raison=raison))


@pytest.fixture
def admin() -> Utilisateur:
    return f_composition.agent(Role.ADMIN_TECHNIQUE)


@pytest.fixture
def admin2() -> Utilisateur:
    return f_composition.agent(Role.ADMIN_TECHNIQUE)


def test_item2_admin_cannot_grant_himself_a_role(admin: Utilisateur) -> None:
    """The reproduction: 201, then every case of the ressort with names."""
    f_dossiers.situation(f_composition.cellule("21231", ressort="tj-dijon"))
    reponse = _accorder(admin, admin, Role.DELEGUE_PROCUREUR, ressort="tj-dijon")
    assert_erreur_json(reponse, 403, "auto_habilitation")
    assert list(admin.habilitations.values_list("role", flat=True)) == [Role.ADMIN_TECHNIQUE]
    assert_erreur_json(client_pour(admin).get(CAS, HTTP_X_MOTIF="controle"), 403)
    (refus,) = _evenements(Raison.AUTO_HABILITATION)
    assert (refus.resultat, refus.utilisateur_id) == (Resultat.REFUSE, admin.pk)


def test_item2_auditor_and_admin_hold_no_role_reading_personal_data(admin: Utilisateur) -> None:
    """The auditor given a director's role read 103 cases while keeping the audit log."""
    auditeur = f_composition.agent(Role.AUDITEUR)
    autre_admin = f_composition.agent(Role.ADMIN_TECHNIQUE)
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    for cible, role in [
        (auditeur, Role.DIRECTEUR_TRANQUILLITE),
        (auditeur, Role.ADMIN_TECHNIQUE),
        (autre_admin, Role.DELEGUE_PROCUREUR),
        (autre_admin, Role.AUDITEUR),
        (directeur, Role.AUDITEUR),
        (directeur, Role.ADMIN_TECHNIQUE),
    ]:
        avant = cible.habilitations.count()
        body = assert_erreur_json(
            _accorder(admin, cible, role, communes=["21231"]), 409, "roles_incompatibles"
        )
        assert "role" in body["champs"]
        assert cible.habilitations.count() == avant
    assert len(_evenements(Raison.ROLES_INCOMPATIBLES)) == 6
    # Compatible roles still combine: a director may also coordinate.
    assert _accorder(admin, directeur, Role.COORDONNATEUR, communes=["21231"]).status_code == 201
    # A revoked control role no longer blocks the account.
    auditeur.habilitations.update(revoquee_le=timezone.now())
    assert _accorder(admin, auditeur, Role.MEMBRE_CELLULE).status_code == 201


def test_item2_the_database_refuses_incompatible_roles_and_self_grants() -> None:
    """The rule holds below the service too (trigger and check constraints)."""
    auditeur = f_composition.agent(Role.AUDITEUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(
            utilisateur=auditeur, role=Role.DELEGUE_PROCUREUR, approuvee_le=timezone.now()
        )
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(utilisateur=directeur, role=Role.ADMIN_TECHNIQUE)
    # Un-revoking a role that conflicts is refused as well.
    revoquee = Habilitation.objects.create(
        utilisateur=directeur, role=Role.COORDONNATEUR, revoquee_le=timezone.now()
    )
    Habilitation.objects.filter(pk=revoquee.pk).update(role=Role.AUDITEUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.filter(pk=revoquee.pk).update(revoquee_le=None)
    admin = f_composition.agent(Role.ADMIN_TECHNIQUE)
    autre = f_composition.agent(Role.ADMIN_TECHNIQUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(utilisateur=admin, role=Role.AUDITEUR, accordee_par=admin)
    cible = Utilisateur.objects.create(username="cible.bd")
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(
            utilisateur=cible,
            role=Role.MEMBRE_CELLULE,
            accordee_par=admin,
            approuvee_par=admin,
            approuvee_le=timezone.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(
            utilisateur=cible, role=Role.MEMBRE_CELLULE, accordee_par=autre, approuvee_par=autre
        )
    # Past roles do not block a new one (an auditor who changed function).
    assert Habilitation.objects.filter(utilisateur=directeur, revoquee_le__isnull=True).count() == 1


def test_item2_a_grant_reading_personal_data_waits_for_a_second_administrator(
    admin: Utilisateur, admin2: Utilisateur
) -> None:
    f_dossiers.situation(f_composition.cellule("21231", ressort="tj-dijon"))
    cible = f_composition.agent(Role.MEMBRE_CELLULE)
    cible.habilitations.update(revoquee_le=timezone.now())
    client = client_pour(cible)

    reponse = _accorder(admin, cible, Role.DELEGUE_PROCUREUR, ressort="tj-dijon")
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    assert (corps["statut"], corps["accordee_par"], corps["approuvee_par"]) == (
        "en_attente_approbation",
        str(admin.pk),
        None,
    )
    # Not yet in effect: the account has no role at all.
    assert client.get(CAS, HTTP_X_MOTIF="controle").status_code == 401

    # The grantor cannot approve his own grant; step-up is required of the approver.
    assert_erreur_json(_approuver(admin, corps["id"]), 403, "approbation_par_un_tiers")
    assert_erreur_json(_approuver(admin2, corps["id"], otp=False), 403, "verification_requise")
    assert Habilitation.objects.get(pk=corps["id"]).approuvee_le is None

    approuvee = _approuver(admin2, corps["id"])
    assert approuvee.status_code == 200, approuvee.content
    assert (approuvee.json()["statut"], approuvee.json()["approuvee_par"]) == (
        "active",
        str(admin2.pk),
    )
    f_composition.charte_acceptee(cible)
    lus = client.get(CAS, HTTP_X_MOTIF="controle")
    assert lus.status_code == 200 and lus.json()["count"] == 1
    assert_erreur_json(_approuver(admin2, corps["id"]), 409, "deja_approuvee")

    # Every step is a security event the auditor sees.
    auditeur = f_composition.agent(Role.AUDITEUR)
    journal = client_pour(auditeur).get("/api/v1/audit/evenements/", {"action": "securite"})
    assert journal.status_code == 200, journal.content
    vus = {(e["raison"], e["objet_id"]) for e in journal.json()["results"]}
    assert {
        (Raison.HABILITATION_ACCORDEE, corps["id"]),
        (Raison.HABILITATION_APPROUVEE, corps["id"]),
        # The grantor's own approval attempt too (review of issue 9).
        (Raison.AUTO_HABILITATION, corps["id"]),
    } <= vus
    revocation = client_pour(admin).post(f"{URL}{corps['id']}/revocation/")
    assert revocation.status_code == 200
    assert [str(e.objet_id) for e in _evenements(Raison.HABILITATION_REVOQUEE)] == [corps["id"]]
    assert client.get(CAS, HTTP_X_MOTIF="controle").status_code == 401


def test_item2_a_grant_needs_a_recent_verification_and_logs_the_refusal(
    admin: Utilisateur,
) -> None:
    cible = Utilisateur.objects.create(username="sans.role")
    reponse = _accorder(admin, cible, Role.MEMBRE_CELLULE, otp=False)
    assert_erreur_json(reponse, 403, "verification_requise")
    assert not cible.habilitations.exists()
    assert EvenementAcces.objects.filter(
        raison=Raison.VERIFICATION_REQUISE, type_objet="acces.habilitation"
    ).exists()


def test_item2_the_administrator_role_also_needs_approval_the_auditor_role_does_not(
    admin: Utilisateur, admin2: Utilisateur
) -> None:
    """Otherwise one administrator could appoint the second one himself."""
    futur_admin = Utilisateur.objects.create(username="futur.admin")
    reponse = _accorder(admin, futur_admin, Role.ADMIN_TECHNIQUE)
    assert reponse.json()["statut"] == "en_attente_approbation"
    assert client_pour(futur_admin).get(URL).status_code == 401
    futur_auditeur = Utilisateur.objects.create(username="futur.auditeur")
    assert _accorder(admin, futur_auditeur, Role.AUDITEUR).json()["statut"] == "active"


def test_item2_approval_of_a_closed_habilitation_is_refused(
    admin: Utilisateur, admin2: Utilisateur
) -> None:
    cible = Utilisateur.objects.create(username="cible.close")
    pk = _accorder(admin, cible, Role.MEMBRE_CELLULE).json()["id"]
    Habilitation.objects.filter(pk=pk).update(revoquee_le=timezone.now())
    assert_erreur_json(_approuver(admin2, pk), 409, "habilitation_close")
    for role in (Role.COORDONNATEUR, Role.AUDITEUR, Role.DELEGUE_PROCUREUR):
        assert_erreur_json(_approuver(f_composition.agent(role), pk), 403)
