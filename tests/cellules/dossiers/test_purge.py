# mypy: disallow-untyped-calls=False
"""Retention of cases (checklist E2/E3): archive, purge after 3 years, 25th birthday, dry run."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from acces.crypto.champs import chiffrer, dechiffrer
from acces.crypto.erreurs import DechiffrementImpossible
from acces.enums import Role
from acces.models import Utilisateur
from cellules.composition.models import Cellule
from cellules.dossiers import politiques, selectors
from cellules.dossiers import tasks as tasks_purge
from cellules.dossiers.enums import MotifCloture, StatutSituation
from cellules.dossiers.models import AccesSituation, Personne, Situation
from cellules.dossiers.purge import Bilan, purger_situations
from cellules.seances.enums import TypeDecision
from cellules.seances.models import Decision, Seance
from tests.canaris import ecritures_validees
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.utils.base import db_snapshot

pytestmark = pytest.mark.django_db

CLOTURE = dt.date(2026, 1, 15)
RIEN = {
    "archivees": 0,
    "purgees": 0,
    "personnes_effacees": 0,
    "rappels_supprimes": 0,
    "transactions_supprimees": 0,
    "mesures_supprimees": 0,
}
ADULTE = f.Identite("Fictif-Adulte", "Aurèle", dt.date(1980, 5, 5), "1 rue Fictive", "Dijon")
MINEUR = f.Identite("Fictif-Mineur", "Cyprien", dt.date(2010, 6, 10), "2 rue Fictive", "Dijon")


@dataclass
class Cas:
    coord: Utilisateur
    cellule: Cellule
    membre: Utilisateur


@pytest.fixture
def cas() -> Cas:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    membre = f_composition.agent(Role.MEMBRE_CELLULE)
    return Cas(coord, f_composition.cellule("21231", coordonnateurs=(coord,)), membre)


def _a(jour: dt.date) -> time_machine.travel:
    heure = dt.datetime.combine(jour, dt.time(3, 0), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(heure, tick=False)


def _duree() -> dt.timedelta:
    return dt.timedelta(days=settings.SITUATION_DUREE_ARCHIVE_JOURS)


def _cloturee(cas: Cas, ident: f.Identite = ADULTE, **champs: Any) -> Situation:
    valeurs: dict[str, Any] = {
        "statut": StatutSituation.CLOTUREE,
        "motif_cloture": MotifCloture.OBJECTIFS_ATTEINTS,
        "signalee_le": dt.date(2025, 10, 1),
        "cloturee_le": CLOTURE,
    }
    valeurs.update(champs)
    return f.situation(cas.cellule, f.personne(ident), observation="note fictive", **valeurs)


def _accorder(situation: Situation, user: Utilisateur) -> None:
    AccesSituation.objects.create(
        user=user,
        permission=Permission.objects.get(
            codename=politiques.CODENAME_LECTURE,
            content_type=ContentType.objects.get_for_model(Situation),
        ),
        content_object=situation,
    )


def _decision(cas: Cas, situation: Situation) -> Decision:
    debut = timezone.now() - dt.timedelta(days=30)
    seance = Seance.objects.create(
        cellule=cas.cellule, debut=debut, fin=debut + dt.timedelta(hours=2), creee_par=cas.coord
    )
    decision = Decision(
        id=uuid.uuid4(),
        seance=seance,
        situation=situation,
        cle_id=situation.cle_id,
        type=TypeDecision.MAINTIEN_SUIVI,
        prise_par=cas.coord,
    )
    chiffrer(decision, "note", "note de décision fictive")
    decision.save(force_insert=True)
    return decision


def _statut(situation: Situation) -> str:
    return Situation.objects.get(pk=situation.pk).statut


def _assert_effacee(personne: Personne) -> None:
    fraiche = Personne.objects.select_related("cle").get(pk=personne.pk)
    assert fraiche.cle.detruite
    assert bytes(fraiche.index_identite) == b""
    for champ in ("nom", "prenom", "date_naissance", "adresse", "commune_residence"):
        with pytest.raises(DechiffrementImpossible):
            dechiffrer(fraiche, champ)


def test_E2_closed_case_archived_then_purged_after_three_years(cas: Cas) -> None:
    situation = _cloturee(cas)
    _accorder(situation, cas.membre)
    decision = _decision(cas, situation)

    with _a(CLOTURE):
        bilan = purger_situations()
    assert bilan.archivees == [situation.pk]
    assert _statut(situation) == StatutSituation.ARCHIVEE

    with _a(CLOTURE + _duree() - dt.timedelta(days=1)):
        assert purger_situations().comptes() == RIEN
    assert _statut(situation) == StatutSituation.ARCHIVEE

    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        bilan = purger_situations()
    assert bilan.purgees == [situation.pk]
    assert bilan.personnes_effacees == [situation.personne_id]

    purgee = Situation.objects.get(pk=situation.pk)
    assert purgee.statut == StatutSituation.PURGEE
    assert purgee.observation is None
    assert purgee.profils == []
    assert purgee.referent_id is None
    assert not AccesSituation.objects.filter(content_object=situation).exists()
    assert Decision.objects.get(pk=decision.pk).note is None
    _assert_effacee(situation.personne)
    assert situation.pk not in set(
        selectors.situations_visibles(cas.coord).values_list("pk", flat=True)
    )


def test_E3_second_run_is_a_noop(cas: Cas) -> None:
    _cloturee(cas)
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        premier = purger_situations()
        avant = db_snapshot()
        second = purger_situations()
        assert db_snapshot() == avant
    assert premier.comptes()["purgees"] == 1
    assert second.comptes() == RIEN


def test_E2_minor_era_case_purged_on_25th_birthday_even_when_active(cas: Cas) -> None:
    situation = f.situation(
        cas.cellule,
        f.personne(MINEUR),
        statut=StatutSituation.SUIVIE,
        signalee_le=dt.date(2025, 1, 10),
    )
    anniversaire = dt.date(2035, 6, 10)

    with _a(anniversaire - dt.timedelta(days=1)):
        assert purger_situations().purgees == []
    assert _statut(situation) == StatutSituation.SUIVIE

    with _a(anniversaire):
        bilan = purger_situations()
    assert bilan.purgees == [situation.pk]
    purgee = Situation.objects.get(pk=situation.pk)
    assert purgee.statut == StatutSituation.PURGEE
    assert purgee.motif_cloture == MotifCloture.MAJORITE_LIMITE_AGE
    assert purgee.cloturee_le == anniversaire
    _assert_effacee(situation.personne)


def test_E2_minor_era_closed_case_purged_at_25_before_three_years(cas: Cas) -> None:
    cloture = dt.date(2034, 1, 1)
    situation = _cloturee(cas, MINEUR, signalee_le=dt.date(2025, 1, 10), cloturee_le=cloture)
    with _a(dt.date(2035, 6, 10)):
        assert purger_situations().purgees == [situation.pk]
    assert cloture + _duree() > dt.date(2035, 6, 10)


def test_E2_adult_case_active_is_kept(cas: Cas) -> None:
    situation = f.situation(cas.cellule, f.personne(ADULTE), statut=StatutSituation.SUIVIE)
    with _a(timezone.localdate() + dt.timedelta(days=20 * 365)):
        assert purger_situations().comptes()["purgees"] == 0
    assert _statut(situation) == StatutSituation.SUIVIE


def _naissance_illisible(personne: Personne) -> None:
    """Ciphertext of another row: it fails to decrypt here, like a missing value."""
    autre = f.personne(MINEUR)
    personne.date_naissance = autre.date_naissance
    personne.save(update_fields=["date_naissance"])


def test_E2_missing_birth_date_falls_back_to_the_archive_schedule(cas: Cas) -> None:
    situation = _cloturee(cas, MINEUR, signalee_le=dt.date(2025, 1, 10))
    _naissance_illisible(situation.personne)
    with _a(CLOTURE + _duree()):
        assert purger_situations().purgees == []
    assert _statut(situation) == StatutSituation.ARCHIVEE
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        assert purger_situations().purgees == [situation.pk]
    _assert_effacee(situation.personne)


def test_E2_birth_date_in_the_future_falls_back_to_the_archive_schedule(cas: Cas) -> None:
    futur = f.Identite("Fictif-Futur", "Basile", dt.date(2030, 1, 1))
    situation = _cloturee(cas, futur)
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        assert purger_situations().purgees == [situation.pk]


def test_E2_person_with_another_live_case_is_not_shredded(cas: Cas) -> None:
    situation = _cloturee(cas)
    f.situation(cas.cellule, situation.personne, statut=StatutSituation.SUIVIE)
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        bilan = purger_situations()
    assert bilan.purgees == [situation.pk]
    assert bilan.personnes_effacees == []
    personne = Personne.objects.get(pk=situation.personne_id)
    assert dechiffrer(personne, "nom") == ADULTE.nom


def test_E3_dry_run_changes_nothing_and_prints_ids_only(cas: Cas) -> None:
    a_archiver = _cloturee(cas, cloturee_le=CLOTURE + _duree())
    a_purger = _cloturee(cas)
    _accorder(a_purger, cas.membre)
    sortie = io.StringIO()
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        avant = db_snapshot()
        call_command("purger_situations", "--essai", stdout=sortie)
        assert db_snapshot() == avant
        texte = sortie.getvalue()
        assert (
            "situations à archiver : 1, situations à purger : 1, personnes à effacer : 1" in texte
        )
        assert str(a_archiver.pk) in texte
        assert str(a_purger.pk) in texte
        assert str(a_purger.personne_id) in texte
        reel = io.StringIO()
        call_command("purger_situations", stdout=reel)
    for fuite in (ADULTE.nom, ADULTE.prenom, ADULTE.adresse, "note fictive"):
        assert fuite not in texte
        assert fuite not in reel.getvalue()
    assert "situations archivées : 1, situations purgées : 1, personnes effacées : 1" in (
        reel.getvalue()
    )
    assert _statut(a_purger) == StatutSituation.PURGEE
    assert _statut(a_archiver) == StatutSituation.ARCHIVEE


def test_E3_daily_task_runs_the_purge_without_arguments(cas: Cas) -> None:
    situation = _cloturee(cas)
    with _a(CLOTURE + _duree() + dt.timedelta(days=1)):
        comptes = tasks_purge.purger_situations.apply().get()
    assert comptes == RIEN | {"purgees": 1, "personnes_effacees": 1}
    assert _statut(situation) == StatutSituation.PURGEE
    entree = settings.CELERY_BEAT_SCHEDULE["cellules-purger-situations"]
    assert entree["task"] == "cellules.purger_situations"
    assert entree["schedule"] == 86400.0
    assert "cellules.dossiers.tasks" in settings.CELERY_IMPORTS


@pytest.mark.django_db
def test_E2_purge_run_concurrently_twice_does_the_work_once() -> None:
    debut = timezone.now()
    jour = CLOTURE + _duree() + dt.timedelta(days=1)
    bilans: list[object] = []
    depart = threading.Barrier(2)

    def lancer() -> None:
        try:
            depart.wait()
            bilans.append(purger_situations(jour=jour))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            bilans.append(exc)
        finally:
            connection.close()

    with ecritures_validees():
        cellule = f_composition.cellule("21231")
        situation = f.situation(
            cellule,
            f.personne(ADULTE),
            statut=StatutSituation.ARCHIVEE,
            cloturee_le=CLOTURE,
            archivee_le=CLOTURE,
        )
        try:
            fils = [threading.Thread(target=lancer) for _ in range(2)]
            for fil in fils:
                fil.start()
            for fil in fils:
                fil.join()
            finale = Situation.objects.select_related("personne__cle").get(pk=situation.pk)
        finally:
            personne = situation.personne
            Situation.objects.filter(pk=situation.pk).delete()
            Personne.objects.filter(pk=personne.pk).delete()
            personne.cle.delete()
            cellule.delete()
            LogEntry.objects.filter(timestamp__gte=debut).delete()
    assert all(isinstance(b, Bilan) for b in bilans), bilans
    resultats = [b for b in bilans if isinstance(b, Bilan)]
    assert sum(b.purgees.count(situation.pk) for b in resultats) == 1
    assert sum(b.personnes_effacees.count(personne.pk) for b in resultats) == 1
    assert finale.statut == StatutSituation.PURGEE
    assert finale.personne.cle.detruite
