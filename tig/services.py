"""Writes of the ``tig`` app: measures handed over by ``cellules`` or created by an agent, their
constraints and their end.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer, dechiffrer
from acces.enums import Action
from acces.models import Commune, Utilisateur
from acces.perimetre import perimetre_de
from cellules.composition.selectors import communes_des_ressorts
from cellules.dossiers.selectors import personne_pour_mesure, situation_pour_mesure
from cellules.registres.selectors import transaction_a_mesurer
from cellules.registres.services import (
    NatureTransaction,
    StatutTransaction,
    ajouter_mois,
    transaction_executer,
)
from socle.errors import ApiError
from tig import politiques
from tig.enums import ACTIVITES, EN_COURS, Jour, NatureMesure, StatutMesure
from tig.models import Mesure, limites_heures

logger = logging.getLogger("tig.services")


def date_limite(depuis: dt.date, nature: str = NatureMesure.TNR) -> dt.date:
    """Deadline of a measure decided on ``depuis``: ``TIG_TIG_DELAI_EXECUTION_MOIS`` later for
    a TIG, ``TIG_DELAI_EXECUTION_MOIS`` for the others."""
    if nature == NatureMesure.TIG:
        return ajouter_mois(depuis, int(settings.TIG_TIG_DELAI_EXECUTION_MOIS))
    return ajouter_mois(depuis, int(settings.TIG_DELAI_EXECUTION_MOIS))


AGE_MAJORITE = 18
# Oldest validation date accepted (a measure must be executed within its deadline anyway).
VALIDATION_ANCIENNETE_MAX_JOURS = 366 * 2


def _hors_limites(champ: str, message: str) -> ApiError:
    """422 ``hors_limites`` naming the field and the range allowed."""
    return ApiError.refus("hors_limites", message, champ, 422)


def _heures(nature: str, heures: int | None) -> int:
    minimum, maximum = limites_heures(nature)
    if heures is None or not minimum <= heures <= maximum:
        raise _hors_limites(
            "heures_prevues",
            f"Entre {minimum} et {maximum} heures pour une mesure de cette nature.",
        )
    return heures


def _validation(validee_le: dt.date) -> dt.date:
    aujourd_hui = timezone.localdate()
    plus_ancienne = aujourd_hui - dt.timedelta(days=VALIDATION_ANCIENNETE_MAX_JOURS)
    if not plus_ancienne <= validee_le <= aujourd_hui:
        raise _hors_limites(
            "validee_le",
            f"Date de validation entre le {plus_ancienne:%d/%m/%Y} et aujourd'hui.",
        )
    return validee_le


def _communes(champ: str, codes: Iterable[str]) -> list[str]:
    voulues = sorted(set(codes))
    connues = set(Commune.objects.filter(pk__in=voulues).values_list("pk", flat=True))
    if set(voulues) - connues:
        raise ApiError.champ_invalide(champ, "Commune inconnue : donnez un code INSEE de la liste.")
    return voulues


def _dans_la_liste(champ: str, valeurs: Iterable[str], liste: Sequence[str]) -> list[str]:
    choisies = set(valeurs)
    if choisies - set(liste):
        raise ApiError.champ_invalide(champ, "Valeur hors de la liste fermée.")
    return [v for v in liste if v in choisies]


@dataclass(frozen=True)
class Contraintes:
    """What the matching must respect; ``None`` leaves a value unchanged on update."""

    commune_domicile: str | None = None
    communes_a_eviter: Sequence[str] | None = None
    jours_disponibles: Sequence[str] | None = None
    activites_a_eviter: Sequence[str] | None = None
    # Set to clear the home commune on update.
    sans_domicile: bool = field(default=False)


def _appliquer(mesure: Mesure, c: Contraintes) -> list[str]:
    """Validate and set the constraints; the names of the fields changed."""
    changes: list[str] = []
    if c.commune_domicile is not None or c.sans_domicile:
        code = (
            None
            if c.sans_domicile
            else _communes("commune_domicile", [c.commune_domicile or ""])[0]
        )
        mesure.commune_domicile_id = code
        changes.append("commune_domicile")
    if c.communes_a_eviter is not None:
        codes = _communes("communes_a_eviter", c.communes_a_eviter)
        chiffrer(mesure, "communes_a_eviter", ",".join(codes))
        mesure.chiffres_modifies = ("communes_a_eviter",)
        changes.append("communes_a_eviter")
    if c.jours_disponibles is not None:
        mesure.jours_disponibles = _dans_la_liste(
            "jours_disponibles", c.jours_disponibles, Jour.values
        )
        changes.append("jours_disponibles")
    if c.activites_a_eviter is not None:
        mesure.activites_a_eviter = _dans_la_liste(
            "activites_a_eviter", c.activites_a_eviter, ACTIVITES
        )
        changes.append("activites_a_eviter")
    return changes


def communes_a_eviter(mesure: Mesure) -> list[str]:
    """The decrypted communes to avoid (INSEE codes)."""
    clair = dechiffrer(mesure, "communes_a_eviter")
    return [code for code in str(clair or "").split(",") if code]


def _age_requis(nature: str, age: int, mineurs: bool | None) -> None:
    """The age rules of DESIGN.md §3 (settings) and the PJJ / SPIP split of the agents."""
    minimum = int(settings.TIG_AGE_MIN_TRAVAIL)
    mineur = age < AGE_MAJORITE
    if nature in (NatureMesure.TNR, NatureMesure.TIG) and age < minimum:
        raise _hors_limites(
            "personne", f"Travail non rémunéré ou TIG à partir de {minimum} ans seulement."
        )
    if nature == NatureMesure.REPARATION and not mineur:
        raise _hors_limites(
            "personne", "La réparation créée ici concerne un mineur (moins de 18 ans)."
        )
    if nature == NatureMesure.TIG and mineurs is True and not mineur:
        raise _hors_limites(
            "personne", "Un agent de la PJJ ne suit que des mineurs (moins de 18 ans)."
        )
    if nature == NatureMesure.TIG and mineurs is False and mineur:
        raise _hors_limites(
            "personne", "Un agent du SPIP ne suit que des majeurs (18 ans et plus)."
        )


@transaction.atomic
def mesure_creer(
    *,
    nature: str,
    personne_id: uuid.UUID,
    situation_id: uuid.UUID | None,
    heures_prevues: int | None,
    validee_le: dt.date,
    commune: str,
    contraintes: Contraintes,
    acteur: Utilisateur,
) -> Mesure:
    """A measure created by an agent: TNR of a composition pénale or réparation for a minor
    (délégué du procureur), TIG (conseiller d'exécution: SPIP adults, PJJ minors).

    The commune of the facts lies in the agent's ressort; the person (and the case, if given)
    is one he may name (``cellules`` selectors). Limits are settings: a value out of range is a
    422 naming the field and the range; nothing is written on error.
    """
    p = perimetre_de(acteur)
    if nature not in politiques.natures_creables(p):
        raise ApiError.refus(
            "nature_non_autorisee",
            "Votre rôle ne crée pas de mesure de cette nature.",
            "nature",
            403,
        )
    ressorts = politiques.ressorts_pour(p, nature)
    if not communes_des_ressorts(ressorts).filter(commune_id=commune).exists():
        raise ApiError.champ_invalide("commune", "Commune hors de votre ressort.")
    personne = personne_pour_mesure(acteur, personne_id)
    if personne is None:
        raise ApiError.champ_invalide("personne", "Personne introuvable.")
    if (
        situation_id is not None
        and situation_pour_mesure(acteur, situation_id, personne.pk) is None
    ):
        raise ApiError.champ_invalide("situation", "Situation introuvable pour cette personne.")
    heures = _heures(nature, heures_prevues)
    validee_le = _validation(validee_le)
    age = personne.age_au(validee_le)
    mineurs = politiques.conseiller_pour_mineurs(p) if nature == NatureMesure.TIG else None
    _age_requis(nature, age, mineurs)
    mesure = Mesure(
        id=uuid.uuid4(),
        nature=nature,
        personne_id=personne.pk,
        situation_id=situation_id,
        commune_id=commune,
        heures_prevues=heures,
        validee_le=validee_le,
        date_limite=date_limite(validee_le, nature),
        mineur=age < AGE_MAJORITE,
        cle_id=personne.cle_id,
        creee_par=acteur,
    )
    _appliquer(mesure, contraintes)
    if contraintes.communes_a_eviter is None:
        chiffrer(mesure, "communes_a_eviter", "")
    mesure.full_clean()
    mesure.save(force_insert=True)
    logger.info("mesure créée", extra={"mesure": str(mesure.pk)})
    return mesure


@transaction.atomic
def mesure_contraintes_modifier(
    *, mesure: Mesure, contraintes: Contraintes, version: int, acteur: Utilisateur
) -> Mesure:
    """Change the constraints of a running measure (``If-Match``: ``version``)."""
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
    if contraintes.communes_a_eviter is not None and courante.cle_id is None:
        courante.cle_id = courante.personne.cle_id
    changes = _appliquer(courante, contraintes)
    courante.version += 1
    courante.full_clean()
    courante.save(update_fields=[*changes, "cle", "version"])
    return courante


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
