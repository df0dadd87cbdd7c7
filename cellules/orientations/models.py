"""Models of orientations, the rappel à l'ordre register and transactions (``cellules`` app)."""

__all__: list[str] = []
