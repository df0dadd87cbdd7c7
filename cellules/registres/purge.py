"""Retention of the registers, rappels à l'ordre and transactions (exigences E2/E3; the
durations are in docs/modele-de-securite.md, "Durées de conservation par défaut").

Rules (durations are settings, see ``config/settings/base.py``):

- a rappel à l'ordre is deleted ``CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS`` after its date;
- a transaction is deleted ``CELLULES_TRANSACTION_CONSERVATION_JOURS`` after its last decision
  or execution: the latest of the proposal, the homologation decision and the end of its ``tig``
  measure (the deadline of a measure still running, so an open measure cannot keep it forever);
- an entry of the minor era (rappel recorded as ``mineur``; transaction whose facts were noted
  while the person was a minor) is deleted on the person's ``CELLULES_REGISTRES_AGE_LIMITE_MINEUR``
  -th birthday at the latest, like a minor-era case;
- an unreadable birth date falls back to the date schedule (fail safe, as for cases).

The ``tig`` measure of a transaction is the execution of that transaction: it is deleted with it
(row by row, before the transaction, which it protects). A measure with no transaction has no
purge rule yet and keeps its person, as does any other row that points to the person and that
this module does not know.

Rows are deleted one by one so that the change log records each deletion (masked). The
orchestration (locks, crypto-shredding of the person, reports) is in ``cellules/purge.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from acces.crypto.erreurs import DechiffrementImpossible
from cellules.dossiers import ages
from cellules.dossiers.models import Personne
from cellules.registres.models import RappelOrdre, TransactionMunicipale

# Relations to ``Personne`` whose retention is decided here or by the case purge.
_GEREES = frozenset(
    {"cellules.Situation", "cellules.RappelOrdre", "cellules.TransactionMunicipale"}
)
MESURE_TIG = "tig.Mesure"


def conservation_rappel() -> dt.timedelta:
    return dt.timedelta(days=int(settings.CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS))


def conservation_transaction() -> dt.timedelta:
    return dt.timedelta(days=int(settings.CELLULES_TRANSACTION_CONSERVATION_JOURS))


def age_limite() -> int:
    return int(settings.CELLULES_REGISTRES_AGE_LIMITE_MINEUR)


@dataclass
class Echus:
    """Expired entries of one person (opaque ids only)."""

    rappels: list[uuid.UUID] = field(default_factory=list)
    transactions: list[uuid.UUID] = field(default_factory=list)
    mesures: list[uuid.UUID] = field(default_factory=list)


def _naissance(personne: Personne) -> dt.date | None:
    try:
        return personne.naissance()
    except (DechiffrementImpossible, ValueError):
        return None


def _limite_atteinte(naissance: dt.date | None, jour: dt.date) -> bool:
    """Whether the person is ``age_limite()`` or older on ``jour`` (29 Feb: from 1 March)."""
    if naissance is None:
        return False
    try:
        return ages.age_au(naissance, jour) >= age_limite()
    except ValueError:
        return False  # birth date after ``jour``: impossible, date schedule applies


def rappel_echu(rappel: RappelOrdre, jour: dt.date) -> bool:
    if rappel.mineur and _limite_atteinte(_naissance(rappel.personne), jour):
        return True
    return jour > rappel.date + conservation_rappel()


def mesure_de(objet: TransactionMunicipale) -> Any | None:
    """The ``tig`` measure of a transaction, if any (reverse one-to-one, no import of tig)."""
    try:
        return objet.mesure_tig
    except ObjectDoesNotExist:
        return None


def fin_transaction(objet: TransactionMunicipale) -> dt.date:
    """Last decision or execution: proposal, homologation decision, end of the measure."""
    dates = [objet.date_proposition]
    if objet.decision_le is not None:
        dates.append(objet.decision_le)
    mesure = mesure_de(objet)
    if mesure is not None:
        dates.append(mesure.terminee_le or mesure.date_limite)
    return max(dates)


def _mineur_aux_faits(naissance: dt.date | None, objet: TransactionMunicipale) -> bool:
    if naissance is None:
        return False
    try:
        return ages.mineur_au(naissance, objet.date_constat)
    except ValueError:
        return False


def transaction_echue(objet: TransactionMunicipale, jour: dt.date) -> bool:
    naissance = _naissance(objet.personne)
    if _mineur_aux_faits(naissance, objet) and _limite_atteinte(naissance, jour):
        return True
    return jour > fin_transaction(objet) + conservation_transaction()


def _rappels(filtre: Q) -> Any:
    return RappelOrdre.objects.filter(filtre).select_related("personne__cle").order_by("date", "id")


def _transactions(filtre: Q) -> Any:
    return (
        TransactionMunicipale.objects.filter(filtre)
        .select_related("personne__cle", "mesure_tig")
        .order_by("date_proposition", "id")
    )


def echus(jour: dt.date) -> dict[uuid.UUID, Echus]:
    """Expired entries at ``jour``, per person (nothing is written)."""
    resultat: dict[uuid.UUID, Echus] = defaultdict(Echus)
    # Older than the retention, or of the minor era (needs the birth date): the others stay.
    anciens = Q(date__lt=jour - conservation_rappel()) | Q(mineur=True)
    for rappel in _rappels(anciens):
        if rappel_echu(rappel, jour):
            resultat[rappel.personne_id].rappels.append(rappel.pk)
    for objet in _transactions(Q()):
        if transaction_echue(objet, jour):
            echues = resultat[objet.personne_id]
            echues.transactions.append(objet.pk)
            mesure = mesure_de(objet)
            if mesure is not None:
                echues.mesures.append(mesure.pk)
    return dict(resultat)


def supprimer_echus(personne_id: uuid.UUID, jour: dt.date) -> Echus:
    """Delete the person's expired entries, row by row, checked again under row locks.

    The caller holds the person's row lock inside a transaction, so concurrent runs serialise on
    the person and the second one finds nothing left.
    """
    supprimes = Echus()
    rappels = _rappels(Q(personne_id=personne_id)).select_for_update(of=("self",))
    for rappel in rappels:
        if rappel_echu(rappel, jour):
            supprimes.rappels.append(rappel.pk)
            rappel.delete()
    transactions = _transactions(Q(personne_id=personne_id)).select_for_update(of=("self",))
    for objet in transactions:
        if not transaction_echue(objet, jour):
            continue
        mesure = mesure_de(objet)
        if mesure is not None:
            supprimes.mesures.append(mesure.pk)
            mesure.delete()
        supprimes.transactions.append(objet.pk)
        objet.delete()
    return supprimes


def registres_retiennent(personne_id: uuid.UUID, jour: dt.date) -> bool:
    """Whether a register entry within its retention, or any other row, still needs the person.

    Expired entries do not count (they are deleted by the same run, or would be in a dry run).
    Cases are the caller's business.
    """
    if any(not rappel_echu(r, jour) for r in _rappels(Q(personne_id=personne_id))):
        return True
    if any(not transaction_echue(t, jour) for t in _transactions(Q(personne_id=personne_id))):
        return True
    for relation in Personne._meta.related_objects:
        modele = relation.related_model
        if not isinstance(modele, type) or modele._meta.label in _GEREES:
            continue
        lignes = modele._default_manager.filter(**{relation.field.name: personne_id})
        if modele._meta.label == MESURE_TIG:
            # Measures of a transaction follow it (above); the others have no purge rule yet.
            lignes = lignes.filter(transaction_municipale__isnull=True)
        if lignes.exists():
            return True
    return False
