"""Expiring read grants of the cases on a meeting's agenda, kept in step with convocations.

A grant row exists from the convocation until ``CELLULES_ACCES_APRES_SEANCE_JOURS`` days after
the end of the latest meeting (planned or held) that convenes the member about the case. These
grants carry their own permission (``lire_situation_seance``) and the meeting they come from
(the one ending last); they count only while the user is an active member of that meeting's
cell, and only inside the read window of one of those meetings, which opens
``CELLULES_ACCES_AVANT_SEANCE_JOURS`` days before its day (``cellules.dossiers.politiques``).

A grant given by hand (``view_situation``, ``cellules.dossiers.services.acces_accorder``) is
another row: no meeting change (cancellation, rescheduling, agenda, convocations) ever touches it.

Rows are saved and deleted one by one so that the change log records each of them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from acces.models import Utilisateur
from cellules.composition.models import MembreCellule
from cellules.dossiers.models import AccesSituation, Situation
from cellules.dossiers.politiques import CODENAME_SEANCE, delai_apres_seance
from cellules.seances.enums import StatutSeance
from cellules.seances.models import PointOrdreDuJour, Seance

STATUTS_OUVRANT_ACCES = (StatutSeance.PLANIFIEE, StatutSeance.TENUE)


def permission_seance() -> Permission:
    return Permission.objects.get(
        codename=CODENAME_SEANCE, content_type=ContentType.objects.get_for_model(Situation)
    )


def seance_origine(situation: Situation, utilisateur: Utilisateur) -> Seance | None:
    """The planned or held meeting ending last that convenes ``utilisateur`` (valid convocation,
    active membership of the meeting's cell) with ``situation`` on its agenda."""
    return (
        Seance.objects.filter(
            statut__in=STATUTS_OUVRANT_ACCES,
            points__situation=situation,
            convocations__valide=True,
            convocations__membre__actif=True,
            convocations__membre__cellule_id=F("cellule_id"),
            convocations__membre__utilisateur=utilisateur,
        )
        .order_by("-fin", "-debut", "id")
        .first()
    )


def echeance_voulue(situation: Situation, utilisateur: Utilisateur) -> dt.datetime | None:
    origine = seance_origine(situation, utilisateur)
    return None if origine is None else origine.fin + delai_apres_seance()


def synchroniser(
    *,
    situation: Situation,
    utilisateur: Utilisateur,
    acteur: Utilisateur,
    permission: Permission | None = None,
) -> AccesSituation | None:
    """Create, extend, shorten or withdraw the meeting grant of one user on one case.

    Only the meeting grant (``lire_situation_seance``) is read and written; returns it, or None
    once withdrawn.
    """
    permission = permission or permission_seance()
    # Lock the case first: two meetings synchronising the same (user, case) pair at once would
    # otherwise both insert the grant (the rows to lock do not exist yet).
    list(Situation.objects.select_for_update().filter(pk=situation.pk).values_list("pk"))
    existants = list(
        AccesSituation.objects.select_for_update().filter(
            user=utilisateur, content_object=situation, permission=permission
        )
    )
    origine = seance_origine(situation, utilisateur)
    voulue = None if origine is None else origine.fin + delai_apres_seance()
    if origine is None or voulue is None or voulue <= timezone.now():
        for acces in existants:
            acces.delete()
        return None
    if not existants:
        acces = AccesSituation(
            id=uuid.uuid4(),
            user=utilisateur,
            permission=permission,
            content_object=situation,
            seance=origine,
            expire_le=voulue,
            accorde_par=acteur,
            accorde_le=timezone.now(),
        )
        acces.save(force_insert=True)
        return acces
    acces, *doublons = existants
    for doublon in doublons:  # guardian's unique constraint forbids them; defensive only
        doublon.delete()
    if (acces.expire_le, acces.seance_id) != (voulue, origine.pk):
        acces.expire_le, acces.seance = voulue, origine
        acces.accorde_par, acces.accorde_le = acteur, timezone.now()
        acces.save(update_fields=["expire_le", "seance", "accorde_par", "accorde_le"])
    return acces


def synchroniser_seance(seance: Seance, acteur: Utilisateur) -> None:
    """Every (convened user, case on the agenda) pair of one meeting, and every pair whose
    meeting grant comes from it."""
    situations = {p.situation_id: p.situation for p in seance.points.select_related("situation")}
    utilisateurs = {
        c.membre.utilisateur_id: c.membre.utilisateur
        for c in seance.convocations.select_related("membre__utilisateur")
    }
    paires = {(u, s) for u in utilisateurs for s in situations}
    for acces in AccesSituation.objects.filter(seance=seance).select_related(
        "user", "content_object"
    ):
        utilisateurs.setdefault(acces.user_id, acces.user)
        situations.setdefault(acces.content_object_id, acces.content_object)
        paires.add((acces.user_id, acces.content_object_id))
    permission = permission_seance()
    for utilisateur_id, situation_id in sorted(paires, key=lambda p: (str(p[0]), str(p[1]))):
        synchroniser(
            situation=situations[situation_id],
            utilisateur=utilisateurs[utilisateur_id],
            acteur=acteur,
            permission=permission,
        )


def synchroniser_membre(membre: MembreCellule, acteur: Utilisateur) -> None:
    """The meeting grants of one member on every case on the agenda of the meetings that
    convene him and still open access (e.g. when a withdrawn member is brought back)."""
    limite = timezone.now() - delai_apres_seance()
    situations = {
        point.situation_id: point.situation
        for point in PointOrdreDuJour.objects.filter(
            seance__cellule_id=membre.cellule_id,
            seance__statut__in=STATUTS_OUVRANT_ACCES,
            seance__fin__gt=limite,
            seance__convocations__membre=membre,
            seance__convocations__valide=True,
        ).select_related("situation")
    }
    permission = permission_seance()
    for situation_id in sorted(situations, key=str):
        synchroniser(
            situation=situations[situation_id],
            utilisateur=membre.utilisateur,
            acteur=acteur,
            permission=permission,
        )
