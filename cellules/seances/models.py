"""Models of meetings, agendas, convocations and decisions (``cellules`` app)."""

__all__: list[str] = []
