"""Change log (django-auditlog) of cells, their members and the cells of an exclusion.

Members are staff, not case subjects: nothing here is personal data of a followed person.
``object_repr`` is ``__str__`` (kind + id).
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from cellules.composition.models import Cellule, ExclusionCellule, MembreCellule

    suivre(Cellule, m2m_fields={"coordonnateurs"})
    suivre(MembreCellule)
    suivre(ExclusionCellule)
