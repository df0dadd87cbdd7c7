# mypy: disallow-untyped-calls=False
"""Measures handed over by homologated transactions: outbox hand-off, idempotence, end."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from acces.enums import Action, Role
from audit.changements import MASQUE
from cellules.registres import services as t
from cellules.registres.enums import (
    AutoriteHomologation,
    ContraventionTransaction,
    NatureTransaction,
    StatutTransaction,
)
from cellules.registres.models import TransactionMunicipale
from cellules.registres.services import IdentiteNouvelle
from config.celery import app
from socle.errors import ApiError
from socle.models import OutboxMessage
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.registres import factories as f_registres
from tests.utils.base import executer_outbox
from tig import services
from tig.enums import NatureMesure, StatutMesure
from tig.models import Mesure
from tig.tasks import TACHE_MESURE_DEPUIS_TRANSACTION

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


def _homologuee(
    directeur: Any, delegue: Any, *, homologuee: bool = True, **champs: Any
) -> TransactionMunicipale:
    aujourd_hui = timezone.localdate()
    valeurs: dict[str, Any] = {
        "commune": f_composition.commune_de("21231"),
        "personne": f_dossiers.personne(),
        "contravention": ContraventionTransaction.INSCRIPTIONS,
        "date_constat": aujourd_hui - dt.timedelta(days=3),
        "date_proposition": aujourd_hui,
        "nature": NatureTransaction.REPARATION,
        "montant": Decimal("150.00"),
        "acteur": directeur,
    }
    valeurs.update(champs)
    objet = t.transaction_proposer(**valeurs)
    objet = t.transaction_repondre(objet=objet, acceptee=True, acteur=directeur)
    return t.transaction_homologuer(
        objet=objet,
        homologuee=homologuee,
        autorite=AutoriteHomologation.PROCUREUR,
        decision_le=aujourd_hui,
        acteur=delegue,
    )


def _tnr(directeur: Any, delegue: Any, **champs: Any) -> TransactionMunicipale:
    return _homologuee(
        directeur,
        delegue,
        nature=NatureTransaction.TRAVAIL_NON_REMUNERE,
        montant=None,
        heures=12,
        **champs,
    )


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


def test_task_is_registered_idempotent_and_late_acknowledged() -> None:
    app.loader.import_default_modules()
    tache = app.tasks[TACHE_MESURE_DEPUIS_TRANSACTION]
    assert TACHE_MESURE_DEPUIS_TRANSACTION == t.TACHE_TIG
    assert tache.acks_late and tache.reject_on_worker_lost
    assert getattr(tache.run, "une_seule_fois", False)


def test_homologation_through_the_outbox_creates_exactly_one_reparation(
    directeur: Any, delegue: Any
) -> None:
    objet = _homologuee(directeur, delegue)
    assert not Mesure.objects.exists()
    assert executer_outbox() == 1
    assert executer_outbox() == 0  # the marker of the first run stops a second delivery
    mesure = Mesure.objects.get()
    assert mesure.transaction_municipale_id == objet.pk
    assert mesure.nature == NatureMesure.REPARATION
    assert mesure.montant == Decimal("150.00") and mesure.heures_prevues is None
    assert mesure.personne_id == objet.personne_id and mesure.commune_id == "21231"
    assert mesure.statut == StatutMesure.A_AFFECTER and mesure.version == 1
    assert mesure.date_limite == t.ajouter_mois(
        timezone.localdate(), settings.TIG_DELAI_EXECUTION_MOIS
    )
    assert str(mesure) == f"mesure {mesure.pk}"


def test_duplicate_message_for_the_same_transaction_creates_no_second_measure(
    directeur: Any, delegue: Any
) -> None:
    objet = _tnr(directeur, delegue)
    # A second message for the same transaction (e.g. a replayed hand-off): another outbox id,
    # so the task body runs again, and the one-measure-per-transaction rule holds.
    t.enqueue(t.TACHE_TIG, transaction_id=objet.pk)
    assert OutboxMessage.objects.filter(tache=t.TACHE_TIG).count() == 2
    assert executer_outbox() == 2
    mesure = Mesure.objects.get()
    assert mesure.nature == NatureMesure.TNR
    assert mesure.heures_prevues == 12 and mesure.montant is None
    assert services.mesure_depuis_transaction(transaction_id=objet.pk) == mesure
    assert Mesure.objects.count() == 1


def test_not_homologated_or_unknown_transaction_creates_nothing(
    directeur: Any, delegue: Any
) -> None:
    non = _homologuee(directeur, delegue, homologuee=False)
    assert non.statut == StatutTransaction.NON_HOMOLOGUEE
    assert not OutboxMessage.objects.filter(tache=t.TACHE_TIG).exists()
    assert services.mesure_depuis_transaction(transaction_id=non.pk) is None
    acceptee = t.transaction_repondre(
        objet=t.transaction_proposer(
            commune=f_composition.commune_de("21231"),
            personne=f_dossiers.personne(),
            contravention=ContraventionTransaction.AFFICHAGE,
            date_constat=timezone.localdate(),
            date_proposition=timezone.localdate(),
            nature=NatureTransaction.REPARATION,
            montant=Decimal("20"),
            acteur=directeur,
        ),
        acceptee=True,
        acteur=directeur,
    )
    # A message for a transaction not homologated (forged or stale) is consumed without effect.
    t.enqueue(t.TACHE_TIG, transaction_id=acceptee.pk)
    t.enqueue(t.TACHE_TIG, transaction_id=uuid.uuid4())
    assert executer_outbox() == 2
    assert not Mesure.objects.exists()


def test_executed_reparation_marks_the_transaction_executed(directeur: Any, delegue: Any) -> None:
    objet = _homologuee(directeur, delegue)
    executer_outbox()
    mesure = Mesure.objects.get()
    finie = services.mesure_terminer(mesure=mesure, executee=True, acteur=delegue, version=1)
    assert finie.statut == StatutMesure.EXECUTEE
    assert finie.terminee_le == timezone.localdate() and finie.version == 2
    assert TransactionMunicipale.objects.get(pk=objet.pk).statut == StatutTransaction.EXECUTEE
    encore = _erreur(
        lambda: services.mesure_terminer(
            mesure=mesure, executee=True, acteur=delegue, version=finie.version
        )
    )
    assert (encore.status_code, encore.code) == (409, "transition_impossible")


def test_unpaid_work_is_executed_once_assigned_only(directeur: Any, delegue: Any) -> None:
    objet = _tnr(directeur, delegue)
    executer_outbox()
    mesure = Mesure.objects.get()
    trop_tot = _erreur(
        lambda: services.mesure_terminer(
            mesure=mesure, executee=True, acteur=delegue, version=mesure.version
        )
    )
    assert trop_tot.status_code == 409
    assert TransactionMunicipale.objects.get(pk=objet.pk).statut == StatutTransaction.HOMOLOGUEE
    mesure.statut = StatutMesure.AFFECTEE
    mesure.save(update_fields=["statut"])
    perimee = _erreur(
        lambda: services.mesure_terminer(mesure=mesure, executee=True, acteur=delegue, version=7)
    )
    assert perimee.status_code == 412
    services.mesure_terminer(mesure=mesure, executee=True, acteur=delegue, version=mesure.version)
    assert TransactionMunicipale.objects.get(pk=objet.pk).statut == StatutTransaction.EXECUTEE


def test_measure_not_executed_leaves_the_transaction_homologated(
    directeur: Any, delegue: Any
) -> None:
    objet = _tnr(directeur, delegue)
    executer_outbox()
    mesure = services.mesure_terminer(
        mesure=Mesure.objects.get(),
        executee=False,
        acteur=delegue,
        version=Mesure.objects.get().version,
    )
    assert mesure.statut == StatutMesure.NON_EXECUTEE and mesure.terminee_le is not None
    assert TransactionMunicipale.objects.get(pk=objet.pk).statut == StatutTransaction.HOMOLOGUEE


def test_failed_callback_rolls_the_end_of_the_measure_back(directeur: Any, delegue: Any) -> None:
    objet = _homologuee(directeur, delegue)
    executer_outbox()
    TransactionMunicipale.objects.filter(pk=objet.pk).update(statut=StatutTransaction.EXECUTEE)
    refus = _erreur(
        lambda: services.mesure_terminer(
            mesure=Mesure.objects.get(),
            executee=True,
            acteur=delegue,
            version=Mesure.objects.get().version,
        )
    )
    assert refus.status_code == 409
    assert Mesure.objects.get().statut == StatutMesure.A_AFFECTER


def test_B2_only_the_delegue_of_the_ressort_reaches_the_measure(
    directeur: Any, delegue: Any
) -> None:
    _homologuee(directeur, delegue)
    executer_outbox()
    mesure = Mesure.objects.get()
    assert list(Mesure.objects.restrict(delegue, Action.LIRE)) == [mesure]
    f_composition.cellule("21166", ressort="TJ Ailleurs")
    ailleurs = f_composition.agent(Role.DELEGUE_PROCUREUR, ressort="TJ Ailleurs")
    for acteur in (directeur, ailleurs):
        assert not Mesure.objects.restrict(acteur, Action.LIRE).exists()
        refus = _erreur(
            lambda acteur=acteur: services.mesure_terminer(
                mesure=mesure, executee=True, acteur=acteur, version=mesure.version
            )
        )
        assert refus.status_code == 404
    assert Mesure.objects.get().statut == StatutMesure.A_AFFECTER


def test_hours_limits_are_settings(settings: Any) -> None:
    transaction = f_registres.transaction(
        nature=NatureTransaction.TRAVAIL_NON_REMUNERE, montant=None, heures=10
    )

    def mesure(nature: str, heures: int) -> Mesure:
        return Mesure(
            nature=nature,
            personne=transaction.personne,
            commune=transaction.commune,
            heures_prevues=heures,
            date_limite=timezone.localdate(),
        )

    mesure(NatureMesure.TNR, 100).full_clean()
    mesure(NatureMesure.TIG, 400).full_clean()
    for nature, heures in (
        (NatureMesure.TNR, 101),
        (NatureMesure.TIG, 19),
        (NatureMesure.TIG, 401),
    ):
        with pytest.raises(ValidationError) as erreur:
            mesure(nature, heures).full_clean()
        assert "heures_prevues" in erreur.value.message_dict
    settings.TIG_TNR_HEURES_MAX = 30
    with pytest.raises(ValidationError):
        mesure(NatureMesure.TNR, 31).full_clean()


class _Collecte(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texte(self) -> str:
        return json.dumps([r.__dict__ for r in self.records], default=str, ensure_ascii=False)


def test_C1_outbox_task_logs_and_change_log_hold_ids_only(directeur: Any, delegue: Any) -> None:
    c = canari()
    objet = _tnr(
        directeur,
        delegue,
        personne=None,
        identite=IdentiteNouvelle(c.nom, c.prenom, c.date_naissance),
    )
    message = OutboxMessage.objects.get(tache=t.TACHE_TIG)
    assert message.arguments == {"transaction_id": str(objet.pk)}
    collecte = _Collecte()
    for nom in ("tig", "celery"):
        logging.getLogger(nom).addHandler(collecte)
    try:
        executer_outbox()
    finally:
        for nom in ("tig", "celery"):
            logging.getLogger(nom).removeHandler(collecte)
    mesure = Mesure.objects.get()
    services.mesure_terminer(mesure=mesure, executee=False, acteur=delegue, version=mesure.version)
    with connection.cursor() as cursor:
        cursor.execute("SELECT t::text FROM socle_outboxmessage AS t")
        messages = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT t::text FROM auditlog_logentry AS t")
        journal = "\n".join(row[0] for row in cursor.fetchall())
    assert str(objet.pk) in messages
    assert scanner(messages, [c]) == []
    assert scanner(journal, [c]) == []
    journaux = collecte.texte()
    assert "mesure créée" in journaux and str(mesure.pk) in journaux
    assert scanner(journaux, [c]) == []
    entrees = LogEntry.objects.get_for_object(mesure).order_by("pk")
    creation = entrees.first()
    assert creation is not None and creation.object_repr == f"mesure {mesure.pk}"
    for champ in ("nature", "heures_prevues"):
        assert set(creation.changes_dict[champ]) <= {MASQUE, "None"}, champ
        assert "tnr" not in json.dumps(creation.changes_dict[champ])
