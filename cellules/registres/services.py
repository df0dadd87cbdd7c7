"""Writes of the mayor's registers: rappels à l'ordre (art. L132-7 CSI) and transactions
(art. 44-1 CPP), their legal references held as data.

A rappel à l'ordre is refused (400, clear French message) for facts that are a crime or a délit,
or while a complaint or an investigation is under way. A minor at the date of the rappel is
accompanied (parents, legal representative, educator) or the reason why not is recorded from a
closed list.

A transaction is proposed within ``TRANSACTION_DELAI_PROPOSITION_MOIS`` months of the report;
réparation (an amount in euros) or unpaid work of at most ``TRANSACTION_HEURES_MAX`` hours; then
accepted or refused by the person, homologated or not by the procureur or the police-court
judge. An homologated transaction is handed to the ``tig`` app through the outbox (transaction
id only); ``tig`` calls ``transaction_executer`` when the measure is carried out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.enums import Action, Role
from acces.models import Commune, Utilisateur
from acces.perimetre import perimetre_de
from cellules.composition.services import texte_valide
from cellules.dossiers.models import Personne
from cellules.orientations.selectors import reference
from cellules.registres import politiques
from cellules.registres.enums import (
    REFERENCE_RAPPEL_ORDRE,
    REFERENCE_TRANSACTION,
    Accompagnant,
    AutoriteHomologation,
    ContraventionTransaction,
    FaitRappel,
    MotifSansAccompagnant,
    NatureTransaction,
    QualiteAuteur,
    StatutTransaction,
)
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from socle.errors import ApiError
from socle.outbox import enqueue

REFERENCE_MAX = 100
IDENTITE_MAX = 100


def exiger_registre(commune: Commune, acteur: Utilisateur) -> None:
    """The actor keeps the register of ``commune`` (directeur de la tranquillité publique)."""
    p = perimetre_de(acteur)
    if not politiques.peut_tenir_registre(p):
        raise ApiError.acces_refuse()
    if commune.pk not in p.portee(Role.DIRECTEUR_TRANQUILLITE).communes:
        raise ApiError.champ_invalide("commune", "Commune hors de votre périmètre.")


@dataclass(frozen=True)
class Qualification:
    """What the author declares about the facts; any ``True`` refuses the entry."""

    crime_ou_delit: bool = False
    plainte_en_cours: bool = False
    enquete_en_cours: bool = False


@dataclass(frozen=True)
class IdentiteNouvelle:
    nom: str
    prenom: str
    date_naissance: dt.date


def _qualification(q: Qualification) -> None:
    if q.crime_ou_delit:
        raise ApiError.refus(
            "faits_penaux",
            "Un rappel à l'ordre ne peut porter sur des faits constitutifs d'un crime ou d'un "
            "délit : saisissez le parquet.",
            "crime_ou_delit",
        )
    if q.plainte_en_cours:
        raise ApiError.refus(
            "plainte_en_cours",
            "Un rappel à l'ordre est impossible tant qu'une plainte est en cours sur ces faits.",
            "plainte_en_cours",
        )
    if q.enquete_en_cours:
        raise ApiError.refus(
            "enquete_en_cours",
            "Un rappel à l'ordre est impossible tant qu'une enquête est en cours sur ces faits.",
            "enquete_en_cours",
        )


def _faits(valeurs: Iterable[str]) -> list[str]:
    liste = list(valeurs)
    if not liste:
        raise ApiError.champ_invalide("faits", "Indiquez au moins un fait.")
    if any(v not in FaitRappel.values for v in liste):
        raise ApiError.champ_invalide("faits", "Fait hors de la liste fermée.")
    return [v for v in FaitRappel.values if v in liste]


def _auteur(qualite: str, reference_delegation: str) -> str:
    if qualite not in QualiteAuteur.values:
        raise ApiError.champ_invalide("qualite_auteur", "Valeur hors de la liste fermée.")
    ref = texte_valide(
        "reference_delegation", reference_delegation, REFERENCE_MAX, obligatoire=False
    )
    if qualite != QualiteAuteur.MAIRE and not ref:
        raise ApiError.champ_invalide(
            "reference_delegation",
            "La référence de l'arrêté de délégation est obligatoire pour un adjoint ou un "
            "conseiller municipal.",
        )
    return ref


def _accompagnement(mineur: bool, accompagnant: str, motif: str) -> None:
    if accompagnant and accompagnant not in Accompagnant.values:
        raise ApiError.champ_invalide("accompagnant", "Valeur hors de la liste fermée.")
    if motif and motif not in MotifSansAccompagnant.values:
        raise ApiError.champ_invalide("motif_sans_accompagnant", "Valeur hors de la liste fermée.")
    if not mineur:
        if accompagnant or motif:
            raise ApiError.champ_invalide(
                "accompagnant", "L'accompagnement ne concerne que les mineurs."
            )
        return
    if bool(accompagnant) == bool(motif):
        raise ApiError.champ_invalide(
            "accompagnant",
            "Pour un mineur, indiquez l'accompagnant (parents, représentant légal, éducateur) "
            "ou, en cas d'impossibilité, le motif de son absence — l'un ou l'autre.",
        )


def _transmission(date_rappel: dt.date, transmis_le: dt.date | None, convention: str) -> str:
    ref = texte_valide("reference_convention", convention, REFERENCE_MAX, obligatoire=False)
    if transmis_le is None:
        if ref:
            raise ApiError.champ_invalide(
                "transmis_au_parquet_le", "Date de transmission au parquet manquante."
            )
        return ref
    if not date_rappel <= transmis_le <= timezone.localdate():
        raise ApiError.champ_invalide("transmis_au_parquet_le", "Date de transmission impossible.")
    if not ref:
        raise ApiError.champ_invalide(
            "reference_convention", "Référence de la convention locale obligatoire."
        )
    return ref


def _connue(acteur: Utilisateur, index: bytes) -> uuid.UUID | None:
    """A person with this identity already in the actor's register or transactions."""
    for modele in (RappelOrdre, TransactionMunicipale):
        trouvee: uuid.UUID | None = (
            modele.objects.restrict(acteur, Action.MODIFIER)
            .filter(personne__index_identite=index)
            .values_list("personne_id", flat=True)
            .first()
        )
        if trouvee is not None:
            return trouvee
    return None


def personne_depuis_identite(identite: IdentiteNouvelle, acteur: Utilisateur) -> Personne:
    nom = texte_valide("nom", identite.nom, IDENTITE_MAX, obligatoire=False)
    prenom = texte_valide("prenom", identite.prenom, IDENTITE_MAX, obligatoire=False)
    if not nom or not prenom:
        raise ApiError.champ_invalide("identite", "Nom et prénom obligatoires.")
    if not dt.date(1900, 1, 1) <= identite.date_naissance <= timezone.localdate():
        raise ApiError.champ_invalide("date_naissance", "Date de naissance impossible.")
    index = index_aveugle(nom, prenom, identite.date_naissance)
    # Same person already known to this register keeper: reuse it (scope-limited search,
    # under every index key version while a rotation is under way).
    from acces.crypto.index import indexes_aveugles

    connue = None
    for variante in indexes_aveugles(nom, prenom, identite.date_naissance):
        connue = connue or _connue(acteur, variante)
    if connue is not None:
        return Personne.objects.get(pk=connue)
    cle = CleDonnees.nouvelle()
    cle.save()
    personne = Personne(id=uuid.uuid4(), cle=cle, cree_par=acteur)
    chiffrer(personne, "nom", nom)
    chiffrer(personne, "prenom", prenom)
    chiffrer(personne, "date_naissance", identite.date_naissance)
    chiffrer(personne, "adresse", "")
    chiffrer(personne, "commune_residence", "")
    personne.index_identite = index
    personne.full_clean()
    personne.save(force_insert=True)
    return personne


@transaction.atomic
def rappel_enregistrer(
    *,
    commune: Commune,
    date: dt.date,
    qualite_auteur: str,
    faits: Iterable[str],
    acteur: Utilisateur,
    personne: Personne | None = None,
    identite: IdentiteNouvelle | None = None,
    qualification: Qualification = Qualification(),  # noqa: B008 - frozen, immutable
    reference_delegation: str = "",
    accompagnant: str = "",
    motif_sans_accompagnant: str = "",
    transmis_au_parquet_le: dt.date | None = None,
    reference_convention: str = "",
) -> RappelOrdre:
    """Record a rappel à l'ordre in the register of a commune the actor keeps."""
    exiger_registre(commune, acteur)
    _qualification(qualification)
    if date > timezone.localdate():
        raise ApiError.champ_invalide("date", "La date du rappel ne peut être dans le futur.")
    if (personne is None) == (identite is None):
        raise ApiError.champ_invalide(
            "personne", "Indiquez une personne connue ou une identité, pas les deux."
        )
    if personne is None:
        assert identite is not None
        personne = personne_depuis_identite(identite, acteur)
    try:
        mineur = personne.mineur_au(date)
    except ValueError:
        raise ApiError.champ_invalide("date", "Date du rappel antérieure à la naissance.") from None
    _accompagnement(mineur, accompagnant, motif_sans_accompagnant)
    rappel = RappelOrdre(
        id=uuid.uuid4(),
        commune=commune,
        date=date,
        qualite_auteur=qualite_auteur,
        reference_delegation=_auteur(qualite_auteur, reference_delegation),
        personne=personne,
        faits=_faits(faits),
        mineur=mineur,
        accompagnant=accompagnant,
        motif_sans_accompagnant=motif_sans_accompagnant,
        transmis_au_parquet_le=transmis_au_parquet_le,
        reference_convention=_transmission(date, transmis_au_parquet_le, reference_convention),
        reference=reference(REFERENCE_RAPPEL_ORDRE),
        cree_par=acteur,
    )
    rappel.full_clean()
    rappel.save(force_insert=True)
    return rappel


# Fields a correction may change: the person and the commune of an entry stay (another person
# or another register is another entry); ``mineur`` follows the corrected date.
CHAMPS_CORRIGEABLES = frozenset(
    {
        "date",
        "qualite_auteur",
        "reference_delegation",
        "faits",
        "accompagnant",
        "motif_sans_accompagnant",
        "transmis_au_parquet_le",
        "reference_convention",
    }
)


@transaction.atomic
def rappel_corriger(
    *,
    rappel: RappelOrdre,
    version: int,
    acteur: Utilisateur,
    qualification: Qualification | None = None,
    **champs: Any,
) -> RappelOrdre:
    """Correct an entry of a register the actor keeps (compare-and-swap on ``version``).

    The corrected entry is held to the rules of a new one: no penal facts, complaint or
    investigation (declared again whenever the facts are corrected), the author's delegation,
    a minor at the (corrected) date accompanied or the reason why not, the transmission to the
    parquet under the convention. The change log records the correction, its content masked.
    """
    inconnus = set(champs) - CHAMPS_CORRIGEABLES
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non corrigeable.")
    if not champs and qualification is None:
        raise ApiError.donnees_invalides(
            {"non_field_errors": ["Indiquez au moins un champ à corriger."]}
        )
    if not politiques.peut_tenir_registre(perimetre_de(acteur)):
        raise ApiError.acces_refuse()
    courante: RappelOrdre | None = (
        RappelOrdre.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=rappel.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    if courante.version != version:
        raise ApiError.version_perimee()
    if "faits" in champs and qualification is None:
        raise ApiError.champ_invalide(
            "crime_ou_delit",
            "Pour corriger les faits, déclarez à nouveau s'ils constituent un crime ou un délit "
            "(crime_ou_delit) et si une plainte ou une enquête est en cours (plainte_en_cours, "
            "enquete_en_cours).",
        )
    if qualification is not None:
        _qualification(qualification)
    date: dt.date = champs.get("date", courante.date)
    if date > timezone.localdate():
        raise ApiError.champ_invalide("date", "La date du rappel ne peut être dans le futur.")
    personne = Personne.objects.get(pk=courante.personne_id)
    try:
        mineur = personne.mineur_au(date)
    except ValueError:
        raise ApiError.champ_invalide("date", "Date du rappel antérieure à la naissance.") from None
    accompagnant = champs.get("accompagnant", courante.accompagnant)
    motif = champs.get("motif_sans_accompagnant", courante.motif_sans_accompagnant)
    _accompagnement(mineur, accompagnant, motif)
    qualite = champs.get("qualite_auteur", courante.qualite_auteur)
    delegation = _auteur(qualite, champs.get("reference_delegation", courante.reference_delegation))
    transmis_le = champs.get("transmis_au_parquet_le", courante.transmis_au_parquet_le)
    convention = _transmission(
        date, transmis_le, champs.get("reference_convention", courante.reference_convention)
    )
    if "faits" in champs:
        courante.faits = _faits(champs["faits"])
    courante.date = date
    courante.mineur = mineur
    courante.accompagnant = accompagnant
    courante.motif_sans_accompagnant = motif
    courante.qualite_auteur = qualite
    courante.reference_delegation = delegation
    courante.transmis_au_parquet_le = transmis_le
    courante.reference_convention = convention
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


# Transactions

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
        raise ApiError.champ_invalide(
            "date_constat", "La date du constat ne peut être dans le futur."
        )
    if date_proposition > aujourd_hui:
        raise ApiError.champ_invalide(
            "date_proposition", "La date de proposition ne peut être dans le futur."
        )
    if date_proposition < date_constat:
        raise ApiError.champ_invalide(
            "date_proposition", "La proposition ne peut précéder le constat."
        )
    if date_proposition > ajouter_mois(date_constat, delai_mois()):
        raise ApiError.refus(
            "delai_depasse",
            f"La transaction doit être proposée dans les {delai_mois()} mois suivant le constat.",
            "date_proposition",
        )


def _nature(nature: str, montant: Decimal | None, heures: int | None) -> None:
    if nature == NatureTransaction.REPARATION:
        if heures is not None:
            raise ApiError.champ_invalide(
                "heures", "Une réparation ne comporte pas d'heures de travail."
            )
        if montant is None or not montant.is_finite() or montant <= 0 or montant > MONTANT_MAX:
            raise ApiError.champ_invalide(
                "montant", "Montant en euros strictement positif obligatoire."
            )
    elif nature == NatureTransaction.TRAVAIL_NON_REMUNERE:
        if montant is not None:
            raise ApiError.champ_invalide(
                "montant", "Un travail non rémunéré ne comporte pas de montant."
            )
        if heures is None or heures <= 0:
            raise ApiError.champ_invalide("heures", "Nombre d'heures obligatoire.")
        if heures > heures_max():
            raise ApiError.refus(
                "heures_depassees",
                f"Le travail non rémunéré est limité à {heures_max()} heures.",
                "heures",
            )
    else:
        raise ApiError.champ_invalide("nature", "Valeur hors de la liste fermée.")


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
        raise ApiError.champ_invalide("contravention", "Valeur hors de la liste fermée.")
    _dates(date_constat, date_proposition)
    _nature(nature, montant, heures)
    if (personne is None) == (identite is None):
        raise ApiError.champ_invalide(
            "personne", "Indiquez une personne connue ou une identité, pas les deux."
        )
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
        raise ApiError.introuvable()
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
        raise ApiError.acces_refuse()
    if version is not None and courante.version != version:
        raise ApiError.version_perimee()
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
        raise ApiError.transition_impossible()
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
        raise ApiError.champ_invalide("autorite", "Valeur hors de la liste fermée.")
    courante = _verrouiller(objet, version, acteur, homologuer=True)
    if courante.statut != StatutTransaction.ACCEPTEE:
        raise ApiError.transition_impossible()
    if not courante.date_proposition <= decision_le <= timezone.localdate():
        raise ApiError.champ_invalide("decision_le", "Date de décision impossible.")
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
        raise ApiError.transition_impossible()
    return _sauver(courante, StatutTransaction.EXECUTEE)
