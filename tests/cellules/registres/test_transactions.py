"""Transactions (art. 44-1 CPP): one-month window, 30-hour limit, homologation, hand-off to tig."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from cellules.registres import services as t
from cellules.registres.enums import (
    AutoriteHomologation,
    ContraventionTransaction,
    NatureTransaction,
    StatutTransaction,
)
from cellules.registres.models import TransactionMunicipale
from socle.errors import ApiError
from socle.models import OutboxMessage
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referentiel() -> None:
    f_orientations.referentiel()


@pytest.fixture
def directeur() -> Any:
    return f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))


@pytest.fixture
def delegue() -> Any:
    # A Dijon cell puts commune 21231 in the ressort "tj-dijon".
    f_composition.cellule("21231", ressort="tj-dijon")
    return f_composition.agent(Role.DELEGUE_PROCUREUR)


def _proposer(directeur: Any, **champs: Any) -> TransactionMunicipale:
    aujourd_hui = timezone.localdate()
    valeurs: dict[str, Any] = {
        "commune": f_composition.commune_de("21231"),
        "personne": f_dossiers.personne(),
        "contravention": ContraventionTransaction.DEGRADATION_LEGERE,
        "date_constat": aujourd_hui - dt.timedelta(days=3),
        "date_proposition": aujourd_hui,
        "nature": NatureTransaction.REPARATION,
        "montant": Decimal("120.50"),
        "acteur": directeur,
    }
    valeurs.update(champs)
    return t.transaction_proposer(**valeurs)


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),
        (dt.date(2025, 3, 10), 2, dt.date(2025, 5, 10)),
    ],
)
def test_month_arithmetic(jour: dt.date, mois: int, attendu: dt.date) -> None:
    assert t.ajouter_mois(jour, mois) == attendu


def test_proposal_within_one_month_of_the_report(directeur: Any, settings: Any) -> None:
    proposition = timezone.localdate()
    constat = proposition - dt.timedelta(days=40)
    while t.ajouter_mois(constat, 1) < proposition:
        constat += dt.timedelta(days=1)
    limite = _proposer(directeur, date_constat=constat, date_proposition=proposition)
    assert limite.statut == StatutTransaction.PROPOSEE
    trop_tard = _erreur(
        lambda: _proposer(
            directeur, date_constat=constat - dt.timedelta(days=1), date_proposition=proposition
        )
    )
    assert (trop_tard.status_code, trop_tard.code) == (400, "delai_depasse")
    assert "1 mois" in trop_tard.message
    settings.TRANSACTION_DELAI_PROPOSITION_MOIS = 2
    assert _proposer(directeur, date_constat=constat - dt.timedelta(days=1)).pk


def test_dates_cannot_be_reversed_or_in_the_future(directeur: Any) -> None:
    aujourd_hui = timezone.localdate()
    demain = aujourd_hui + dt.timedelta(days=1)
    assert "date_constat" in _erreur(lambda: _proposer(directeur, date_constat=demain)).champs
    inverse = _erreur(
        lambda: _proposer(
            directeur,
            date_constat=aujourd_hui,
            date_proposition=aujourd_hui - dt.timedelta(days=1),
        )
    )
    assert "date_proposition" in inverse.champs


def test_unpaid_work_is_limited_to_thirty_hours(directeur: Any, settings: Any) -> None:
    tnr = {"nature": NatureTransaction.TRAVAIL_NON_REMUNERE, "montant": None}
    assert _proposer(directeur, heures=30, **tnr).heures == 30
    refus = _erreur(lambda: _proposer(directeur, heures=31, **tnr))
    assert (refus.code, set(refus.champs)) == ("heures_depassees", {"heures"})
    assert "30 heures" in refus.message
    settings.TRANSACTION_HEURES_MAX = 20
    assert _erreur(lambda: _proposer(directeur, heures=25, **tnr)).code == "heures_depassees"
    assert "heures" in _erreur(lambda: _proposer(directeur, heures=0, **tnr)).champs


@pytest.mark.parametrize(
    ("montant", "heures", "champ"),
    [
        (Decimal("0"), None, "montant"),
        (Decimal("-5"), None, "montant"),
        (None, None, "montant"),
        (Decimal("10"), 4, "heures"),
    ],
)
def test_reparation_needs_a_positive_amount_only(
    directeur: Any, montant: Decimal | None, heures: int | None, champ: str
) -> None:
    refus = _erreur(lambda: _proposer(directeur, montant=montant, heures=heures))
    assert refus.status_code == 400 and champ in refus.champs


def test_only_the_directeur_of_the_commune_proposes(delegue: Any) -> None:
    assert _erreur(lambda: _proposer(delegue)).status_code == 403
    autre = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    assert "commune" in _erreur(lambda: _proposer(autre)).champs


def test_full_flow_hands_the_execution_to_tig(directeur: Any, delegue: Any) -> None:
    objet = _proposer(directeur)
    avant_acceptation = _erreur(
        lambda: t.transaction_homologuer(
            objet=objet,
            homologuee=True,
            autorite=AutoriteHomologation.PROCUREUR,
            decision_le=timezone.localdate(),
            acteur=delegue,
        )
    )
    assert avant_acceptation.status_code == 409
    assert (
        _erreur(
            lambda: t.transaction_repondre(objet=objet, acceptee=True, acteur=delegue)
        ).status_code
        == 403
    )
    acceptee = t.transaction_repondre(objet=objet, acceptee=True, acteur=directeur, version=1)
    assert acceptee.statut == StatutTransaction.ACCEPTEE
    par_directeur = _erreur(
        lambda: t.transaction_homologuer(
            objet=objet,
            homologuee=True,
            autorite=AutoriteHomologation.PROCUREUR,
            decision_le=timezone.localdate(),
            acteur=directeur,
        )
    )
    assert par_directeur.status_code == 403
    homologuee = t.transaction_homologuer(
        objet=objet,
        homologuee=True,
        autorite=AutoriteHomologation.JUGE_TRIBUNAL_POLICE,
        decision_le=timezone.localdate(),
        acteur=delegue,
        version=2,
    )
    assert homologuee.statut == StatutTransaction.HOMOLOGUEE
    message = OutboxMessage.objects.get(tache=t.TACHE_TIG)
    assert message.arguments == {"transaction_id": str(objet.pk)}
    assert t.transaction_executer(transaction_id=objet.pk).statut == StatutTransaction.EXECUTEE
    assert _erreur(lambda: t.transaction_executer(transaction_id=objet.pk)).status_code == 409


def test_refused_or_not_homologated_goes_nowhere(directeur: Any, delegue: Any) -> None:
    refusee = t.transaction_repondre(objet=_proposer(directeur), acceptee=False, acteur=directeur)
    assert refusee.statut == StatutTransaction.REFUSEE
    with pytest.raises(ApiError):
        t.transaction_homologuer(
            objet=refusee,
            homologuee=True,
            autorite=AutoriteHomologation.PROCUREUR,
            decision_le=timezone.localdate(),
            acteur=delegue,
        )
    acceptee = t.transaction_repondre(objet=_proposer(directeur), acceptee=True, acteur=directeur)
    non = t.transaction_homologuer(
        objet=acceptee,
        homologuee=False,
        autorite=AutoriteHomologation.PROCUREUR,
        decision_le=timezone.localdate(),
        acteur=delegue,
    )
    assert non.statut == StatutTransaction.NON_HOMOLOGUEE
    assert not OutboxMessage.objects.filter(tache=t.TACHE_TIG).exists()


def test_stale_version_is_refused(directeur: Any) -> None:
    objet = _proposer(directeur)
    refus = _erreur(
        lambda: t.transaction_repondre(objet=objet, acceptee=True, acteur=directeur, version=5)
    )
    assert refus.status_code == 412


def test_same_identity_reuses_the_person_of_a_previous_transaction(directeur: Any) -> None:
    from cellules.registres.services import IdentiteNouvelle

    identite = IdentiteNouvelle("Faure-Fictif", "Jade", dt.date(1992, 7, 1))
    premiere = _proposer(directeur, personne=None, identite=identite)
    seconde = _proposer(directeur, personne=None, identite=identite)
    assert premiere.personne_id == seconde.personne_id
