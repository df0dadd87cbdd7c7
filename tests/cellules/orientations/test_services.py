"""Orientations: decisions, judicial ones by the délégué only, deadlines, closing, overdue
notices (idempotent, no personal data) and the carry-over to the next agenda."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import serializers as django_serializers
from django.utils import timezone

from acces.enums import Role
from cellules.dossiers.enums import StatutSituation
from cellules.orientations import services, tasks
from cellules.orientations.enums import (
    MotifReport,
    ResultatOrientation,
    StatutOrientation,
    TypeOrientation,
)
from cellules.orientations.models import MesureOrientation, NotificationOrientation, Orientation
from socle.errors import ApiError
from tests.acces.factories import organisation as organisation_ref
from tests.acces.factories import utilisateur
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def situation(coord: Any) -> Any:
    return f_dossiers.situation(f_composition.cellule("21231", coordonnateurs=(coord,)))


@pytest.fixture
def partenaire() -> Any:
    return organisation_ref(nom="Prévention spécialisée test")


def _decider(situation: Any, acteur: Any, partenaire: Any, **champs: Any) -> Any:
    type_orientation = champs.pop("type", TypeOrientation.EDUCATIVE)
    f_composition.partenaire(situation.cellule, partenaire)
    return services.orientation_decider(
        situation=situation,
        type=type_orientation,
        mesure=champs.pop("mesure", f.mesure("prevention_specialisee")),
        organisation=partenaire,
        echeance=champs.pop("echeance", timezone.localdate() + dt.timedelta(days=60)),
        acteur=acteur,
        **champs,
    )


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


def test_measures_are_seeded_as_data_with_their_legal_reference() -> None:
    f.referentiel()
    codes = set(MesureOrientation.objects.values_list("code", flat=True))
    assert {"rappel_ordre", "avertissement_penal_probatoire", "composition_penale", "tig"} <= codes
    assert {"programme_reussite_educative", "cddf", "mission_locale", "soins_addictions"} <= codes
    transaction = MesureOrientation.objects.get(code="transaction_municipale")
    assert transaction.reference is not None
    assert "44-1" in transaction.reference.article


def test_coordinator_decides_an_educational_orientation(
    coord: Any, situation: Any, partenaire: Any
) -> None:
    orientation = _decider(situation, coord, partenaire)
    assert orientation.statut == StatutOrientation.A_FAIRE
    assert orientation.decidee_par == coord and orientation.decidee_le == timezone.localdate()
    assert str(orientation.pk) in str(orientation)


def test_only_a_partner_of_the_cell_or_the_deciders_own_organisation(
    coord: Any, situation: Any
) -> None:
    etrangere = organisation_ref(nom="Organisation sans membre dans la cellule")

    def decider(org: Any) -> Any:
        return services.orientation_decider(
            situation=situation,
            type=TypeOrientation.EDUCATIVE,
            mesure=f.mesure("prevention_specialisee"),
            organisation=org,
            echeance=timezone.localdate() + dt.timedelta(days=60),
            acteur=coord,
        )

    refus = _erreur(lambda: decider(etrangere))
    assert refus.status_code == 400 and "organisation" in refus.champs
    assert "/partenaires/" in str(refus.champs["organisation"])
    assert not Orientation.objects.filter(situation=situation).exists()
    propre = decider(coord.organisation)
    assert propre.organisation_id == coord.organisation_id
    # Changing the responsible organisation follows the same rule.
    refus = _erreur(
        lambda: services.orientation_modifier(
            orientation=propre, version=propre.version, acteur=coord, organisation=etrangere
        )
    )
    assert refus.status_code == 400 and "organisation" in refus.champs
    partenaire = f_composition.partenaire(situation.cellule)
    modifiee = services.orientation_modifier(
        orientation=propre, version=propre.version, acteur=coord, organisation=partenaire
    )
    assert modifiee.organisation_id == partenaire.pk


def test_judicial_orientation_by_the_delegue_only(
    coord: Any, situation: Any, partenaire: Any
) -> None:
    mesure = f.mesure("avertissement_penal_probatoire")
    refus = _erreur(
        lambda: _decider(
            situation, coord, partenaire, type=TypeOrientation.JUDICIAIRE, mesure=mesure
        )
    )
    assert refus.status_code == 403
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    orientation = _decider(
        situation, delegue, partenaire, type=TypeOrientation.JUDICIAIRE, mesure=mesure
    )
    assert orientation.type == TypeOrientation.JUDICIAIRE
    # Nor may the coordinator change or close it afterwards.
    refus = _erreur(
        lambda: services.orientation_modifier(
            orientation=orientation, version=1, acteur=coord, commencee=True
        )
    )
    assert refus.status_code == 403


def test_measure_must_fit_the_kind(coord: Any, situation: Any, partenaire: Any) -> None:
    refus = _erreur(
        lambda: _decider(
            situation, coord, partenaire, type=TypeOrientation.SANITAIRE, mesure=f.mesure("cddf")
        )
    )
    assert refus.status_code == 400 and "mesure" in refus.champs


def test_deadline_rules_and_setting(
    coord: Any, situation: Any, partenaire: Any, settings: Any
) -> None:
    hier = timezone.localdate() - dt.timedelta(days=1)
    assert (
        "echeance" in _erreur(lambda: _decider(situation, coord, partenaire, echeance=hier)).champs
    )
    settings.ORIENTATION_ECHEANCE_MAX_JOURS = 10
    loin = timezone.localdate() + dt.timedelta(days=11)
    assert (
        "echeance" in _erreur(lambda: _decider(situation, coord, partenaire, echeance=loin)).champs
    )


def test_case_out_of_scope_is_not_found(partenaire: Any) -> None:
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21166",))
    ailleurs = f_dossiers.situation(f_composition.cellule("21231"))
    assert _erreur(lambda: _decider(ailleurs, autre, partenaire)).status_code == 404


def test_modify_start_and_close_with_versions(coord: Any, situation: Any, partenaire: Any) -> None:
    orientation = _decider(situation, coord, partenaire)
    perimee = _erreur(
        lambda: services.orientation_modifier(
            orientation=orientation, version=7, acteur=coord, commencee=True
        )
    )
    assert perimee.status_code == 412
    commencee = services.orientation_modifier(
        orientation=orientation, version=1, acteur=coord, commencee=True
    )
    assert commencee.statut == StatutOrientation.EN_COURS and commencee.version == 2
    sans_resultat = _erreur(
        lambda: services.orientation_cloturer(
            orientation=orientation,
            version=2,
            statut=StatutOrientation.REALISEE,
            resultat="",
            acteur=coord,
        )
    )
    assert "resultat" in sans_resultat.champs
    close = services.orientation_cloturer(
        orientation=orientation,
        version=2,
        statut=StatutOrientation.REALISEE,
        resultat=ResultatOrientation.OBJECTIF_ATTEINT,
        acteur=coord,
    )
    assert close.cloturee_le == timezone.localdate() and close.version == 3
    apres = _erreur(
        lambda: services.orientation_modifier(
            orientation=orientation, version=3, acteur=coord, commencee=True
        )
    )
    assert apres.status_code == 409


def _en_retard(situation: Any, partenaire: Any, **champs: Any) -> Any:
    return f.orientation(
        situation,
        organisation=partenaire,
        echeance=timezone.localdate() - dt.timedelta(days=3),
        **champs,
    )


def test_overdue_notice_once_per_recipient_and_day(
    coord: Any, situation: Any, partenaire: Any
) -> None:
    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    membre.organisation = partenaire
    membre.save()
    sans_habilitation = utilisateur(organisation=partenaire)
    orientation = _en_retard(situation, partenaire)
    f.orientation(situation, organisation=partenaire)  # not overdue
    _en_retard(situation, partenaire, statut=StatutOrientation.REALISEE)  # closed
    close = f_dossiers.situation(situation.cellule, statut=StatutSituation.CLOTUREE)
    _en_retard(close, partenaire)  # the case is closed
    aujourd_hui = timezone.localdate()
    assert services.orientations_en_retard_notifier(aujourd_hui) == 2
    assert services.orientations_en_retard_notifier(aujourd_hui) == 0
    assert tasks.orientations_en_retard() == 0  # the beat job, run again the same day
    destinataires = set(NotificationOrientation.objects.values_list("destinataire_id", flat=True))
    assert destinataires == {coord.pk, membre.pk}
    assert sans_habilitation.pk not in destinataires
    assert {n.orientation_id for n in NotificationOrientation.objects.all()} == {orientation.pk}
    demain = aujourd_hui + dt.timedelta(days=1)
    assert services.orientations_en_retard_notifier(demain) == 2
    assert NotificationOrientation.objects.count() == 4


def test_E4_overdue_notice_holds_no_personal_data(coord: Any, partenaire: Any) -> None:
    c = canari()
    situation = f_dossiers.situation(
        f_composition.cellule("21231", coordonnateurs=(coord,)),
        f_dossiers.personne(c),
        observation=c.prenom,
    )
    orientation = _en_retard(situation, partenaire)
    services.orientations_en_retard_notifier()
    notification = NotificationOrientation.objects.get()
    assert notification.lien == f"/api/v1/orientations/{orientation.pk}/"
    dump = django_serializers.serialize("json", NotificationOrientation.objects.all())
    assert scanner(dump, [c]) == []
    assert str(situation.pk) not in dump  # the link names the orientation only


def test_unfinished_orientations_carried_with_a_reason(
    coord: Any, situation: Any, partenaire: Any
) -> None:
    retard = _en_retard(situation, partenaire)
    a_faire = f.orientation(situation, organisation=partenaire)
    en_cours = f.orientation(situation, organisation=partenaire, statut=StatutOrientation.EN_COURS)
    f.orientation(situation, organisation=partenaire, statut=StatutOrientation.ABANDONNEE)
    f.orientation(f_dossiers.situation(), organisation=partenaire)  # another cell
    reports = {
        r.orientation_id: r.motif for r in services.orientations_a_reporter(situation.cellule)
    }
    assert reports == {
        retard.pk: MotifReport.ECHEANCE_DEPASSEE,
        a_faire.pk: MotifReport.NON_COMMENCEE,
        en_cours.pk: MotifReport.EN_COURS,
    }
