"""Writes of the rappel à l'ordre register (art. L132-7 CSI, reference held as data).

Refused (400, clear French message) for facts that are a crime or a délit, or while a complaint
or an investigation is under way. A minor at the date of the rappel is accompanied (parents,
legal representative, educator) or the reason why not is recorded from a closed list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.enums import Action
from acces.models import Commune, Utilisateur
from cellules.models import Personne
from cellules.orientations.commun import exiger_registre, invalide, reference, refus, texte_court
from cellules.orientations.enums import (
    REFERENCE_RAPPEL_ORDRE,
    Accompagnant,
    FaitRappel,
    MotifSansAccompagnant,
    QualiteAuteur,
)
from cellules.orientations.models import RappelOrdre, TransactionMunicipale

REFERENCE_MAX = 100
IDENTITE_MAX = 100


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
        raise refus(
            "faits_penaux",
            "Un rappel à l'ordre ne peut porter sur des faits constitutifs d'un crime ou d'un "
            "délit : saisissez le parquet.",
            "crime_ou_delit",
        )
    if q.plainte_en_cours:
        raise refus(
            "plainte_en_cours",
            "Un rappel à l'ordre est impossible tant qu'une plainte est en cours sur ces faits.",
            "plainte_en_cours",
        )
    if q.enquete_en_cours:
        raise refus(
            "enquete_en_cours",
            "Un rappel à l'ordre est impossible tant qu'une enquête est en cours sur ces faits.",
            "enquete_en_cours",
        )


def _faits(valeurs: Iterable[str]) -> list[str]:
    liste = list(valeurs)
    if not liste:
        raise invalide("faits", "Indiquez au moins un fait.")
    if any(v not in FaitRappel.values for v in liste):
        raise invalide("faits", "Fait hors de la liste fermée.")
    return [v for v in FaitRappel.values if v in liste]


def _auteur(qualite: str, reference_delegation: str) -> str:
    if qualite not in QualiteAuteur.values:
        raise invalide("qualite_auteur", "Valeur hors de la liste fermée.")
    ref = texte_court("reference_delegation", reference_delegation, REFERENCE_MAX)
    if qualite != QualiteAuteur.MAIRE and not ref:
        raise invalide(
            "reference_delegation",
            "La référence de l'arrêté de délégation est obligatoire pour un adjoint ou un "
            "conseiller municipal.",
        )
    return ref


def _accompagnement(mineur: bool, accompagnant: str, motif: str) -> None:
    if accompagnant and accompagnant not in Accompagnant.values:
        raise invalide("accompagnant", "Valeur hors de la liste fermée.")
    if motif and motif not in MotifSansAccompagnant.values:
        raise invalide("motif_sans_accompagnant", "Valeur hors de la liste fermée.")
    if not mineur:
        if accompagnant or motif:
            raise invalide("accompagnant", "L'accompagnement ne concerne que les mineurs.")
        return
    if bool(accompagnant) == bool(motif):
        raise invalide(
            "accompagnant",
            "Pour un mineur, indiquez l'accompagnant (parents, représentant légal, éducateur) "
            "ou, sauf impossibilité, le motif de son absence — l'un ou l'autre.",
        )


def _transmission(date_rappel: dt.date, transmis_le: dt.date | None, convention: str) -> str:
    ref = texte_court("reference_convention", convention, REFERENCE_MAX)
    if transmis_le is None:
        if ref:
            raise invalide("transmis_au_parquet_le", "Date de transmission au parquet manquante.")
        return ref
    if not date_rappel <= transmis_le <= timezone.localdate():
        raise invalide("transmis_au_parquet_le", "Date de transmission impossible.")
    if not ref:
        raise invalide("reference_convention", "Référence de la convention locale obligatoire.")
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
    nom = texte_court("nom", identite.nom, IDENTITE_MAX)
    prenom = texte_court("prenom", identite.prenom, IDENTITE_MAX)
    if not nom or not prenom:
        raise invalide("identite", "Nom et prénom obligatoires.")
    if not dt.date(1900, 1, 1) <= identite.date_naissance <= timezone.localdate():
        raise invalide("date_naissance", "Date de naissance impossible.")
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
        raise invalide("date", "La date du rappel ne peut être dans le futur.")
    if (personne is None) == (identite is None):
        raise invalide("personne", "Indiquez une personne connue ou une identité, pas les deux.")
    if personne is None:
        assert identite is not None
        personne = personne_depuis_identite(identite, acteur)
    try:
        mineur = personne.mineur_au(date)
    except ValueError:
        raise invalide("date", "Date du rappel antérieure à la naissance.") from None
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
