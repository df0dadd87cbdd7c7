from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def points_de_controle(settings, tmp_path: Path) -> Path:
    """Each test gets its own checkpoint file (the chain restarts with each test database)."""
    settings.AUDIT_POINTS_DE_CONTROLE_DIR = tmp_path / "points"
    return settings.AUDIT_POINTS_DE_CONTROLE_DIR
