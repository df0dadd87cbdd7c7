"""Change log (django-auditlog) of the cells' charters and of their acceptations (no personal
data: the charter text is the cell's rules)."""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from cellules.chartes.models import AcceptationCharteCellule, CharteCellule

    suivre(CharteCellule)
    suivre(AcceptationCharteCellule)
