from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def points_de_controle(settings, tmp_path: Path) -> Path:
    """Each test gets its own checkpoint file (the chain restarts with each test database)."""
    settings.AUDIT_POINTS_DE_CONTROLE_DIR = tmp_path / "points"
    return settings.AUDIT_POINTS_DE_CONTROLE_DIR


@pytest.fixture(autouse=True)
def sans_detecteurs_du_domaine(settings) -> None:
    """The audit app is tested on its own; the domain detectors are tested by their apps."""
    settings.AUDIT_DETECTEURS = []
