"""Who may reach reception sites and posts (SQL conditions for ``objects.restrict``).

- The managers (``ROLES_GESTION``: délégué du procureur and conseiller d'exécution) read and
  change the sites of the communes of their ressort (the
  commune's ressort, from the reference data).
- A référent de structure d'accueil reads and changes the sites he is attached to
  (``StructureAccueil.referents``), and nothing else.
- The directeur de la tranquillité publique reads the sites of his communes.
A post follows its site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

# Roles that create and manage sites and posts in their ressort.
ROLES_GESTION: frozenset[str] = frozenset({Role.DELEGUE_PROCUREUR, Role.CONSEILLER_EXECUTION})
ROLES_LECTURE: frozenset[str] = ROLES_GESTION | {Role.REFERENT_ACCUEIL, Role.DIRECTEUR_TRANQUILLITE}


def ressorts_geres(p: Perimetre) -> frozenset[str]:
    ressorts: frozenset[str] = frozenset()
    for role in ROLES_GESTION:
        ressorts |= p.portee(role).ressorts
    return ressorts


def _sites_du_referent(p: Perimetre) -> Q:
    from tig.accueil.models import StructureAccueil

    assert p.utilisateur_id is not None
    lien = StructureAccueil.referents.through
    return Q(
        id__in=lien.objects.filter(utilisateur_id=p.utilisateur_id).values("structureaccueil_id")
    )


def politique_structure(p: Perimetre, action: Action) -> Q | None:
    if p.utilisateur_id is None or action not in (Action.LIRE, Action.MODIFIER):
        return None
    conditions: list[Q] = []
    ressorts = ressorts_geres(p)
    if ressorts:
        conditions.append(Q(commune__ressort_id__in=ressorts))
    if p.a_role(Role.REFERENT_ACCUEIL):
        conditions.append(_sites_du_referent(p))
    if action == Action.LIRE and p.a_role(Role.DIRECTEUR_TRANQUILLITE):
        conditions.append(Q(commune_id__in=p.portee(Role.DIRECTEUR_TRANQUILLITE).communes))
    if not conditions:
        return None
    resultat = conditions[0]
    for condition in conditions[1:]:
        resultat |= condition
    return resultat


def politique_poste(p: Perimetre, action: Action) -> Q | None:
    from tig.accueil.models import StructureAccueil

    condition = politique_structure(p, action)
    if condition is None:
        return None
    return Q(structure_id__in=StructureAccueil.objects.filter(condition).values("id"))
