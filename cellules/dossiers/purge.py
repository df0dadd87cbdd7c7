"""Retention of cases: archive once closed, purge after the archive (exigences E2/E3; the
durations are in docs/modele-de-securite.md, "Durées de conservation par défaut").

Rules (durations are settings):

- a closed case is archived (``SITUATION_ARCHIVE_APRES_CLOTURE_JOURS`` after closing);
- an archived case is purged ``SITUATION_DUREE_ARCHIVE_JOURS`` after its closing date;
- a case opened while the person was a minor is purged on the person's
  ``SITUATION_AGE_LIMITE_MINEUR``-th birthday at the latest, whatever its status (an active case
  is first closed with the ``limite_age`` reason);
- an unreadable or impossible birth date falls back to the archive schedule (fail safe).

A purged case keeps its row (foreign keys of meetings and orientations stay valid) with status
``purgee`` and no personal content; its grants are deleted and its decision notes cleared.

The same run deletes the expired entries of the registers (rappels à l'ordre, transactions and
their ``tig`` measures, rules in ``cellules/orientations/purge.py``), person by person, in the
transaction that then shreds the person if nothing else retains it.

A person with no case left and no register entry within its own retention (nor any other row
pointing to it) is crypto-shredded: identity overwritten, blind index emptied, data key
destroyed. Only persons that had a case or a register entry are considered: a person just
registered, whose case is not opened yet, is left alone.

Each case is handled in its own transaction under a row lock, with the status checked again,
so two concurrent runs do the work once; a second run finds nothing to do. Everything is saved
row by row so that the change log sees it. Reports hold counts and opaque ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.crypto.erreurs import DechiffrementImpossible
from acces.crypto.models import CleDonnees
from cellules.dossiers import ages
from cellules.dossiers.enums import MotifCloture, StatutSituation
from cellules.dossiers.models import AccesSituation, Personne, Situation
from cellules.registres import purge as registres
from cellules.seances.models import Decision

logger = logging.getLogger("cellules.purge")

ACTIVES = (
    StatutSituation.SIGNALEE,
    StatutSituation.INSCRITE_ORDRE_DU_JOUR,
    StatutSituation.SUIVIE,
)
IDENTITE_TEXTE = ("nom", "prenom", "adresse", "commune_residence")
# Overwrites the birth date before the key is destroyed (the column cannot be NULL).
NAISSANCE_EFFACEE = dt.date(1900, 1, 1)


@dataclass
class Bilan:
    """What a run did (or would do, ``essai``): opaque ids only."""

    essai: bool
    archivees: list[uuid.UUID] = field(default_factory=list)
    purgees: list[uuid.UUID] = field(default_factory=list)
    personnes_effacees: list[uuid.UUID] = field(default_factory=list)
    rappels_supprimes: list[uuid.UUID] = field(default_factory=list)
    transactions_supprimees: list[uuid.UUID] = field(default_factory=list)
    mesures_supprimees: list[uuid.UUID] = field(default_factory=list)

    def comptes(self) -> dict[str, int]:
        return {
            "archivees": len(self.archivees),
            "purgees": len(self.purgees),
            "personnes_effacees": len(self.personnes_effacees),
            "rappels_supprimes": len(self.rappels_supprimes),
            "transactions_supprimees": len(self.transactions_supprimees),
            "mesures_supprimees": len(self.mesures_supprimees),
        }

    def ajouter(self, echus: registres.Echus) -> None:
        self.rappels_supprimes += echus.rappels
        self.transactions_supprimees += echus.transactions
        self.mesures_supprimees += echus.mesures


def archive_apres_cloture() -> dt.timedelta:
    return dt.timedelta(days=int(settings.SITUATION_ARCHIVE_APRES_CLOTURE_JOURS))


def duree_archive() -> dt.timedelta:
    return dt.timedelta(days=int(settings.SITUATION_DUREE_ARCHIVE_JOURS))


def anniversaire(naissance: dt.date, age: int) -> dt.date:
    """Day on which ``age`` is reached; 29 February counts from 1 March (as ``ages.age_au``)."""
    try:
        return naissance.replace(year=naissance.year + age)
    except ValueError:
        return dt.date(naissance.year + age, 3, 1)


def limite_age(situation: Situation) -> dt.date | None:
    """Last day allowed for a case opened as a minor; None when not a minor or unknown."""
    try:
        naissance = situation.personne.naissance()
        mineur = ages.mineur_au(naissance, situation.signalee_le)
    except (DechiffrementImpossible, ValueError):
        return None  # unknown birth date: the archive schedule applies (shortest, fail safe)
    if not mineur:
        return None
    return anniversaire(naissance, int(settings.SITUATION_AGE_LIMITE_MINEUR))


def _cloture(situation: Situation) -> dt.date:
    # A closed case without a closing date is an anomaly: take the earliest known date.
    return situation.cloturee_le or situation.archivee_le or situation.signalee_le


def a_purger(situation: Situation, jour: dt.date) -> bool:
    if situation.statut == StatutSituation.PURGEE:
        return False
    limite = limite_age(situation)
    if limite is not None and jour >= limite:
        return True
    if situation.statut not in (StatutSituation.CLOTUREE, StatutSituation.ARCHIVEE):
        return False
    return jour > _cloture(situation) + duree_archive()


def a_archiver(situation: Situation, jour: dt.date) -> bool:
    return (
        situation.statut == StatutSituation.CLOTUREE
        and jour >= _cloture(situation) + archive_apres_cloture()
    )


def _candidates() -> list[Situation]:
    return list(
        Situation.objects.exclude(statut=StatutSituation.PURGEE)
        .select_related("personne__cle")
        .order_by("creee_le", "id")
    )


def _archiver(situation: Situation, jour: dt.date) -> None:
    situation.statut = StatutSituation.ARCHIVEE
    situation.archivee_le = jour
    situation.version += 1
    situation.save(update_fields=["statut", "archivee_le", "version"])


def _purger(situation: Situation, jour: dt.date) -> None:
    champs = ["statut", "observation", "profils", "referent", "version"]
    if situation.statut in ACTIVES:
        situation.motif_cloture = MotifCloture.MAJORITE_LIMITE_AGE
        situation.cloturee_le = jour
        champs += ["motif_cloture", "cloturee_le"]
    for acces in AccesSituation.objects.filter(content_object=situation):
        acces.delete()
    for decision in Decision.objects.filter(situation=situation, note__isnull=False):
        decision.note = None
        decision.save(update_fields=["note"])
    situation.statut = StatutSituation.PURGEE
    situation.observation = None
    situation.profils = []
    situation.referent = None
    situation.version += 1
    situation.save(update_fields=champs)


def personne_conservee(
    personne_id: uuid.UUID, jour: dt.date, purgees: frozenset[uuid.UUID] = frozenset()
) -> bool:
    """Whether something still within its retention holds the person.

    A case not purged (nor in ``purgees``, the cases a dry run would purge), a register entry
    within its retention, or any other row pointing to the person.
    """
    vivantes = (
        Situation.objects.filter(personne_id=personne_id)
        .exclude(statut=StatutSituation.PURGEE)
        .exclude(pk__in=purgees)
    )
    return vivantes.exists() or registres.registres_retiennent(personne_id, jour)


def _effacer_personne(personne: Personne) -> None:
    """Overwrite the identity under the key, empty the blind index, then destroy the key."""
    cle: CleDonnees = personne.cle
    for nom in IDENTITE_TEXTE:
        chiffrer(personne, nom, "")
    chiffrer(personne, "date_naissance", NAISSANCE_EFFACEE)
    personne.index_identite = b""
    personne.save(update_fields=[*IDENTITE_TEXTE, "date_naissance", "index_identite"])
    cle.detruire()


def _traiter_situation(situation_id: uuid.UUID, jour: dt.date, bilan: Bilan) -> None:
    with transaction.atomic():
        situation = (
            Situation.objects.select_for_update(of=("self",))
            .select_related("personne__cle")
            .filter(pk=situation_id)
            .first()
        )
        if situation is None:
            return
        if a_purger(situation, jour):
            _purger(situation, jour)
            bilan.purgees.append(situation.pk)
        elif a_archiver(situation, jour):
            _archiver(situation, jour)
            bilan.archivees.append(situation.pk)


def _effacer_si_libre(personne: Personne, jour: dt.date, bilan: Bilan) -> None:
    """Shred the (locked) person unless something retains it; caller holds the transaction."""
    # Read the key after the lock: a concurrent run may have just destroyed it.
    cle = CleDonnees.objects.select_for_update().get(pk=personne.cle_id)
    if cle.detruite or personne_conservee(personne.pk, jour):
        return
    personne.cle = cle
    _effacer_personne(personne)
    bilan.personnes_effacees.append(personne.pk)


def _traiter_personne(personne_id: uuid.UUID, jour: dt.date, bilan: Bilan) -> None:
    with transaction.atomic():
        personne = Personne.objects.select_for_update().filter(pk=personne_id).first()
        if personne is None:
            return
        _effacer_si_libre(personne, jour, bilan)


def _traiter_registres(personne_id: uuid.UUID, jour: dt.date, bilan: Bilan) -> None:
    """Delete the person's expired entries, then shred the person if free, in one transaction.

    One transaction: a crash cannot leave a person whose last entry is gone but who was not
    shredded (nothing would point to it any more).
    """
    with transaction.atomic():
        personne = Personne.objects.select_for_update().filter(pk=personne_id).first()
        if personne is None:
            return
        bilan.ajouter(registres.supprimer_echus(personne.pk, jour))
        _effacer_si_libre(personne, jour, bilan)


def _personnes_a_effacer(
    jour: dt.date, purgees: set[uuid.UUID], autres: Iterable[uuid.UUID] = ()
) -> list[uuid.UUID]:
    """Persons with a live key and a case, or in ``autres`` (expired register entries), that
    nothing retains any more (cases in ``purgees`` count as purged: dry run)."""
    avec_situation = set(
        Personne.objects.filter(cle__detruite_le__isnull=True, situations__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    cles_vivantes = set(
        Personne.objects.filter(pk__in=list(autres), cle__detruite_le__isnull=True).values_list(
            "pk", flat=True
        )
    )
    figees = frozenset(purgees)
    return sorted(
        personne_id
        for personne_id in avec_situation | cles_vivantes
        if not personne_conservee(personne_id, jour, figees)
    )


def purger_situations(*, essai: bool = False, jour: dt.date | None = None) -> Bilan:
    """Archive and purge cases, delete expired register entries, shred free persons.

    ``essai`` reports the same counts without writing anything.
    """
    jour = jour or timezone.localdate()
    bilan = Bilan(essai=essai)
    for situation in _candidates():
        if essai:
            if a_purger(situation, jour):
                bilan.purgees.append(situation.pk)
            elif a_archiver(situation, jour):
                bilan.archivees.append(situation.pk)
            continue
        _traiter_situation(situation.pk, jour, bilan)
    echus = registres.echus(jour)
    if essai:
        for echues in echus.values():
            bilan.ajouter(echues)
        bilan.personnes_effacees = _personnes_a_effacer(jour, set(bilan.purgees), set(echus))
    else:
        for personne_id in sorted(echus):
            _traiter_registres(personne_id, jour, bilan)
        for personne_id in _personnes_a_effacer(jour, set()):
            _traiter_personne(personne_id, jour, bilan)
    logger.info("situations_purge", extra={"essai": essai, **bilan.comptes()})
    return bilan
