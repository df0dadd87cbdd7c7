"""Strict JSON parser: bounded depth, no NaN, no NUL and no lone surrogates anywhere."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from socle.errors import ApiError


def _reject_constant(value: str) -> Any:
    raise ValueError(f"constante JSON interdite : {value}")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ParseError("octet NUL")
    try:
        text.encode("utf-8", errors="strict")
    except UnicodeEncodeError as exc:
        raise ParseError("surrogate isolé") from exc


def _check_tree(data: Any, max_depth: int) -> None:
    # Iterative walk: the parser already bounded recursion, this bounds depth and content.
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise ParseError("profondeur excessive")
        if isinstance(node, str):
            _check_text(node)
        elif isinstance(node, Mapping):
            for key, value in node.items():
                _check_text(key)
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("clé dupliquée")
        result[key] = value
    return result


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        if stream is None:
            raise ParseError("corps vide")
        try:
            raw = stream.read()
        except RequestDataTooBig as exc:
            raise ApiError(413, "corps_trop_volumineux", "Le corps est trop volumineux.") from exc
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ApiError(413, "corps_trop_volumineux", "Le corps est trop volumineux.")
        try:
            text = raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise ParseError("UTF-8 invalide") from exc
        if text.startswith("\ufeff"):
            raise ParseError("BOM interdit")
        try:
            data = json.loads(
                text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
            )
        except RecursionError as exc:
            raise ParseError("profondeur excessive") from exc
        except ValueError as exc:
            raise ParseError("JSON invalide") from exc
        _check_tree(data, settings.JSON_PROFONDEUR_MAX)
        return data
