# mypy: disallow-untyped-calls=False
"""Retention of the registers (checklist E2/E3): rappels à l'ordre, transactions, tig measures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from acces.crypto.champs import dechiffrer
from acces.crypto.erreurs import DechiffrementImpossible
from acces.enums import Role
from cellules.dossiers.enums import MotifCloture, StatutSituation
from cellules.dossiers.models import Personne, Situation
from cellules.dossiers.purge import Bilan, purger_situations
from cellules.registres import selectors
from cellules.registres.enums import NatureTransaction, StatutTransaction
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.registres import factories as f
from tests.utils.base import db_snapshot
from tig.enums import NatureMesure, StatutMesure
from tig.models import Mesure

pytestmark = pytest.mark.django_db

JOUR = dt.date(2026, 1, 15)
ADULTE = f_dossiers.Identite(
    "Fictif-Registre", "Honorine", dt.date(1985, 3, 3), "3 rue Fictive", "Dijon"
)
# 17 on JOUR; 25th birthday on 2033-06-10.
MINEUR = f_dossiers.Identite(
    "Fictif-Jeune", "Anatole", dt.date(2008, 6, 10), "4 rue Fictive", "Dijon"
)
VINGT_CINQ_ANS = dt.date(2033, 6, 10)


@pytest.fixture(autouse=True)
def _referentiel() -> None:
    f_orientations.referentiel()


def _rappel_duree() -> dt.timedelta:
    return dt.timedelta(days=settings.CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS)


def _transaction_duree() -> dt.timedelta:
    return dt.timedelta(days=settings.CELLULES_TRANSACTION_CONSERVATION_JOURS)


def _apres(jour: dt.date, duree: dt.timedelta) -> dt.date:
    """First day past the retention of something dated ``jour``."""
    return jour + duree + dt.timedelta(days=1)


def _effacee(personne: Personne) -> bool:
    fraiche = Personne.objects.select_related("cle").get(pk=personne.pk)
    if not fraiche.cle.detruite:
        return False
    assert bytes(fraiche.index_identite) == b""
    with pytest.raises(DechiffrementImpossible):
        dechiffrer(fraiche, "nom")
    return True


def _transaction(personne: Personne, **champs: Any) -> TransactionMunicipale:
    valeurs: dict[str, Any] = {
        "date_constat": JOUR - dt.timedelta(days=5),
        "date_proposition": JOUR,
        "statut": StatutTransaction.HOMOLOGUEE,
        "autorite_homologation": "procureur",
        "decision_le": JOUR + dt.timedelta(days=20),
    }
    valeurs.update(champs)
    return f.transaction(personne=personne, **valeurs)


def _mesure(objet: TransactionMunicipale | None, personne: Personne, **champs: Any) -> Mesure:
    valeurs: dict[str, Any] = {
        "nature": NatureMesure.REPARATION,
        "montant": Decimal("80.00"),
        "date_limite": JOUR + dt.timedelta(days=200),
    }
    valeurs.update(champs)
    return Mesure.objects.create(
        transaction_municipale=objet, personne=personne, commune_id="21231", **valeurs
    )


def test_E3_dry_run_changes_nothing_and_reports_the_counts_of_the_real_run() -> None:
    seul = f_dossiers.personne(ADULTE)
    f.rappel(personne=seul, date=JOUR)
    objet = _transaction(f_dossiers.personne())
    _mesure(objet, objet.personne)
    f.rappel(personne=f_dossiers.personne(), date=JOUR + dt.timedelta(days=400))  # still kept
    # The measure's deadline (still running) is the last date of the transaction.
    jour = _apres(JOUR + dt.timedelta(days=200), _transaction_duree())
    avant = db_snapshot()
    sortie = io.StringIO()
    essai = purger_situations(essai=True, jour=jour)
    assert db_snapshot() == avant
    attendu = {
        "archivees": 0,
        "purgees": 0,
        "personnes_effacees": 2,
        "rappels_supprimes": 1,
        "transactions_supprimees": 1,
        "mesures_supprimees": 1,
    }
    assert essai.comptes() == attendu
    heure = dt.datetime.combine(jour, dt.time(3, 0), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(heure, tick=False):
        call_command("purger_situations", "--essai", stdout=sortie)
        assert db_snapshot() == avant
    texte = sortie.getvalue()
    assert (
        "registres, entrées à supprimer : rappels à l'ordre 1, transactions 1, mesures 1" in texte
    )
    # Counts only for the register: no entry id, no person's name.
    assert str(objet.pk) not in texte and ADULTE.nom not in texte
    reel = purger_situations(jour=jour)
    assert reel.comptes() == attendu
    assert sorted(reel.personnes_effacees) == sorted(essai.personnes_effacees)
    assert _effacee(seul) and _effacee(objet.personne)
    assert RappelOrdre.objects.count() == 1


def test_E2_rappel_deleted_the_day_after_its_retention_and_the_change_log_records_it() -> None:
    personne = f_dossiers.personne(ADULTE)
    rappel = f.rappel(personne=personne, date=JOUR)
    assert purger_situations(jour=JOUR + _rappel_duree()).comptes()["rappels_supprimes"] == 0
    assert RappelOrdre.objects.filter(pk=rappel.pk).exists()
    assert not _effacee(personne)
    bilan = purger_situations(jour=_apres(JOUR, _rappel_duree()))
    assert bilan.rappels_supprimes == [rappel.pk]
    assert bilan.personnes_effacees == [personne.pk]
    assert not RappelOrdre.objects.filter(pk=rappel.pk).exists()
    assert _effacee(personne)
    suppression = LogEntry.objects.get(object_pk=str(rappel.pk), action=LogEntry.Action.DELETE)
    assert suppression.object_repr == f"rappel à l'ordre {rappel.pk}"
    assert ADULTE.nom not in str(suppression.changes) and "incivilites" not in str(
        suppression.changes
    )


def test_E2_minor_era_entries_never_outlive_the_25th_birthday(settings: Any) -> None:
    # Longer retentions than the defaults, so that the age rule comes first.
    settings.CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS = 20 * 365
    settings.CELLULES_TRANSACTION_CONSERVATION_JOURS = 20 * 365
    jeune = f_dossiers.personne(MINEUR)
    rappel = f.rappel(personne=jeune, date=JOUR)
    assert rappel.mineur
    objet = _transaction(jeune)
    adulte = f_dossiers.personne(ADULTE)
    temoin = f.rappel(personne=adulte, date=JOUR)
    veille = purger_situations(jour=VINGT_CINQ_ANS - dt.timedelta(days=1))
    assert veille.comptes()["rappels_supprimes"] == 0
    assert veille.comptes()["transactions_supprimees"] == 0
    bilan = purger_situations(jour=VINGT_CINQ_ANS)
    assert bilan.rappels_supprimes == [rappel.pk]
    assert bilan.transactions_supprimees == [objet.pk]
    assert bilan.personnes_effacees == [jeune.pk]
    assert _effacee(jeune)
    assert RappelOrdre.objects.filter(pk=temoin.pk).exists() and not _effacee(adulte)


def test_E2_unreadable_birth_date_falls_back_to_the_date_schedule(settings: Any) -> None:
    settings.CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS = 20 * 365
    jeune = f_dossiers.personne(MINEUR)
    rappel = f.rappel(personne=jeune, date=JOUR)
    jeune.date_naissance = f_dossiers.personne(ADULTE).date_naissance  # ciphertext of another row
    jeune.save(update_fields=["date_naissance"])
    assert purger_situations(jour=VINGT_CINQ_ANS).rappels_supprimes == []
    assert purger_situations(jour=_apres(JOUR, _rappel_duree())).rappels_supprimes == [rappel.pk]


def test_E2_transaction_kept_three_years_after_the_end_of_its_measure() -> None:
    personne = f_dossiers.personne(ADULTE)
    objet = _transaction(personne, statut=StatutTransaction.EXECUTEE)
    fin = JOUR + dt.timedelta(days=150)
    mesure = _mesure(objet, personne, statut=StatutMesure.EXECUTEE, terminee_le=fin)
    decision = objet.decision_le or JOUR
    assert purger_situations(jour=_apres(decision, _transaction_duree())).comptes() == (
        Bilan(essai=False).comptes()
    )
    assert TransactionMunicipale.objects.filter(pk=objet.pk).exists()
    assert purger_situations(jour=fin + _transaction_duree()).transactions_supprimees == []
    bilan = purger_situations(jour=_apres(fin, _transaction_duree()))
    assert bilan.transactions_supprimees == [objet.pk]
    assert bilan.mesures_supprimees == [mesure.pk]
    assert not Mesure.objects.filter(pk=mesure.pk).exists()
    assert LogEntry.objects.filter(object_pk=str(mesure.pk), action=LogEntry.Action.DELETE).exists()
    assert _effacee(personne)


def test_E2_running_measure_keeps_its_transaction_until_its_deadline_plus_retention() -> None:
    personne = f_dossiers.personne(ADULTE)
    objet = _transaction(
        personne, nature=NatureTransaction.TRAVAIL_NON_REMUNERE, montant=None, heures=10
    )
    limite = JOUR + dt.timedelta(days=400)
    _mesure(
        objet,
        personne,
        nature=NatureMesure.TNR,
        montant=None,
        heures_prevues=10,
        date_limite=limite,
        statut=StatutMesure.AFFECTEE,
    )
    decision = objet.decision_le or JOUR
    assert (
        purger_situations(jour=_apres(decision, _transaction_duree())).comptes()[
            "transactions_supprimees"
        ]
        == 0
    )
    bilan = purger_situations(jour=_apres(limite, _transaction_duree()))
    assert bilan.comptes()["transactions_supprimees"] == 1
    assert bilan.comptes()["mesures_supprimees"] == 1


def test_E2_proposed_transaction_counts_from_its_proposal() -> None:
    personne = f_dossiers.personne(ADULTE)
    objet = f.transaction(personne=personne, date_constat=JOUR, date_proposition=JOUR)
    assert objet.statut == StatutTransaction.PROPOSEE
    assert purger_situations(jour=JOUR + _transaction_duree()).transactions_supprimees == []
    assert purger_situations(jour=_apres(JOUR, _transaction_duree())).transactions_supprimees == [
        objet.pk
    ]


def test_E2_expired_entry_of_a_person_with_a_live_case_spares_the_person() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f_dossiers.personne(ADULTE)
    f_dossiers.situation(cellule, personne, statut=StatutSituation.SUIVIE)
    rappel = f.rappel(personne=personne, date=JOUR)
    bilan = purger_situations(jour=_apres(JOUR, _rappel_duree()))
    assert bilan.rappels_supprimes == [rappel.pk]
    assert bilan.personnes_effacees == []
    assert dechiffrer(Personne.objects.get(pk=personne.pk), "nom") == ADULTE.nom


def test_E2_live_entry_keeps_the_person_of_a_purged_case_then_lets_it_go() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f_dossiers.personne(ADULTE)
    cloture = JOUR - dt.timedelta(days=10)
    situation = f_dossiers.situation(
        cellule,
        personne,
        statut=StatutSituation.ARCHIVEE,
        motif_cloture=MotifCloture.OBJECTIFS_ATTEINTS,
        signalee_le=cloture - dt.timedelta(days=100),
        cloturee_le=cloture,
        archivee_le=cloture,
    )
    recent = JOUR + dt.timedelta(days=300)
    rappel = f.rappel(personne=personne, date=recent)
    jour_cas = cloture + dt.timedelta(days=settings.SITUATION_DUREE_ARCHIVE_JOURS + 1)
    bilan = purger_situations(jour=jour_cas)
    assert bilan.purgees == [situation.pk]
    assert bilan.personnes_effacees == []
    assert Situation.objects.get(pk=situation.pk).statut == StatutSituation.PURGEE
    assert not _effacee(personne)
    fin = purger_situations(jour=_apres(recent, _rappel_duree()))
    assert fin.rappels_supprimes == [rappel.pk]
    assert fin.personnes_effacees == [personne.pk]
    assert _effacee(personne)


def test_E2_one_expired_entry_among_two_keeps_the_person() -> None:
    personne = f_dossiers.personne(ADULTE)
    ancien = f.rappel(personne=personne, date=JOUR)
    objet = _transaction(
        personne,
        date_constat=JOUR + dt.timedelta(days=395),
        date_proposition=JOUR + dt.timedelta(days=400),
        decision_le=JOUR + dt.timedelta(days=410),
    )
    bilan = purger_situations(jour=_apres(JOUR, _rappel_duree()))
    assert bilan.rappels_supprimes == [ancien.pk]
    assert bilan.personnes_effacees == []
    assert TransactionMunicipale.objects.filter(pk=objet.pk).exists()
    assert not _effacee(personne)


def test_E2_measure_without_transaction_keeps_its_person() -> None:
    personne = f_dossiers.personne(ADULTE)
    rappel = f.rappel(personne=personne, date=JOUR)
    _mesure(None, personne, nature=NatureMesure.TIG, montant=None, heures_prevues=40)
    bilan = purger_situations(jour=_apres(JOUR, _rappel_duree()))
    assert bilan.rappels_supprimes == [rappel.pk]
    assert bilan.personnes_effacees == []
    assert not _effacee(personne)


def test_E2_person_registered_without_any_entry_yet_is_left_alone() -> None:
    personne = f_dossiers.personne(ADULTE)
    bilan = purger_situations(jour=JOUR + dt.timedelta(days=20 * 365))
    assert bilan.personnes_effacees == []
    assert not _effacee(personne)


def test_E3_second_run_is_a_noop() -> None:
    f.rappel(personne=f_dossiers.personne(ADULTE), date=JOUR)
    objet = _transaction(f_dossiers.personne())
    _mesure(objet, objet.personne)
    jour = _apres(JOUR + dt.timedelta(days=200), _transaction_duree())
    premier = purger_situations(jour=jour)
    assert premier.comptes()["rappels_supprimes"] == 1
    assert premier.comptes()["transactions_supprimees"] == 1
    avant = db_snapshot()
    second = purger_situations(jour=jour)
    assert db_snapshot() == avant
    assert second.comptes() == Bilan(essai=False).comptes()


def test_statistics_keep_working_on_the_remaining_entries() -> None:
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    ancien = f.rappel(personne=f_dossiers.personne(MINEUR), date=JOUR, mineur=True)
    recent = JOUR + dt.timedelta(days=400)
    f.rappel(personne=f_dossiers.personne(ADULTE), date=recent)
    purger_situations(jour=_apres(JOUR, _rappel_duree()))
    assert not RappelOrdre.objects.filter(pk=ancien.pk).exists()
    assert selectors.statistiques_rappels(directeur, JOUR.year) == []
    assert selectors.statistiques_rappels(directeur, recent.year) == [
        {
            "commune": "21231",
            "annee": recent.year,
            "total": 1,
            "mineurs": 0,
            "transmis_au_parquet": 0,
        }
    ]
