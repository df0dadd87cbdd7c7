"""Anomaly detector for ``audit`` (setting ``AUDIT_DETECTEURS``): reads off the agendas.

A membre de cellule reads cases because he is convened to a meeting that discusses them. A read
by such a user of a case that is on none of the agendas of the meetings he is convened to (an
explicit grant used outside any meeting, say) is worth an auditor's look. Users who also hold a
role that reads by territory (délégué, directeur, coordonnateur) are left out: their reads need
no agenda.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from acces.enums import Role
from audit.enums import ACTIONS_LECTURE, Resultat
from audit.models import EvenementAcces

TYPE_SITUATION = "cellules.situation"
ROLES_TERRITORIAUX: frozenset[str] = frozenset(
    {Role.DELEGUE_PROCUREUR, Role.DIRECTEUR_TRANQUILLITE, Role.COORDONNATEUR}
)


def _situations_des_ordres_du_jour(utilisateur_id: uuid.UUID) -> set[str]:
    from cellules.seances.models import PointOrdreDuJour

    points = PointOrdreDuJour.objects.filter(
        seance__convocations__membre__utilisateur_id=utilisateur_id,
        seance__convocations__valide=True,
    ).values_list("situation_id", flat=True)
    return {str(pk) for pk in points}


def lectures_hors_ordre_du_jour(
    debut: dt.datetime, fin: dt.datetime
) -> list[tuple[uuid.UUID, int]]:
    """(user id, number of reads of cases absent from his agendas) over [debut, fin)."""
    lectures = EvenementAcces.objects.filter(
        horodatage__gte=debut,
        horodatage__lt=fin,
        resultat=Resultat.AUTORISE,
        action__in=ACTIONS_LECTURE,
        type_objet=TYPE_SITUATION,
        utilisateur_id__isnull=False,
        roles__contains=Role.MEMBRE_CELLULE,
    ).values_list("utilisateur_id", "roles", "objet_id")
    par_utilisateur: dict[uuid.UUID, list[str]] = {}
    for utilisateur_id, roles, objet_id in lectures:
        if utilisateur_id is None or ROLES_TERRITORIAUX & set(str(roles).split(",")):
            continue
        par_utilisateur.setdefault(utilisateur_id, []).append(objet_id)
    hors: Counter[uuid.UUID] = Counter()
    for utilisateur_id, objets in par_utilisateur.items():
        ordres_du_jour = _situations_des_ordres_du_jour(utilisateur_id)
        hors[utilisateur_id] = sum(1 for objet in objets if objet not in ordres_du_jour)
    return [(u, n) for u, n in hors.items() if n]
