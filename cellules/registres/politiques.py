"""Who may reach rappel à l'ordre entries and transactions (SQL conditions).

The register and the transactions belong to a commune: its directeur de la tranquillité publique
keeps them; the délégué du procureur reads those of the communes whose cells sit in his ressort;
nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _communes_du_ressort(p: Perimetre) -> Any:
    from cellules.composition.models import Cellule

    ressorts = p.portee(Role.DELEGUE_PROCUREUR).ressorts
    return Cellule.objects.filter(ressort__in=ressorts, commune__isnull=False).values("commune_id")


def politique_registre(p: Perimetre, action: Action) -> Q | None:
    """Rappels à l'ordre and transactions of a commune.

    Lire: the directeur de la tranquillité publique of the commune; the délégué du procureur
    of the ressort. Modifier: the directeur de la tranquillité publique of the commune only
    (the homologation of a transaction is checked by ``peut_homologuer``).
    """
    if p.utilisateur_id is None:
        return None
    conditions: list[Q] = []
    if p.a_role(Role.DIRECTEUR_TRANQUILLITE) and action in (Action.LIRE, Action.MODIFIER):
        conditions.append(Q(commune_id__in=p.portee(Role.DIRECTEUR_TRANQUILLITE).communes))
    if p.a_role(Role.DELEGUE_PROCUREUR) and action == Action.LIRE:
        conditions.append(Q(commune_id__in=_communes_du_ressort(p)))
    if not conditions:
        return None
    resultat = conditions[0]
    for condition in conditions[1:]:
        resultat |= condition
    return resultat


def peut_lire_registre(p: Perimetre) -> bool:
    """Directeur de la tranquillité publique and délégué du procureur."""
    return p.a_role(Role.DIRECTEUR_TRANQUILLITE, Role.DELEGUE_PROCUREUR)


def peut_tenir_registre(p: Perimetre) -> bool:
    """Directeur de la tranquillité publique only (for the mayor)."""
    return p.a_role(Role.DIRECTEUR_TRANQUILLITE)


def peut_homologuer(p: Perimetre) -> bool:
    """Délégué du procureur, who records the decision of the procureur or of the judge."""
    return p.a_role(Role.DELEGUE_PROCUREUR)


def communes_homologation(p: Perimetre) -> Q | None:
    """Transactions the délégué du procureur may homologate (communes of his ressort)."""
    if not p.a_role(Role.DELEGUE_PROCUREUR):
        return None
    return Q(commune_id__in=_communes_du_ressort(p))
