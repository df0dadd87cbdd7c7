"""Typed helpers reading settings from the environment or from ``NAME_FILE`` secrets."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env_str(name: str, default: str | None | object = _MISSING) -> str:
    """Return ``NAME`` or the content of the file named by ``NAME_FILE`` (which wins).

    An empty value counts as missing, so a required secret cannot be blanked out.
    """
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            value: str | None = Path(file_path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            # from None: a decode error would quote bytes of the secret.
            raise ImproperlyConfigured(f"{name}_FILE illisible") from None
    else:
        value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"Variable d'environnement requise : {name}")
    return default  # type: ignore[return-value]


def env_optional(name: str) -> str | None:
    value = env_str(name, None)
    return value or None


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, None)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "oui"}:
        return True
    if lowered in {"0", "false", "no", "off", "non"}:
        return False
    raise ImproperlyConfigured(f"{name} doit être un booléen")


def env_int(name: str, default: int) -> int:
    value = env_str(name, None)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} doit être un entier") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name, None)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
