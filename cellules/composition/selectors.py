"""Reads of cells and members, always through the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from acces import politiques
from acces.enums import Action, PorteeExclusion, Role
from acces.models import AcceptationCharte, Exclusion, Habilitation, Organisation, Utilisateur
from acces.perimetre import perimetre_de
from acces.selectors import charte_courante
from cellules.chartes import selectors as selecteurs_chartes
from cellules.composition.models import Cellule, ExclusionCellule, MembreCellule
from cellules.dossiers.politiques import ROLES_ACCES_EXPLICITE
from cellules.seances.politiques import cellules_coordonnees


def cellules_visibles(user: Any) -> QuerySet[Cellule]:
    """Cells of the user's scope, each with ``charte_version`` (its own charter in force, or
    None) and ``charte_acceptee`` (by the user), computed in the same query."""
    return selecteurs_chartes.avec_charte(Cellule.objects.restrict(user, Action.LIRE), user.pk)


def cellule_visible(user: Any, pk: Any) -> Cellule | None:
    return cellules_visibles(user).filter(pk=pk).first()


def cellules_gerees(user: Any) -> QuerySet[Cellule]:
    """Cells ``user`` runs as coordonnateur (and the CISPD cells if his scope covers them)."""
    perimetre = perimetre_de(user)
    if not perimetre.a_role(Role.COORDONNATEUR):
        return Cellule.objects.none()
    return Cellule.objects.restrict(user, Action.MODIFIER).filter(
        pk__in=cellules_coordonnees(perimetre)
    )


def cellules_modifiables(user: Any) -> QuerySet[Cellule]:
    """Cells whose cases ``user`` may write, hence decide orientations in: their coordinators
    and the délégué du procureur of their ressort (``politique_cellule``, Modifier)."""
    return Cellule.objects.restrict(user, Action.MODIFIER)


def partenaires(cellule: Cellule) -> QuerySet[Organisation]:
    """Active organisations of the cell's active members and of its coordinators."""
    des_membres = MembreCellule.objects.filter(cellule=cellule, actif=True).values(
        "organisation_id"
    )
    lien: Any = Cellule.coordonnateurs.through
    des_coordonnateurs = lien.objects.filter(cellule_id=cellule.pk).values(
        "utilisateur__organisation_id"
    )
    return (
        Organisation.objects.filter(active=True)
        .filter(Q(pk__in=des_membres) | Q(pk__in=des_coordonnateurs))
        .order_by("nom", "id")
    )


def est_partenaire(cellule_id: Any, organisation: Organisation) -> bool:
    """``organisation`` is one of ``partenaires`` of the cell (what orientations and decisions
    may be entrusted to)."""
    cellule = Cellule(pk=cellule_id)
    return partenaires(cellule).filter(pk=organisation.pk).exists()


def membres(cellule: Cellule) -> QuerySet[MembreCellule]:
    return (
        MembreCellule.objects.filter(cellule=cellule)
        .select_related("utilisateur", "organisation")
        .order_by("-actif", "utilisateur__last_name", "utilisateur__first_name", "id")
    )


def ont_accepte_charte(cellule_id: Any, utilisateur_ids: list[Any]) -> set[Any]:
    """Users among ``utilisateur_ids`` who accepted the platform's charter in force and the
    cell's own charter in force, if the cell has one (three queries at most)."""
    courante = charte_courante()
    if courante is None:
        return set()
    globale = set(
        AcceptationCharte.objects.filter(
            charte=courante, utilisateur_id__in=utilisateur_ids
        ).values_list("utilisateur_id", flat=True)
    )
    if not globale:
        return set()
    return globale & selecteurs_chartes.ont_accepte(cellule_id, list(globale))


def membre_de(cellule: Cellule, pk: Any) -> MembreCellule | None:
    """A member of ``cellule`` only: a member of another cell answers like a missing one."""
    return MembreCellule.objects.filter(pk=pk, cellule=cellule).first()


def communes_des_ressorts(ressorts: Iterable[Any]) -> QuerySet[Cellule, dict[str, Any]]:
    """Communes of the communal cells of ``ressorts`` (a subquery of ``commune_id`` values)."""
    return Cellule.objects.filter(ressort__in=ressorts, commune__isnull=False).values("commune_id")


def annuaire(recherche: str = "", organisation: Any = None) -> QuerySet[Utilisateur]:
    """The staff directory: active accounts of active organisations that may sit in a cell
    (an active habilitation of a role that reads cases as a member, as ``lit_en_membre``).

    ``recherche``: every word in the first name, the last name or the organisation's name.
    Each row carries ``roles_actifs`` and ``participations_actives`` (two queries per page).
    """
    eligibles = Habilitation.objects.actives().filter(role__in=ROLES_ACCES_EXPLICITE)
    comptes = Utilisateur.objects.filter(
        is_active=True,
        compte_technique=False,
        organisation__active=True,
        pk__in=eligibles.values("utilisateur_id"),
    )
    if organisation is not None:
        comptes = comptes.filter(organisation_id=organisation)
    for mot in recherche.split():
        comptes = comptes.filter(
            Q(first_name__icontains=mot)
            | Q(last_name__icontains=mot)
            | Q(organisation__nom__icontains=mot)
        )
    return (
        comptes.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "habilitations",
                queryset=Habilitation.objects.actives().order_by("role"),
                to_attr="roles_actifs",
            ),
            Prefetch(
                "participations",
                queryset=MembreCellule.objects.filter(actif=True).order_by("fonction"),
                to_attr="participations_actives",
            ),
        )
        .order_by("last_name", "first_name", "id")
    )


def exclusions_visibles(user: Any) -> QuerySet[Exclusion]:
    """Exclusions ``user`` may lift: every one for whoever approves habilitations (the technical
    administrator), the cell exclusions of the cells he runs for a coordinator. Newest first,
    each with its cells prefetched."""
    perimetre = perimetre_de(user)
    if politiques.peut_administrer(perimetre):
        exclusions = Exclusion.objects.all()
    elif perimetre.a_role(Role.COORDONNATEUR):
        des_cellules = ExclusionCellule.objects.filter(cellule__in=cellules_gerees(user))
        exclusions = Exclusion.objects.filter(
            portee=PorteeExclusion.CELLULES, pk__in=des_cellules.values("exclusion_id")
        )
    else:
        exclusions = Exclusion.objects.none()
    return exclusions.prefetch_related("cellules").order_by("-exclu_le", "id")
