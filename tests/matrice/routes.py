"""Route inventory: every (route, method) served, from the URL resolver and the OpenAPI schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_METHODES = ("get", "post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _normalise(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    return "/" + _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", route)


def routes_du_resolveur() -> dict[str, set[str]]:
    """``{"/api/v1/x/{pk}/": {"GET", "POST"}}`` for every route the resolver serves."""
    inventaire: dict[str, set[str]] = {}
    for route, callback in _walk(get_resolver().url_patterns, ""):
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if view_class is None:
            methodes = {"GET"}
        else:
            methodes = {m.upper() for m in _METHODES if hasattr(view_class, m)}
        inventaire[_normalise(route)] = methodes
    return inventaire


def routes_du_schema() -> dict[str, set[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: {m.upper() for m in operations if m in _METHODES}
        for path, operations in schema["paths"].items()
    }
