"""Writes of the cells' charters: publication by a coordinator of the cell, acceptation by
anyone who sees the cell. Audited by the change log in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from acces.enums import Action
from acces.models import Utilisateur
from cellules.chartes import selectors
from cellules.chartes.models import TEXTE_MAX, TITRE_MAX, AcceptationCharteCellule, CharteCellule
from cellules.composition.models import Cellule
from cellules.composition.services import _cellule_geree, texte_valide
from socle.errors import ApiError

# Line breaks and tabs are allowed in the text of a charter; other control characters are not.
_BLANCS = {"\n", "\r", "\t"}


def _texte_charte(valeur: str) -> str:
    propre = valeur.strip()
    if not propre:
        raise ApiError.champ_invalide("texte", "Ce champ est obligatoire.")
    if len(propre) > TEXTE_MAX:
        raise ApiError.champ_invalide("texte", f"{TEXTE_MAX} caractères au plus.")
    if any(ord(c) < 32 and c not in _BLANCS for c in propre):
        raise ApiError.champ_invalide("texte", "Caractères de contrôle refusés.")
    return propre


def aucune_charte() -> ApiError:
    return ApiError(404, "aucune_charte", "Aucune charte de cellule n'est en vigueur.")


@transaction.atomic
def charte_cellule_publier(
    *, cellule: Cellule, titre: str, texte: str, acteur: Utilisateur
) -> CharteCellule:
    """Publish the next version of the cell's charter, in force at once (coordinators only).

    The cell row is locked so that two publications get two versions; the cell's own version
    is left alone. Acceptance stays an explicit act of each user, the publisher included:
    until they accept it, users lose access to the cell's cases.
    """
    courante = _cellule_geree(cellule, acteur, verrou=True)
    derniere = CharteCellule.objects.filter(cellule=courante).order_by("-version").first()
    charte = CharteCellule(
        cellule=courante,
        version=(derniere.version + 1) if derniere else 1,
        titre=texte_valide("titre", titre, TITRE_MAX),
        texte=_texte_charte(texte),
        en_vigueur_le=timezone.now(),
        publiee_par=acteur,
    )
    charte.full_clean()
    charte.save(force_insert=True)
    return charte


@transaction.atomic
def charte_cellule_accepter(
    *, cellule: Cellule, version: int, acteur: Utilisateur
) -> tuple[CharteCellule, bool]:
    """Accept the charter in force of a cell the actor sees; returns it and whether the
    acceptation is new (accepting twice is harmless). Another version than the one in force:
    409, nothing written."""
    visible = Cellule.objects.restrict(acteur, Action.LIRE).filter(pk=cellule.pk).first()
    if visible is None:
        raise ApiError.introuvable()
    charte = selectors.charte_en_vigueur(visible.pk)
    if charte is None:
        raise aucune_charte()
    if charte.version != version:
        raise ApiError(
            409,
            "version_perimee",
            "Cette version de la charte n'est pas celle en vigueur : relisez la charte.",
            {"version": [f"Version en vigueur : {charte.version}."]},
        )
    _, creee = AcceptationCharteCellule.objects.get_or_create(charte=charte, utilisateur=acteur)
    return charte, creee
