"""Development keys: generated once under ``var/`` and reused on every run."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CHIFFREMENT_CLES_MAITRES": f"1:{_key()}",
        "INDEX_AVEUGLE_CLE": _key(),
        "AUDIT_CHAINE_CLE": _key(),
        "DEMO_GRAINE": _key(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    return data
