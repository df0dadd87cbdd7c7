"""Who may reach persons and cases: one SQL condition per rule, read by ``.restrict``.

Every condition is a column test or an ``IN (subquery)``: no join that could duplicate rows,
so counts and pages stay exact. Evaluated on each request: a revoked habilitation or an expired
grant stops working at once.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from acces.enums import Action, Role
from cellules.composition.politiques import cellules_cispd, cellules_du_coordonnateur
from cellules.dossiers.enums import StatutSituation

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

# Roles that may hold an explicit grant on a case (membre de cellule only reads this way).
ROLES_ACCES_EXPLICITE = (
    Role.MEMBRE_CELLULE,
    Role.COORDONNATEUR,
    Role.DIRECTEUR_TRANQUILLITE,
    Role.DELEGUE_PROCUREUR,
)
# Archived cases are read through a step-up route only; purged ones by nobody.
STATUTS_HORS_LECTURE = (StatutSituation.ARCHIVEE, StatutSituation.PURGEE)
CODENAME_LECTURE = "view_situation"
# Grant of a case on the agenda of a meeting (``AccesSituation.seance`` set).
CODENAME_SEANCE = "lire_situation_seance"


def delai_avant_seance() -> dt.timedelta:
    """How many days before a meeting's day its convened members read it and its agenda."""
    return dt.timedelta(days=int(getattr(settings, "CELLULES_ACCES_AVANT_SEANCE_JOURS", 3)))


def delai_apres_seance() -> dt.timedelta:
    """How long after a meeting's end its convened members still read it and its agenda."""
    return dt.timedelta(days=int(getattr(settings, "CELLULES_ACCES_APRES_SEANCE_JOURS", 7)))


def convocations_ouvertes(utilisateur_id: Any) -> Any:
    """Convocations that let a member read now: valid, to an active member of the meeting's
    cell from an active organisation, for a meeting whose read window is open (from midnight
    ``CELLULES_ACCES_AVANT_SEANCE_JOURS`` days before its day to
    ``CELLULES_ACCES_APRES_SEANCE_JOURS`` days after its end)."""
    from cellules.seances.models import Convocation

    maintenant = timezone.now()
    return Convocation.objects.filter(
        membre__utilisateur_id=utilisateur_id,
        valide=True,
        membre__actif=True,
        membre__organisation__active=True,
        membre__cellule_id=F("seance__cellule_id"),
        seance__debut__lt=ouverture_limite(),
        seance__fin__gt=maintenant - delai_apres_seance(),
    )


def ouverture_limite() -> dt.datetime:
    """Meetings starting before this instant have their read window open: the window opens at
    midnight (local time), ``CELLULES_ACCES_AVANT_SEANCE_JOURS`` days before the meeting's day."""
    jour = timezone.localdate() + delai_avant_seance() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(jour, dt.time.min))


def _situations_en_fenetre(utilisateur_id: Any) -> Any:
    """Cases on the agenda of a planned or held meeting whose read window is open for the user."""
    from cellules.seances.enums import StatutSeance
    from cellules.seances.models import PointOrdreDuJour

    ouvertes = convocations_ouvertes(utilisateur_id).filter(
        seance__statut__in=(StatutSeance.PLANIFIEE, StatutSeance.TENUE)
    )
    return PointOrdreDuJour.objects.filter(seance_id__in=ouvertes.values("seance_id")).values(
        "situation_id"
    )


def _ou(conditions: list[Q]) -> Q | None:
    return reduce(or_, conditions) if conditions else None


def _acces_explicites(p: Perimetre) -> Any:
    """Cases granted to the user: by hand while unexpired; by a meeting while unexpired, while
    the user is an active member of that meeting's cell, for an active organisation
    (withdrawn, or organisation deactivated: lost at once, even if the rows remain), and only
    inside the read window of a meeting that has the case on its agenda and convenes him (a
    meeting planned months ahead opens nothing before its window)."""
    from cellules.composition.models import MembreCellule
    from cellules.dossiers.models import AccesSituation

    uid: Any = p.utilisateur_id
    cellules_actives = MembreCellule.objects.filter(
        utilisateur_id=uid, actif=True, organisation__active=True
    ).values("cellule_id")
    a_la_main = Q(permission__codename=CODENAME_LECTURE)
    par_seance = Q(
        permission__codename=CODENAME_SEANCE,
        seance__cellule_id__in=cellules_actives,
        content_object_id__in=_situations_en_fenetre(uid),
    )
    return (
        AccesSituation.objects.filter(user_id=p.utilisateur_id)
        .filter(a_la_main | par_seance)
        .filter(Q(expire_le__isnull=True) | Q(expire_le__gt=timezone.now()))
        .values("content_object_id")
    )


def _cellules_charte_respectee(p: Perimetre) -> Any:
    """Cells without a charter in force, or whose charter in force (highest version already in
    force) the user accepted. Evaluated on each request: a new version cuts access at once."""
    from cellules.chartes.models import AcceptationCharteCellule
    from cellules.chartes.selectors import chartes_en_vigueur
    from cellules.composition.models import Cellule

    uid: Any = p.utilisateur_id
    acceptee = AcceptationCharteCellule.objects.filter(charte_id=OuterRef("pk"), utilisateur_id=uid)
    non_acceptees = chartes_en_vigueur().filter(~Exists(acceptee)).values("cellule_id")
    return Cellule.objects.exclude(pk__in=non_acceptees).values("pk")


def cellules_charte_respectee(p: Perimetre) -> Any:
    """Cells whose personal data (cases, and the case ids of their agendas) the user may see
    as far as the cell charter goes."""
    return _cellules_charte_respectee(p)


def _coordonnees(p: Perimetre) -> list[Q]:
    """Cells a coordonnateur runs, plus the CISPD cells when his scope includes the CISPD."""
    if not p.a_role(Role.COORDONNATEUR):
        return []
    conditions = [Q(cellule_id__in=cellules_du_coordonnateur(p))]
    if p.portee(Role.COORDONNATEUR).cispd:
        conditions.append(Q(cellule_id__in=cellules_cispd()))
    return conditions


def politique_situation(p: Perimetre, action: Action) -> Q | None:
    """Cases a user may act on.

    Lire:
    - délégué du procureur: cases of his ressorts;
    - directeur de la tranquillité publique: cases of his communes;
    - coordonnateur: cases of the cells he coordinates (and of the CISPD cells if his
      habilitation covers the CISPD);
    - any of the roles above and the membre de cellule: cases with an active, unexpired
      explicit grant (the only way a membre de cellule reads a case);
    - référent d'accueil, auditeur, administrateur technique: nothing.
    Modifier: the coordonnateur of the cell; the délégué du procureur of the ressort.
    For every role and action, the charter in force of the case's cell (if any) must have been
    accepted by the user. Archived and purged cases are outside every list and detail.
    """
    if p.utilisateur_id is None:
        return None
    conditions: list[Q] = []
    if action == Action.LIRE:
        if p.a_role(Role.DELEGUE_PROCUREUR):
            conditions.append(Q(ressort__in=p.portee(Role.DELEGUE_PROCUREUR).ressorts))
        if p.a_role(Role.DIRECTEUR_TRANQUILLITE):
            conditions.append(Q(commune_id__in=p.portee(Role.DIRECTEUR_TRANQUILLITE).communes))
        conditions += _coordonnees(p)
        if p.a_role(*ROLES_ACCES_EXPLICITE):
            conditions.append(Q(pk__in=_acces_explicites(p)))
    elif action == Action.MODIFIER:
        conditions += _coordonnees(p)
        if p.a_role(Role.DELEGUE_PROCUREUR):
            conditions.append(Q(ressort__in=p.portee(Role.DELEGUE_PROCUREUR).ressorts))
    condition = _ou(conditions)
    if condition is None:
        return None
    charte = Q(cellule_id__in=_cellules_charte_respectee(p))
    return condition & charte & ~Q(statut__in=STATUTS_HORS_LECTURE)


def politique_personne(p: Perimetre, action: Action) -> Q | None:
    """Persons of the cases the user may reach with ``action``.

    A person without any case yet is visible to the account that registered it only, so that
    it can open the first case; the duplicate search never looks further than this.
    """
    from cellules.dossiers.models import Situation

    if p.utilisateur_id is None:
        return None
    conditions: list[Q] = []
    condition_situation = politique_situation(p, action)
    if condition_situation is not None:
        visibles = Situation.objects.filter(condition_situation).values("personne_id")
        conditions.append(Q(pk__in=visibles))
    if p.a_role(Role.COORDONNATEUR, Role.DELEGUE_PROCUREUR):
        sans_situation = ~Q(pk__in=Situation.objects.values("personne_id"))
        conditions.append(Q(cree_par_id=p.utilisateur_id) & sans_situation)
    return _ou(conditions)


def lit_en_membre(p: Perimetre) -> bool:
    """Some role of ``p`` reads the cases a cell opens to its members (the grants
    ``politique_situation`` honours, ``ROLES_ACCES_EXPLICITE``): never the référent d'accueil,
    the auditor or the technical administrator, who may not sit in a cell."""
    return p.lit_donnees_personnelles and p.a_role(*ROLES_ACCES_EXPLICITE)


def peut_ouvrir_situation(p: Perimetre) -> bool:
    """Coordonnateur and délégué du procureur register persons and open cases."""
    return p.lit_donnees_personnelles and p.a_role(Role.COORDONNATEUR, Role.DELEGUE_PROCUREUR)


# Roles that may hold a scope on archived cases (those who may modify a case while active).
ROLES_ARCHIVES = (Role.COORDONNATEUR, Role.DELEGUE_PROCUREUR)


def politique_situation_archivee(p: Perimetre, action: Action) -> Q | None:
    """Archived cases a user may read (step-up route only; never through ``.restrict``).

    Lire: the coordonnateur of the case's cell (and of the CISPD cells if his habilitation
    covers the CISPD) and the délégué du procureur of its ressort, i.e. those who may modify
    the case while it is active, once they accepted the charter in force of its cell (if any).
    No explicit grant reaches an archived case; no other action is possible on it; purged
    cases are read by nobody.
    """
    if p.utilisateur_id is None or action != Action.LIRE:
        return None
    conditions = _coordonnees(p)
    if p.a_role(Role.DELEGUE_PROCUREUR):
        conditions.append(Q(ressort__in=p.portee(Role.DELEGUE_PROCUREUR).ressorts))
    condition = _ou(conditions)
    if condition is None:
        return None
    charte = Q(cellule_id__in=_cellules_charte_respectee(p))
    return condition & charte & Q(statut=StatutSituation.ARCHIVEE)
