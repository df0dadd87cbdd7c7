"""Writes of meetings: scheduling, agenda, convocations, attendance and decisions.

Typed, atomic, checked against the actor's scope; the change log (django-auditlog) records each
save in the same transaction and e-mails leave through the outbox after commit. Meetings of one
cell are serialised by a lock on the cell row, so two overlapping ones cannot both be written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.enums import Action, Role
from acces.models import Organisation, Utilisateur
from acces.perimetre import perimetre_de
from cellules.composition import selectors as selecteurs_composition
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers.enums import STATUTS_OUVERTS, StatutSituation
from cellules.dossiers.models import Situation
from cellules.dossiers.services import situation_desinscrire, situation_inscrire
from cellules.orientations.models import Orientation
from cellules.seances import droits, envois
from cellules.seances.enums import (
    EtatEnvoi,
    MotifInscription,
    NatureEnvoi,
    Periodicite,
    StatutSeance,
    TypeDecision,
    TypeLieu,
)
from cellules.seances.models import (
    NOTE_MAX,
    Convocation,
    Decision,
    PointOrdreDuJour,
    Presence,
    Seance,
)
from cellules.seances.politiques import cellules_coordonnees
from socle.errors import ApiError

TACHE_ENVOI = envois.TACHE_ENVOI
DUREE_DEFAUT = dt.timedelta(hours=2)
NOMBRE_MAX = 24
MOIS_PAR_PERIODE = {
    Periodicite.MENSUELLE: 1,
    Periodicite.BIMESTRIELLE: 2,
    Periodicite.TRIMESTRIELLE: 3,
    Periodicite.SEMESTRIELLE: 6,
}


def _lieu(valeur: str) -> str:
    """A code of the closed list of places (or nothing): free text could name a person."""
    if valeur and valeur not in TypeLieu.values:
        raise ApiError.champ_invalide("lieu", "Valeur hors de la liste fermée.")
    return valeur


def _note(valeur: str | None) -> str | None:
    if valeur is None or not valeur.strip():
        return None
    propre = valeur.strip()
    if len(propre) > NOTE_MAX:
        raise ApiError.champ_invalide("note", f"{NOTE_MAX} caractères au plus.")
    if any(ord(c) < 32 and c != "\n" for c in propre):
        raise ApiError.champ_invalide("note", "Caractères de contrôle refusés.")
    return propre


def _cellule_coordonnee(cellule: Cellule, acteur: Utilisateur) -> Cellule:
    """The locked cell row, if the actor coordinates it (404 otherwise, like a missing cell)."""
    perimetre = perimetre_de(acteur)
    if not perimetre.lit_donnees_personnelles or not perimetre.a_role(Role.COORDONNATEUR):
        raise ApiError.introuvable()
    verrouillee: Cellule | None = (
        Cellule.objects.select_for_update()
        .filter(pk=cellule.pk, pk__in=cellules_coordonnees(perimetre))
        .first()
    )
    if verrouillee is None:
        raise ApiError.introuvable()
    return verrouillee


def _seance_a_ecrire(seance: Seance, acteur: Utilisateur) -> Seance:
    """The locked, current meeting row (cell locked first: same order as scheduling)."""
    courante = Seance.objects.restrict(acteur, Action.MODIFIER).filter(pk=seance.pk).first()
    if courante is None:
        raise ApiError.introuvable()
    _cellule_coordonnee(courante.cellule, acteur)
    verrouillee: Seance = Seance.objects.select_for_update().get(pk=seance.pk)
    return verrouillee


def _nouvelle_version(seance: Seance) -> None:
    """A change of the meeting's agenda, convocations or attendance changes its ETag."""
    seance.version += 1
    seance.save(update_fields=["version"])


def _exiger_version(seance: Seance, version: int) -> None:
    if seance.version != version:
        raise ApiError(412, "version_perimee", "La séance a été modifiée depuis votre lecture.")


def _exiger_planifiee(seance: Seance) -> None:
    if seance.statut != StatutSeance.PLANIFIEE:
        raise ApiError.conflit("seance_non_planifiee", "Cette séance n'est plus planifiée.")


# For the services of other modules that write a meeting's agenda (carry-over of orientations).
seance_a_ecrire = _seance_a_ecrire
exiger_planifiee = _exiger_planifiee


# Bounds keep every derived date (access expiry, reminders) far from the calendar's limits.
HORIZON_PLANIFICATION = dt.timedelta(days=2 * 366)
DUREE_MAX = dt.timedelta(hours=24)


def _verifier_bornes(debut: dt.datetime, fin: dt.datetime) -> None:
    if fin <= debut:
        raise ApiError.champ_invalide("fin", "La fin doit suivre le début.")
    if debut <= timezone.now():
        raise ApiError.champ_invalide("debut", "La séance doit être dans le futur.")
    if debut > timezone.now() + HORIZON_PLANIFICATION:
        raise ApiError.champ_invalide("debut", "La séance doit avoir lieu dans les deux ans.")
    if fin - debut > DUREE_MAX:
        raise ApiError.champ_invalide("fin", "Une séance dure au plus une journée.")


def _chevauche(
    cellule: Cellule, debut: dt.datetime, fin: dt.datetime, exclue: uuid.UUID | None
) -> bool:
    conflits = Seance.objects.filter(
        cellule=cellule,
        statut__in=(StatutSeance.PLANIFIEE, StatutSeance.TENUE),
        debut__lt=fin,
        fin__gt=debut,
    )
    if exclue is not None:
        conflits = conflits.exclude(pk=exclue)
    return conflits.exists()


def _verifier_horaires(
    cellule: Cellule, debut: dt.datetime, fin: dt.datetime, exclue: uuid.UUID | None
) -> None:
    _verifier_bornes(debut, fin)
    if _chevauche(cellule, debut, fin, exclue):
        raise ApiError.conflit(
            "conflit_seance", "Une autre séance de la cellule occupe déjà ce créneau."
        )


def _envoyer(seance: Seance, nature: str, convocations: Iterable[Convocation] | None = None) -> int:
    """Announce ``nature`` to the convened members; returns how many e-mails were enqueued
    (an account without an address is recorded as failed instead)."""
    liste = (
        list(convocations)
        if convocations is not None
        else list(seance.convocations.filter(valide=True).select_related("membre__utilisateur"))
    )
    return sum(envois.programmer(convocation, nature) for convocation in liste)


@transaction.atomic
def seance_planifier(
    *,
    cellule: Cellule,
    debut: dt.datetime,
    fin: dt.datetime,
    lieu: str = "",
    acteur: Utilisateur,
) -> Seance:
    """Schedule a meeting of a cell the actor coordinates; an overlapping one is refused (409)."""
    verrouillee = _cellule_coordonnee(cellule, acteur)
    _verifier_horaires(verrouillee, debut, fin, None)
    return _creer(verrouillee, debut, fin, _lieu(lieu), acteur, uuid.uuid4())


def _creer(
    cellule: Cellule,
    debut: dt.datetime,
    fin: dt.datetime,
    lieu: str,
    acteur: Utilisateur,
    pk: uuid.UUID,
) -> Seance:
    seance = Seance(id=pk, cellule=cellule, debut=debut, fin=fin, lieu=lieu, creee_par=acteur)
    seance.full_clean()
    seance.save(force_insert=True)
    return seance


def _ajouter_mois(moment: dt.datetime, mois: int) -> dt.datetime:
    index = moment.month - 1 + mois
    annee, mois_cible = moment.year + index // 12, index % 12 + 1
    jour = min(moment.day, calendar.monthrange(annee, mois_cible)[1])
    return moment.replace(year=annee, month=mois_cible, day=jour)


def dates_periodiques(premiere: dt.datetime, periodicite: str, nombre: int) -> list[dt.datetime]:
    """``nombre`` wall-clock times from ``premiere`` (same local hour across DST changes)."""
    if periodicite not in Periodicite.values:
        raise ApiError.champ_invalide("periodicite", "Périodicité inconnue.")
    if not 1 <= nombre <= NOMBRE_MAX:
        raise ApiError.champ_invalide("nombre", f"Entre 1 et {NOMBRE_MAX} séances.")
    locale = timezone.localtime(premiere).replace(tzinfo=None)
    dates: list[dt.datetime] = []
    for rang in range(nombre):
        if periodicite == Periodicite.HEBDOMADAIRE:
            naive = locale + dt.timedelta(weeks=rang)
        else:
            naive = _ajouter_mois(locale, MOIS_PAR_PERIODE[Periodicite(periodicite)] * rang)
        dates.append(timezone.make_aware(naive))
    return dates


def ids_serie(premier: uuid.UUID, nombre: int) -> list[uuid.UUID]:
    """Ids of the meetings of a series, derived from the first one (a replay finds them)."""
    return [premier, *(uuid.uuid5(premier, f"serie:{rang}") for rang in range(1, nombre))]


@transaction.atomic
def seances_planifier_periodiques(
    *,
    cellule: Cellule,
    premiere: dt.datetime,
    periodicite: str,
    nombre: int,
    acteur: Utilisateur,
    duree: dt.timedelta = DUREE_DEFAUT,
    lieu: str = "",
) -> list[Seance]:
    """Schedule a series (e.g. quarterly), all or nothing.

    Every date is checked before anything is written: a meeting out of bounds is a 400, and the
    dates that overlap a meeting of the cell are listed in one 409 (``champs.debut``).
    """
    verrouillee = _cellule_coordonnee(cellule, acteur)
    _verifier_bornes(premiere, premiere + duree)  # before any calendar arithmetic
    debuts = dates_periodiques(premiere, periodicite, nombre)
    propre = _lieu(lieu)
    for debut in debuts:
        _verifier_bornes(debut, debut + duree)
    conflits = [d for d in debuts if _chevauche(verrouillee, d, d + duree, None)]
    if conflits:
        raise ApiError(
            409,
            "conflit_seance",
            "Des séances de la série chevauchent une autre séance de la cellule : "
            "aucune n'est créée.",
            {"debut": [timezone.localtime(d).isoformat() for d in conflits]},
        )
    ids = ids_serie(uuid.uuid4(), nombre)
    return [
        _creer(verrouillee, debut, debut + duree, propre, acteur, pk)
        for debut, pk in zip(debuts, ids, strict=True)
    ]


@transaction.atomic
def seance_modifier(
    *,
    seance: Seance,
    version: int,
    acteur: Utilisateur,
    debut: dt.datetime | None = None,
    fin: dt.datetime | None = None,
    lieu: str | None = None,
) -> Seance:
    """Reschedule (compare-and-swap on ``version``); convened members get an updated invite."""
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_version(courante, version)
    _exiger_planifiee(courante)
    nouveau_debut, nouvelle_fin = debut or courante.debut, fin or courante.fin
    horaires_changes = (nouveau_debut, nouvelle_fin) != (courante.debut, courante.fin)
    if horaires_changes:
        _verifier_horaires(courante.cellule, nouveau_debut, nouvelle_fin, courante.pk)
        courante.debut, courante.fin = nouveau_debut, nouvelle_fin
        courante.sequence += 1
        courante.rappel_programme_le = None
    if lieu is not None:
        courante.lieu = _lieu(lieu)
    courante.version += 1
    courante.full_clean()
    courante.save()
    if horaires_changes:
        droits.synchroniser_seance(courante, acteur)
        _envoyer(courante, NatureEnvoi.MODIFICATION)
    return courante


@transaction.atomic
def seance_annuler(*, seance: Seance, acteur: Utilisateur) -> Seance:
    """Cancel: the grants it opened are withdrawn, convened members get a CANCEL invite."""
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_planifiee(courante)
    courante.statut = StatutSeance.ANNULEE
    courante.sequence += 1
    courante.version += 1
    courante.full_clean()
    courante.save()
    droits.synchroniser_seance(courante, acteur)
    _envoyer(courante, NatureEnvoi.ANNULATION)
    return courante


@transaction.atomic
def ordre_du_jour_ajouter(
    *,
    seance: Seance,
    situation: Situation,
    motif: str,
    acteur: Utilisateur,
    synchroniser: bool = True,
) -> PointOrdreDuJour:
    """Put a case of the cell on the agenda; a case still ``signalee`` becomes ``inscrite``.

    ``synchroniser=False`` leaves the grants of the convened members to the caller, which adds
    several cases and synchronises the meeting once at the end.
    """
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_planifiee(courante)
    if motif not in MotifInscription.values:
        raise ApiError.champ_invalide("motif", "Motif hors de la liste fermée.")
    cible = (
        Situation.objects.restrict(acteur, Action.MODIFIER)
        .filter(pk=situation.pk, cellule_id=courante.cellule_id)
        .first()
    )
    if cible is None:
        raise ApiError.champ_invalide("situation", "Situation introuvable dans cette cellule.")
    if cible.statut not in STATUTS_OUVERTS:
        raise ApiError.refus(
            "situation_close",
            "Seule une situation en cours (signalée, inscrite ou suivie) peut être inscrite à "
            "l'ordre du jour.",
            "situation",
            409,
        )
    if courante.points.filter(situation=cible).exists():
        raise ApiError.conflit("deja_inscrite", "Cette situation est déjà à l'ordre du jour.")
    rang = (courante.points.aggregate(m=Max("rang"))["m"] or 0) + 1
    point = PointOrdreDuJour(seance=courante, situation=cible, rang=rang, motif=motif)
    point.full_clean()
    point.save(force_insert=True)
    _nouvelle_version(courante)
    if cible.statut == StatutSituation.SIGNALEE:
        situation_inscrire(situation=cible, version=cible.version, acteur=acteur)
    if synchroniser:
        droits.synchroniser_seance(courante, acteur)
    return point


def _renumeroter(points: list[PointOrdreDuJour]) -> None:
    """Give ``points`` the ranks 1..n in this order, saving each changed row (change log).

    The ranks are unique per meeting: changed rows first move past the current maximum.
    """
    a_changer = [(rang, p) for rang, p in enumerate(points, start=1) if p.rang != rang]
    if not a_changer:
        return
    decalage = max(p.rang for p in points) + len(points)
    for rang, point in a_changer:
        point.rang = decalage + rang
        point.save(update_fields=["rang"])
    for rang, point in a_changer:
        point.rang = rang
        point.save(update_fields=["rang"])


@transaction.atomic
def ordre_du_jour_retirer(
    *, seance: Seance, situation_id: uuid.UUID, version: int, acteur: Utilisateur
) -> Seance:
    """Take a case off the agenda of a planned meeting (``If-Match`` on the meeting).

    The following points move up; the meeting grants the case gave to convened members are
    recomputed at once (withdrawn, or kept from another meeting that still has it). A case
    ``inscrite`` on no other agenda goes back to ``signalee``.
    """
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_version(courante, version)
    _exiger_planifiee(courante)
    points = list(courante.points.order_by("rang", "id"))
    retire = next((p for p in points if p.situation_id == situation_id), None)
    if retire is None:
        raise ApiError.introuvable()
    retire.delete()
    _renumeroter([p for p in points if p is not retire])
    _nouvelle_version(courante)
    if not PointOrdreDuJour.objects.filter(situation_id=situation_id).exists():
        cible = (
            Situation.objects.restrict(acteur, Action.MODIFIER)
            .filter(pk=situation_id, statut=StatutSituation.INSCRITE_ORDRE_DU_JOUR)
            .first()
        )
        if cible is not None:
            situation_desinscrire(situation=cible, acteur=acteur)
    droits.synchroniser_seance(courante, acteur)
    return courante


@transaction.atomic
def ordre_du_jour_ordonner(
    *, seance: Seance, situations: list[uuid.UUID], version: int, acteur: Utilisateur
) -> Seance:
    """Reorder the agenda of a planned meeting: ``situations`` lists every case on it, once,
    in the new order (``If-Match`` on the meeting)."""
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_version(courante, version)
    _exiger_planifiee(courante)
    points = {p.situation_id: p for p in courante.points.all()}
    if len(set(situations)) != len(situations) or set(situations) != set(points):
        raise ApiError.champ_invalide(
            "situations",
            "Indiquez chaque situation de l'ordre du jour une fois, et elles seules.",
        )
    ordre = [points[pk] for pk in situations]
    if [p.rang for p in ordre] != sorted(p.rang for p in ordre):
        _renumeroter(ordre)
        _nouvelle_version(courante)
    return courante


@transaction.atomic
def convocations_envoyer(
    *, seance: Seance, membres: Iterable[MembreCellule], acteur: Utilisateur
) -> list[Convocation]:
    """Convene active members of the cell: one row each, one e-mail each (through the outbox).

    A member already convened is not e-mailed again; a withdrawn convocation is renewed.
    """
    courante = _seance_a_ecrire(seance, acteur)
    _exiger_planifiee(courante)
    liste = list(membres)
    if any(m.cellule_id != courante.cellule_id or not m.actif for m in liste):
        raise ApiError.champ_invalide("membres", "Membre inconnu ou inactif dans cette cellule.")
    nouvelles: list[Convocation] = []
    resultat: list[Convocation] = []
    for membre in liste:
        convocation, creee = Convocation.objects.get_or_create(seance=courante, membre=membre)
        if creee or not convocation.valide:
            convocation.valide = True
            convocation.save()
            nouvelles.append(convocation)
        resultat.append(convocation)
    if nouvelles:
        _nouvelle_version(courante)
    droits.synchroniser_seance(courante, acteur)
    _envoyer(courante, NatureEnvoi.CONVOCATION, nouvelles)
    return resultat


@transaction.atomic
def convocation_renvoyer(
    *, seance: Seance, convocation: Convocation, acteur: Utilisateur
) -> Convocation:
    """Send again the last e-mail of a convocation whose delivery failed.

    Idempotent: a convocation whose e-mail is queued or sent is returned unchanged. Refused
    (409, nothing changes) when the message no longer holds or the account still has no address.
    """
    courante = _seance_a_ecrire(seance, acteur)
    verrouillee = (
        Convocation.objects.select_for_update(of=("self",))
        .select_related("seance__cellule", "membre__utilisateur")
        .filter(pk=convocation.pk, seance=courante)
        .first()
    )
    if verrouillee is None:
        raise ApiError.introuvable()
    if verrouillee.etat_envoi != EtatEnvoi.ECHEC:
        return verrouillee
    nature = verrouillee.nature_envoi or NatureEnvoi.CONVOCATION
    if not envois.encore_due(verrouillee, nature):
        raise ApiError.conflit(
            "renvoi_sans_objet",
            "Ce message n'a plus d'objet : convocation retirée, membre ou compte inactif, "
            "ou séance passée, annulée ou rétablie.",
        )
    if not verrouillee.membre.utilisateur.email:
        raise ApiError.conflit(
            "aucune_adresse",
            "Le compte convoqué n'a pas d'adresse électronique : faites-la renseigner, puis "
            "renvoyez.",
        )
    envois.programmer(verrouillee, nature)
    return verrouillee


@transaction.atomic
def presence_enregistrer(
    *,
    seance: Seance,
    organisation: Organisation,
    present: bool,
    acteur: Utilisateur,
    excusee: bool = False,
) -> Presence:
    """Attendance of one institution (an organisation of a member of the cell): present,
    excused or absent."""
    courante = _seance_a_ecrire(seance, acteur)
    if courante.statut == StatutSeance.ANNULEE:
        raise ApiError.conflit("seance_annulee", "Cette séance est annulée.")
    membres = MembreCellule.objects.filter(
        cellule_id=courante.cellule_id, organisation=organisation
    )
    if not membres.exists():
        raise ApiError.champ_invalide(
            "organisation", "Organisation sans membre dans cette cellule."
        )
    if present and excusee:
        raise ApiError.champ_invalide("excusee", "Une institution présente n'est pas excusée.")
    presence = Presence.objects.filter(seance=courante, organisation=organisation).first()
    if presence is None:
        presence = Presence(seance=courante, organisation=organisation)
    elif (presence.present, presence.excusee) == (present, excusee):
        return presence
    presence.present, presence.excusee = present, excusee
    presence.full_clean()
    presence.save()
    _nouvelle_version(courante)
    return presence


def _partenaire(cellule_id: uuid.UUID, organisation: Organisation) -> Organisation:
    """A partner of the cell (``composition.selectors.partenaires``)."""
    if not selecteurs_composition.est_partenaire(cellule_id, organisation):
        raise ApiError.champ_invalide(
            "organisation", "Organisation sans membre actif dans cette cellule."
        )
    return organisation


def _echeance_decision(echeance: dt.date | None, jour: dt.date) -> dt.date:
    if echeance is None:
        raise ApiError.champ_invalide("echeance", "L'échéance de la décision est obligatoire.")
    if echeance < jour:
        raise ApiError.champ_invalide("echeance", "L'échéance ne peut précéder la séance.")
    if echeance > jour + ECHEANCE_DECISION_MAX:
        raise ApiError.champ_invalide(
            "echeance", f"L'échéance est limitée à {ECHEANCE_DECISION_MAX.days} jours."
        )
    return echeance


ECHEANCE_DECISION_MAX = dt.timedelta(days=730)


@transaction.atomic
def decision_enregistrer(
    *,
    seance: Seance,
    situation: Situation,
    type: str,
    note: str | None,
    acteur: Utilisateur,
    organisation: Organisation | None = None,
    echeance: dt.date | None = None,
    orientation: Orientation | None = None,
) -> Decision:
    """Record a decision on a case of the agenda, once the meeting has begun (it is then held).

    An ``orientation_decidee`` decision is the orientation itself (``orientation``, of this
    case, decided at this meeting or not tied to another): its organisation and deadline are
    the orientation's. Any other decision names its responsible organisation (a partner of the
    cell) and its deadline.
    """
    courante = _seance_a_ecrire(seance, acteur)
    if courante.statut == StatutSeance.ANNULEE:
        raise ApiError.conflit("seance_annulee", "Cette séance est annulée.")
    if courante.debut > timezone.now():
        raise ApiError.conflit("seance_a_venir", "La séance n'a pas encore commencé.")
    if type not in TypeDecision.values:
        raise ApiError.champ_invalide("type", "Type hors de la liste fermée.")
    point = courante.points.select_related("situation").filter(situation_id=situation.pk).first()
    if point is None:
        raise ApiError.champ_invalide("situation", "Cette situation n'est pas à l'ordre du jour.")
    decision = Decision(
        id=uuid.uuid4(),
        seance=courante,
        situation=point.situation,
        cle_id=point.situation.cle_id,
        type=type,
        prise_par=acteur,
    )
    if type == TypeDecision.ORIENTATION_DECIDEE:
        if organisation is not None or echeance is not None:
            raise ApiError.champ_invalide(
                "organisation",
                "Une orientation décidée porte son organisation et son échéance : indiquez "
                "seulement l'orientation.",
            )
        if (
            orientation is None
            or orientation.situation_id != point.situation_id
            or orientation.seance_id not in (None, courante.pk)
        ):
            raise ApiError.champ_invalide(
                "orientation", "Orientation de cette situation décidée à cette séance attendue."
            )
        decision.orientation = orientation
    else:
        if orientation is not None:
            raise ApiError.champ_invalide(
                "orientation", "Seule une décision « orientation décidée » nomme une orientation."
            )
        if organisation is None:
            raise ApiError.champ_invalide(
                "organisation", "L'organisation responsable de la décision est obligatoire."
            )
        decision.organisation = _partenaire(courante.cellule_id, organisation)
        decision.echeance = _echeance_decision(echeance, timezone.localdate(courante.debut))
    chiffrer(decision, "note", _note(note))
    decision.full_clean()
    decision.save(force_insert=True)
    if courante.statut == StatutSeance.PLANIFIEE:
        courante.statut = StatutSeance.TENUE
        courante.version += 1
        courante.save(update_fields=["statut", "version"])
    return decision


@transaction.atomic
def decision_realiser(*, decision: Decision, acteur: Utilisateur) -> Decision:
    """Mark a decision done: the coordonnateurs of the cell, or an active member of the cell
    from the responsible organisation. Done already: unchanged. A decision that is an
    orientation is done when the orientation is closed (409)."""
    courante: Decision | None = (
        Decision.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=decision.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    if courante.orientation_id is not None:
        raise ApiError.conflit(
            "decision_orientation",
            "Cette décision est une orientation : clôturez l'orientation pour la réaliser.",
        )
    if courante.realisee_le is not None:
        return courante
    courante.realisee_le, courante.realisee_par = timezone.now(), acteur
    courante.full_clean()
    courante.save(update_fields=["realisee_le", "realisee_par"])
    return courante


def decisions_echues(cellule_id: uuid.UUID, jour: dt.date) -> QuerySet[Decision]:
    """Decisions of the cell not done whose deadline is before ``jour``, on cases still
    followed (no scope check: callers restrict or have checked that the actor runs the cell).
    Decisions that are orientations come back through the orientation carry-over."""
    return Decision.objects.filter(
        seance__cellule_id=cellule_id,
        orientation__isnull=True,
        realisee_le__isnull=True,
        echeance__lt=jour,
        situation__statut__in=STATUTS_OUVERTS,
    ).order_by("echeance", "prise_le", "id")


def delai_rappel() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "CELLULES_RAPPEL_SEANCE_JOURS", 2)))


@transaction.atomic
def rappels_programmer() -> int:
    """Enqueue one reminder per valid convocation of meetings starting within the delay.

    The meeting row records that its reminders were enqueued, so a second run (or two
    concurrent beats) enqueues nothing; rescheduling clears the mark.
    """
    maintenant = timezone.now()
    seances = list(
        Seance.objects.select_for_update(skip_locked=True).filter(
            statut=StatutSeance.PLANIFIEE,
            rappel_programme_le__isnull=True,
            debut__gt=maintenant,
            debut__lte=maintenant + delai_rappel(),
        )
    )
    envoyes = 0
    for seance in seances:
        seance.rappel_programme_le = maintenant
        seance.save(update_fields=["rappel_programme_le"])
        envoyes += _envoyer(seance, NatureEnvoi.RAPPEL)
    return envoyes
