"""Request id, bad-input screening, API headers and JSON error bodies."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from socle.context import request_id_var
from socle.errors import json_error

logger = logging.getLogger("socle.requetes")

Handler = Callable[[HttpRequest], HttpResponse]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id, echoed in ``X-Request-ID`` and in every log line."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _is_clean(raw: bytes) -> bool:
    """No NUL byte, valid UTF-8 (which also excludes encoded lone surrogates)."""
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


class BadInputMiddleware:
    """Refuse what would otherwise reach the ORM or the parser as a 500.

    NUL bytes and invalid UTF-8 (lone surrogates included) in the path or the query string, and
    bodies announced larger than the upload limit, get a JSON 4xx before any view runs.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_path = request.META.get("PATH_INFO", "").encode("iso-8859-1", errors="replace")
        if not _is_clean(raw_path):
            return json_error(
                400, "chemin_invalide", "Le chemin contient des caractères interdits."
            )
        query = request.META.get("QUERY_STRING", "")
        raw_query = unquote_to_bytes(query.replace("+", " "))
        if not _is_clean(raw_query) or not _is_clean(query.encode("iso-8859-1", "replace")):
            return json_error(
                400, "parametres_invalides", "Les paramètres contiennent des caractères interdits."
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "longueur_invalide", "En-tête Content-Length invalide.")
        if length < 0:
            return json_error(400, "longueur_invalide", "En-tête Content-Length invalide.")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return json_error(413)
        return self.get_response(request)


class ApiHeadersMiddleware:
    """No caching of anything the API returns; no version banners."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        response.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        for header in ("Server", "X-Powered-By"):
            if header in response:
                del response[header]
        return response


class JsonErrorMiddleware:
    """Last line: any error response that is not JSON becomes the common JSON error shape."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = json_error(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "Vary"):
            if header in response:
                replacement[header] = response[header]
        return replacement
