"""Who may reach measures (SQL condition for ``Mesure.objects.restrict``).

- délégué du procureur: reads and acts on the measures of the communes whose cells sit in his
  ressort (he validates TNR measures: actors of docs/modele-de-securite.md);
- conseiller d'exécution: the TIG measures of his ressort, minors only for a PJJ agent and
  adults only for a SPIP agent (the type of his organisation says which);
- nobody else yet (reception-site tutors get their own rule with the assignment to posts).

Who may create which measure is ``natures_creables``: the délégué TNR and réparation, the
conseiller TIG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from acces.enums import TYPES_ORGANISATION_CONSEILLER, Action, Role, TypeOrganisation
from tig.enums import NatureMesure

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

# The roles that manage measures (and, with the reception sites, posts).
ROLES_MESURES = (Role.DELEGUE_PROCUREUR, Role.CONSEILLER_EXECUTION)


def conseiller_pour_mineurs(p: Perimetre) -> bool | None:
    """Whom a conseiller d'exécution deals with: minors (PJJ), adults (SPIP), None otherwise."""
    if not p.a_role(Role.CONSEILLER_EXECUTION):
        return None
    if p.type_organisation not in TYPES_ORGANISATION_CONSEILLER:
        return None
    return p.type_organisation == TypeOrganisation.PJJ


def natures_creables(p: Perimetre) -> frozenset[str]:
    """Natures of the measures ``p`` may create."""
    natures: set[str] = set()
    if p.a_role(Role.DELEGUE_PROCUREUR):
        natures |= {NatureMesure.TNR, NatureMesure.REPARATION}
    if conseiller_pour_mineurs(p) is not None:
        natures.add(NatureMesure.TIG)
    return frozenset(natures)


def peut_gerer_mesures(p: Perimetre) -> bool:
    """Délégué du procureur and conseiller d'exécution (of a SPIP or the PJJ)."""
    return p.lit_donnees_personnelles and bool(natures_creables(p))


def ressorts_pour(p: Perimetre, nature: str) -> frozenset[str]:
    """The ressorts in which ``p`` may create a measure of ``nature``."""
    if nature == NatureMesure.TIG:
        return p.portee(Role.CONSEILLER_EXECUTION).ressorts
    return p.portee(Role.DELEGUE_PROCUREUR).ressorts


def politique_mesure(p: Perimetre, action: Action) -> Q | None:
    from cellules.composition.selectors import communes_des_ressorts

    if p.utilisateur_id is None or action not in (Action.LIRE, Action.MODIFIER):
        return None
    conditions: list[Q] = []
    if p.a_role(Role.DELEGUE_PROCUREUR):
        ressorts = p.portee(Role.DELEGUE_PROCUREUR).ressorts
        conditions.append(Q(commune_id__in=communes_des_ressorts(ressorts)))
    mineurs = conseiller_pour_mineurs(p)
    if mineurs is not None:
        ressorts = p.portee(Role.CONSEILLER_EXECUTION).ressorts
        conditions.append(
            Q(nature=NatureMesure.TIG, mineur=mineurs)
            & Q(commune_id__in=communes_des_ressorts(ressorts))
        )
    if not conditions:
        return None
    condition = conditions[0]
    for autre in conditions[1:]:
        condition |= autre
    return condition
