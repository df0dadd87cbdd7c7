"""Writes of orientations: decide, modify, close; overdue notices; agenda carry-over.

Each write checks the actor's scope through the restricted entry point (out of scope: 404),
locks the row and refuses a stale ``version`` (checklist F1). Judicial orientations are
recorded, changed and closed by the délégué du procureur only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from acces.enums import Action
from acces.models import Organisation, Utilisateur
from acces.perimetre import perimetre_de
from cellules.composition import selectors as selecteurs_composition
from cellules.composition.models import Cellule
from cellules.dossiers.enums import StatutSituation
from cellules.dossiers.models import Situation
from cellules.orientations import politiques
from cellules.orientations.enums import (
    STATUTS_CLOS,
    STATUTS_OUVERTS,
    MotifReport,
    ResultatOrientation,
    StatutOrientation,
    TypeNotification,
    TypeOrientation,
)
from cellules.orientations.models import MesureOrientation, NotificationOrientation, Orientation
from cellules.seances.models import Seance
from socle.errors import ApiError

LIEN_ORIENTATION = "/api/v1/orientations/{id}/"
# Cases still followed: orientations of closed or archived cases are not carried over.
STATUTS_SITUATION_SUIVIE = (
    StatutSituation.SIGNALEE,
    StatutSituation.INSCRITE_ORDRE_DU_JOUR,
    StatutSituation.SUIVIE,
)


def _echeance_max() -> int:
    return int(getattr(settings, "ORIENTATION_ECHEANCE_MAX_JOURS", 730))


def refus_judiciaire() -> ApiError:
    return ApiError(
        403,
        "orientation_judiciaire",
        "Une orientation judiciaire n'est décidée, modifiée, suivie et clôturée que par le "
        "délégué du procureur.",
    )


def refus_non_confiee() -> ApiError:
    return ApiError(
        403,
        "orientation_non_confiee",
        "Vous ne siégez pas dans la cellule pour l'organisation responsable de cette "
        "orientation : seuls ses membres en indiquent l'avancement et le résultat ; le "
        "coordonnateur de la cellule et le délégué du procureur la modifient.",
    )


def _exiger_judiciaire(type_orientation: str, acteur: Utilisateur) -> None:
    if type_orientation == TypeOrientation.JUDICIAIRE and not politiques.peut_orienter_judiciaire(
        perimetre_de(acteur)
    ):
        raise refus_judiciaire()


def _mesure(mesure: MesureOrientation, type_orientation: str) -> MesureOrientation:
    if not mesure.active:
        raise ApiError.champ_invalide("mesure", "Mesure retirée de la liste.")
    if type_orientation not in mesure.types:
        raise ApiError.champ_invalide(
            "mesure", "Cette mesure ne correspond pas au type d'orientation."
        )
    return mesure


def _organisation(organisation: Organisation, cellule_id: Any, acteur: Utilisateur) -> Organisation:
    """An active partner of the cell (``GET /cellules/{id}/partenaires/``) or the actor's own
    organisation: an organisation nobody sits for could not follow the orientation."""
    if not organisation.active:
        raise ApiError.champ_invalide("organisation", "Organisation inactive.")
    if organisation.pk == acteur.organisation_id:
        return organisation
    if not selecteurs_composition.est_partenaire(cellule_id, organisation):
        raise ApiError.champ_invalide(
            "organisation",
            "Choisissez une organisation partenaire de la cellule (liste : "
            f"/api/v1/cellules/{cellule_id}/partenaires/) ou la vôtre.",
        )
    return organisation


def _echeance(echeance: dt.date, depuis: dt.date) -> dt.date:
    if echeance < depuis:
        raise ApiError.champ_invalide("echeance", "L'échéance ne peut précéder la décision.")
    if echeance > depuis + dt.timedelta(days=_echeance_max()):
        raise ApiError.champ_invalide(
            "echeance", f"L'échéance est limitée à {_echeance_max()} jours."
        )
    return echeance


@transaction.atomic
def orientation_decider(
    *,
    situation: Situation,
    type: str,
    mesure: MesureOrientation,
    organisation: Organisation,
    echeance: dt.date,
    acteur: Utilisateur,
    seance: Seance | None = None,
) -> Orientation:
    """Record the orientation decided for a case the actor may write."""
    if not Situation.objects.restrict(acteur, Action.MODIFIER).filter(pk=situation.pk).exists():
        raise ApiError.introuvable()
    if type not in TypeOrientation.values:
        raise ApiError.champ_invalide("type", "Valeur hors de la liste fermée.")
    _exiger_judiciaire(type, acteur)
    if seance is not None and seance.cellule_id != situation.cellule_id:
        raise ApiError.champ_invalide("seance", "Séance d'une autre cellule.")
    aujourd_hui = timezone.localdate()
    orientation = Orientation(
        id=uuid.uuid4(),
        situation=situation,
        type=type,
        mesure=_mesure(mesure, type),
        organisation=_organisation(organisation, situation.cellule_id, acteur),
        echeance=_echeance(echeance, aujourd_hui),
        seance=seance,
        decidee_le=aujourd_hui,
        decidee_par=acteur,
    )
    orientation.full_clean()
    orientation.save(force_insert=True)
    return orientation


def _verrouiller(orientation: Orientation, version: int, acteur: Utilisateur) -> Orientation:
    courante: Orientation | None = (
        Orientation.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=orientation.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    _exiger_judiciaire(courante.type, acteur)
    if courante.version != version:
        raise ApiError.version_perimee()
    if courante.statut in STATUTS_CLOS:
        raise ApiError.transition_impossible()
    return courante


@transaction.atomic
def orientation_modifier(
    *,
    orientation: Orientation,
    version: int,
    acteur: Utilisateur,
    echeance: dt.date | None = None,
    organisation: Organisation | None = None,
    commencee: bool = False,
) -> Orientation:
    """Move the deadline, change the responsible partner, or mark it started."""
    courante = _verrouiller(orientation, version, acteur)
    if echeance is not None:
        courante.echeance = _echeance(echeance, courante.decidee_le)
    if organisation is not None:
        courante.organisation = _organisation(organisation, courante.situation.cellule_id, acteur)
    if commencee:
        courante.statut = StatutOrientation.EN_COURS
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


@transaction.atomic
def orientation_cloturer(
    *, orientation: Orientation, version: int, statut: str, resultat: str, acteur: Utilisateur
) -> Orientation:
    """Close as done or given up, with an outcome from the closed list."""
    _valider_cloture(statut, resultat)
    courante = _verrouiller(orientation, version, acteur)
    courante.statut = statut
    courante.resultat = resultat
    courante.cloturee_le = timezone.localdate()
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


def _valider_cloture(statut: str, resultat: str) -> None:
    if statut not in STATUTS_CLOS:
        raise ApiError.champ_invalide("statut", "Une clôture est « realisee » ou « abandonnee ».")
    if resultat not in ResultatOrientation.values:
        raise ApiError.champ_invalide("resultat", "Résultat obligatoire (liste fermée).")


@transaction.atomic
def orientation_suivre(
    *, orientation: Orientation, version: int, acteur: Utilisateur, statut: str, resultat: str = ""
) -> Orientation:
    """A member of the responsible organisation records the progress (``en_cours``) or the
    outcome (``realisee`` / ``abandonnee`` with a ``resultat``) of an orientation entrusted to
    it; its deadline and partner stay the coordinator's and the délégué's."""
    if statut != StatutOrientation.EN_COURS:
        _valider_cloture(statut, resultat)
    elif resultat:
        raise ApiError.champ_invalide("resultat", "Le résultat s'indique à la clôture.")
    condition = politiques.orientations_confiees(perimetre_de(acteur))
    lisibles = Orientation.objects.restrict(acteur, Action.LIRE).select_for_update()
    courante: Orientation | None = lisibles.filter(pk=orientation.pk).first()
    if courante is None:
        raise ApiError.introuvable()
    if condition is None or not lisibles.filter(condition, pk=orientation.pk).exists():
        raise refus_non_confiee()
    if courante.type == TypeOrientation.JUDICIAIRE:
        raise refus_judiciaire()
    if courante.version != version:
        raise ApiError.version_perimee()
    if courante.statut in STATUTS_CLOS:
        raise ApiError.transition_impossible()
    courante.statut = statut
    if statut in STATUTS_CLOS:
        courante.resultat = resultat
        courante.cloturee_le = timezone.localdate()
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


def _en_retard(jour: dt.date) -> Q:
    return Q(
        statut__in=STATUTS_OUVERTS,
        echeance__lt=jour,
        situation__statut__in=STATUTS_SITUATION_SUIVIE,
    )


def _destinataires(orientation: Orientation) -> set[Any]:
    """Active users of the responsible organisation and the coordinators of the cell."""
    ids = set(
        Utilisateur.objects.filter(organisation_id=orientation.organisation_id, is_active=True)
        .filter(habilitations__in=_habilitations_actives())
        .values_list("pk", flat=True)
    )
    lien: Any = Cellule.coordonnateurs.through
    ids |= set(
        lien.objects.filter(
            cellule_id=orientation.situation.cellule_id, utilisateur__is_active=True
        ).values_list("utilisateur_id", flat=True)
    )
    return ids


def _habilitations_actives() -> Any:
    from acces.models import Habilitation

    return Habilitation.objects.actives().values("pk")


@transaction.atomic
def orientations_en_retard_notifier(jour: dt.date | None = None) -> int:
    """Notify each overdue orientation once per recipient and day; returns the rows created.

    The notice holds the orientation id and a link path only: no name, no fact, no measure.
    """
    jour = jour or timezone.localdate()
    creees = 0
    en_retard = Orientation.objects.filter(_en_retard(jour)).select_related("situation")
    for orientation in en_retard.order_by("echeance", "id"):
        for destinataire_id in sorted(_destinataires(orientation), key=str):
            _, creee = NotificationOrientation.objects.get_or_create(
                orientation=orientation,
                destinataire_id=destinataire_id,
                jour=jour,
                defaults={
                    "type": TypeNotification.ORIENTATION_EN_RETARD,
                    "lien": LIEN_ORIENTATION.format(id=orientation.pk),
                },
            )
            creees += int(creee)
    return creees


@dataclass(frozen=True)
class AReporter:
    """An unfinished orientation to carry to the next meeting's agenda, and why."""

    orientation_id: uuid.UUID
    situation_id: uuid.UUID
    motif: str


def orientations_a_reporter(cellule: Cellule, jour: dt.date | None = None) -> list[AReporter]:
    """Unfinished orientations of the cell's cases, with a reason code (for the agenda).

    Called by the meetings work when it builds the next agenda; no scope check here (the
    caller has already checked that its actor runs the cell).
    """
    jour = jour or timezone.localdate()
    ouvertes = Orientation.objects.filter(
        situation__cellule=cellule,
        situation__statut__in=STATUTS_SITUATION_SUIVIE,
        statut__in=STATUTS_OUVERTS,
    ).order_by("echeance", "id")
    resultat: list[AReporter] = []
    for o in ouvertes.only("id", "situation_id", "statut", "echeance"):
        if o.echeance < jour:
            motif = MotifReport.ECHEANCE_DEPASSEE
        elif o.statut == StatutOrientation.A_FAIRE:
            motif = MotifReport.NON_COMMENCEE
        else:
            motif = MotifReport.EN_COURS
        resultat.append(AReporter(o.pk, o.situation_id, motif))
    return resultat
