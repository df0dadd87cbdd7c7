"""Writes of the mayor's transactions (art. 44-1 CPP, reference held as data).

Proposed within ``TRANSACTION_DELAI_PROPOSITION_MOIS`` months of the report; réparation (an
amount in euros) or unpaid work of at most ``TRANSACTION_HEURES_MAX`` hours; then accepted or
refused by the person, homologated or not by the procureur or the police-court judge. An
homologated transaction is handed to the ``tig`` app through the outbox (transaction id only).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acces.enums import Action
from acces.models import Commune, Utilisateur
from acces.perimetre import perimetre_de
from cellules.models import Personne
from cellules.orientations import politiques
from cellules.orientations.commun import (
    exiger_registre,
    interdit,
    introuvable,
    invalide,
    reference,
    refus,
    transition_impossible,
    version_perimee,
)
from cellules.orientations.enums import (
    REFERENCE_TRANSACTION,
    AutoriteHomologation,
    ContraventionTransaction,
    NatureTransaction,
    StatutTransaction,
)
from cellules.orientations.models import TransactionMunicipale
from cellules.orientations.rappels import IdentiteNouvelle, personne_depuis_identite
from socle.outbox import enqueue

TACHE_TIG = "tig.mesure_depuis_transaction"
MONTANT_MAX = Decimal("100000")


def delai_mois() -> int:
    return int(getattr(settings, "TRANSACTION_DELAI_PROPOSITION_MOIS", 1))


def heures_max() -> int:
    return int(getattr(settings, "TRANSACTION_HEURES_MAX", 30))


def ajouter_mois(jour: dt.date, mois: int) -> dt.date:
    """Same day ``mois`` months later, or the last day of that month (31 Jan + 1 = 28/29 Feb)."""
    total = jour.month - 1 + mois
    annee, mois_cible = jour.year + total // 12, total % 12 + 1
    dernier = calendar.monthrange(annee, mois_cible)[1]
    return dt.date(annee, mois_cible, min(jour.day, dernier))


def _dates(date_constat: dt.date, date_proposition: dt.date) -> None:
    aujourd_hui = timezone.localdate()
    if date_constat > aujourd_hui:
        raise invalide("date_constat", "La date du constat ne peut être dans le futur.")
    if date_proposition > aujourd_hui:
        raise invalide("date_proposition", "La date de proposition ne peut être dans le futur.")
    if date_proposition < date_constat:
        raise invalide("date_proposition", "La proposition ne peut précéder le constat.")
    if date_proposition > ajouter_mois(date_constat, delai_mois()):
        raise refus(
            "delai_depasse",
            f"La transaction doit être proposée dans les {delai_mois()} mois suivant le constat.",
            "date_proposition",
        )


def _nature(nature: str, montant: Decimal | None, heures: int | None) -> None:
    if nature == NatureTransaction.REPARATION:
        if heures is not None:
            raise invalide("heures", "Une réparation ne comporte pas d'heures de travail.")
        if montant is None or not montant.is_finite() or montant <= 0 or montant > MONTANT_MAX:
            raise invalide("montant", "Montant en euros strictement positif obligatoire.")
    elif nature == NatureTransaction.TRAVAIL_NON_REMUNERE:
        if montant is not None:
            raise invalide("montant", "Un travail non rémunéré ne comporte pas de montant.")
        if heures is None or heures <= 0:
            raise invalide("heures", "Nombre d'heures obligatoire.")
        if heures > heures_max():
            raise refus(
                "heures_depassees",
                f"Le travail non rémunéré est limité à {heures_max()} heures.",
                "heures",
            )
    else:
        raise invalide("nature", "Valeur hors de la liste fermée.")


@transaction.atomic
def transaction_proposer(
    *,
    commune: Commune,
    contravention: str,
    date_constat: dt.date,
    date_proposition: dt.date,
    nature: str,
    acteur: Utilisateur,
    personne: Personne | None = None,
    identite: IdentiteNouvelle | None = None,
    montant: Decimal | None = None,
    heures: int | None = None,
) -> TransactionMunicipale:
    """Record the mayor's proposal, for a commune whose register the actor keeps."""
    exiger_registre(commune, acteur)
    if contravention not in ContraventionTransaction.values:
        raise invalide("contravention", "Valeur hors de la liste fermée.")
    _dates(date_constat, date_proposition)
    _nature(nature, montant, heures)
    if (personne is None) == (identite is None):
        raise invalide("personne", "Indiquez une personne connue ou une identité, pas les deux.")
    if personne is None:
        assert identite is not None
        personne = personne_depuis_identite(identite, acteur)
    objet = TransactionMunicipale(
        id=uuid.uuid4(),
        commune=commune,
        personne=personne,
        contravention=contravention,
        date_constat=date_constat,
        date_proposition=date_proposition,
        nature=nature,
        montant=montant,
        heures=heures,
        reference=reference(REFERENCE_TRANSACTION),
        proposee_par=acteur,
    )
    objet.full_clean()
    objet.save(force_insert=True)
    return objet


def _verrouiller(
    objet: TransactionMunicipale, version: int | None, acteur: Utilisateur, *, homologuer: bool
) -> TransactionMunicipale:
    base = TransactionMunicipale.objects.restrict(acteur, Action.LIRE)
    courante: TransactionMunicipale | None = base.select_for_update().filter(pk=objet.pk).first()
    if courante is None:
        raise introuvable()
    p = perimetre_de(acteur)
    if homologuer:
        condition = politiques.communes_homologation(p)
        permis = condition is not None and base.filter(condition, pk=objet.pk).exists()
    else:
        permis = (
            TransactionMunicipale.objects.restrict(acteur, Action.MODIFIER)
            .filter(pk=objet.pk)
            .exists()
        )
    if not permis:
        raise interdit()
    if version is not None and courante.version != version:
        raise version_perimee()
    return courante


def _sauver(objet: TransactionMunicipale, statut: str) -> TransactionMunicipale:
    objet.statut = statut
    objet.version += 1
    objet.full_clean()
    objet.save()
    return objet


@transaction.atomic
def transaction_repondre(
    *, objet: TransactionMunicipale, acceptee: bool, acteur: Utilisateur, version: int | None = None
) -> TransactionMunicipale:
    """Record whether the person accepted the proposal (directeur of the commune)."""
    courante = _verrouiller(objet, version, acteur, homologuer=False)
    if courante.statut != StatutTransaction.PROPOSEE:
        raise transition_impossible()
    return _sauver(courante, StatutTransaction.ACCEPTEE if acceptee else StatutTransaction.REFUSEE)


@transaction.atomic
def transaction_homologuer(
    *,
    objet: TransactionMunicipale,
    homologuee: bool,
    autorite: str,
    decision_le: dt.date,
    acteur: Utilisateur,
    version: int | None = None,
) -> TransactionMunicipale:
    """Record the homologation decision; an homologated one goes to ``tig`` for execution."""
    if autorite not in AutoriteHomologation.values:
        raise invalide("autorite", "Valeur hors de la liste fermée.")
    courante = _verrouiller(objet, version, acteur, homologuer=True)
    if courante.statut != StatutTransaction.ACCEPTEE:
        raise transition_impossible()
    if not courante.date_proposition <= decision_le <= timezone.localdate():
        raise invalide("decision_le", "Date de décision impossible.")
    courante.autorite_homologation = autorite
    courante.decision_le = decision_le
    statut = StatutTransaction.HOMOLOGUEE if homologuee else StatutTransaction.NON_HOMOLOGUEE
    _sauver(courante, statut)
    if homologuee:
        enqueue(TACHE_TIG, transaction_id=courante.pk)
    return courante


@transaction.atomic
def transaction_executer(*, transaction_id: uuid.UUID) -> TransactionMunicipale:
    """Mark an homologated transaction executed (called by ``tig`` when the measure ends)."""
    courante = (
        TransactionMunicipale.objects.select_for_update()
        .filter(pk=transaction_id, statut=StatutTransaction.HOMOLOGUEE)
        .first()
    )
    if courante is None:
        raise transition_impossible()
    return _sauver(courante, StatutTransaction.EXECUTEE)
