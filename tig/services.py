"""Writes of the ``tig`` app: measures handed over by ``cellules`` and their end.

``mesure_depuis_transaction`` runs in the task of the outbox message written by the homologation
of a transaction (transaction id only); it creates at most one measure per transaction.
``mesure_terminer`` records the outcome; an executed measure marks its transaction executed in
the same database transaction (a direct call: both apps share the database, so the two writes
commit together or not at all, and no second message can be lost).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acces.enums import Action
from acces.models import Utilisateur
from cellules.registres.selectors import transaction_a_mesurer
from cellules.registres.services import (
    NatureTransaction,
    StatutTransaction,
    ajouter_mois,
    transaction_executer,
)
from socle.errors import ApiError
from tig.enums import EN_COURS, NatureMesure, StatutMesure
from tig.models import Mesure

logger = logging.getLogger("tig.services")


def date_limite(depuis: dt.date) -> dt.date:
    """Deadline of a measure decided on ``depuis`` (``TIG_DELAI_EXECUTION_MOIS`` later)."""
    return ajouter_mois(depuis, int(settings.TIG_DELAI_EXECUTION_MOIS))


@transaction.atomic
def mesure_depuis_transaction(*, transaction_id: uuid.UUID) -> Mesure | None:
    """The measure of an homologated transaction, created once; None if it has none.

    The transaction row is locked first, so two concurrent deliveries create one measure (the
    one-to-one column would refuse a second one anyway).
    """
    origine = transaction_a_mesurer(transaction_id)
    if origine is None:
        logger.info(
            "transaction absente, aucune mesure", extra={"transaction": str(transaction_id)}
        )
        return None
    existante = Mesure.objects.filter(transaction_municipale_id=origine.pk).first()
    if existante is not None:
        return existante
    if origine.statut != StatutTransaction.HOMOLOGUEE:
        logger.info(
            "transaction non homologuée, aucune mesure", extra={"transaction": str(origine.pk)}
        )
        return None
    reparation = origine.nature == NatureTransaction.REPARATION
    mesure = Mesure(
        id=uuid.uuid4(),
        nature=NatureMesure.REPARATION if reparation else NatureMesure.TNR,
        transaction_municipale=origine,
        personne_id=origine.personne_id,
        commune_id=origine.commune_id,
        heures_prevues=None if reparation else origine.heures,
        montant=origine.montant if reparation else None,
        date_limite=date_limite(origine.decision_le or timezone.localdate()),
    )
    mesure.full_clean()
    mesure.save(force_insert=True)
    logger.info("mesure créée", extra={"mesure": str(mesure.pk), "transaction": str(origine.pk)})
    return mesure


@transaction.atomic
def mesure_terminer(*, mesure: Mesure, executee: bool, acteur: Utilisateur, version: int) -> Mesure:
    """Record whether a running measure was carried out (délégué du procureur of the ressort).

    A TNR or TIG is executed once assigned to a post; a réparation needs no post. An executed
    measure from a transaction marks that transaction executed.
    """
    courante: Mesure | None = (
        Mesure.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=mesure.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    if courante.version != version:
        raise ApiError.version_perimee()
    if courante.statut not in EN_COURS:
        raise ApiError.transition_impossible()
    if (
        executee
        and courante.nature != NatureMesure.REPARATION
        and courante.statut != StatutMesure.AFFECTEE
    ):
        raise ApiError.transition_impossible()
    courante.statut = StatutMesure.EXECUTEE if executee else StatutMesure.NON_EXECUTEE
    courante.terminee_le = timezone.localdate()
    courante.version += 1
    courante.full_clean()
    courante.save(update_fields=["statut", "terminee_le", "version"])
    if executee and courante.transaction_municipale_id is not None:
        transaction_executer(transaction_id=courante.transaction_municipale_id)
    return courante
