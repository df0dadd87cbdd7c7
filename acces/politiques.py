"""Access decisions, one small function each. Every view and selector asks here.

Each docstring says who may act. Scopes of personal data are applied in SQL by the domain
models' ``politique`` (see :mod:`acces.restriction`); these functions decide the rest.
"""

from __future__ import annotations

from acces.enums import Role
from acces.perimetre import Perimetre


def peut_administrer(p: Perimetre) -> bool:
    """Administrateur technique only: accounts, organisations, reference lists."""
    return p.a_role(Role.ADMIN_TECHNIQUE)


def peut_auditer(p: Perimetre) -> bool:
    """Auditeur only: access and change logs, never case content."""
    return p.a_role(Role.AUDITEUR)


def peut_lire_donnees_personnelles(p: Perimetre) -> bool:
    """Any operational role; never the auditor or the technical administrator alone."""
    return p.lit_donnees_personnelles


def peut_exclure(p: Perimetre) -> bool:
    """Coordonnateur (who runs the cells) and administrateur technique."""
    return p.a_role(Role.COORDONNATEUR, Role.ADMIN_TECHNIQUE)


def peut_composer_cellules(p: Perimetre) -> bool:
    """Coordonnateur, who adds and withdraws the members of the cells he runs (and looks them
    up in the staff directory)."""
    return p.a_role(Role.COORDONNATEUR)


def peut_publier_charte(p: Perimetre) -> bool:
    """Administrateur technique, who publishes the text adopted by the council."""
    return p.a_role(Role.ADMIN_TECHNIQUE)


def peut_lire_categorie(p: Perimetre, categorie: str) -> bool:
    """Users whose organisation type may receive this category (configurable matrix)."""
    return p.lit_donnees_personnelles and categorie in p.categories
