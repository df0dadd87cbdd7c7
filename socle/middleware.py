"""Request id, bad-input screening, API headers and JSON error bodies."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from socle.context import request_id_var
from socle.errors import json_error

logger = logging.getLogger("socle.requetes")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Give every request an id, echoed in ``X-Request-ID`` and in every log line.

    A client-supplied ``X-Request-ID`` is ignored: it could forge or collide with another's.
    """

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

    NUL bytes and invalid UTF-8 (lone surrogates included) in the path or the query string, bodies
    announced larger than the upload limit and a Host outside ALLOWED_HOSTS get a JSON 4xx before
    any view runs.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Django has already re-percent-encoded invalid UTF-8 in PATH_INFO ("\xff" -> "%FF"), and
        # no route of this API has a literal "%": either way the path is refused.
        path = request.META.get("PATH_INFO", "")
        if "%" in path or not _is_clean(path.encode("iso-8859-1", errors="replace")):
            return json_error(
                400, "chemin_invalide", "Le chemin contient des caractères interdits."
            )
        # QUERY_STRING is raw: WSGI gives its bytes as latin-1, percent-escapes still in place.
        query = request.META.get("QUERY_STRING", "").encode("iso-8859-1", errors="replace")
        if not _is_clean(unquote_to_bytes(query.replace(b"+", b" "))):
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
        try:
            # Checked here for every method: Django only validates Host when something reads it,
            # and its own refusal would log the header value.
            request.get_host()
        except DisallowedHost:
            return json_error(400, "hote_invalide", "En-tête Host non autorisé.")
        return self.get_response(request)


def _api_headers(request: HttpRequest, response: HttpResponse) -> None:
    """Security headers, set even on responses that never reached the inner middleware."""
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    response.setdefault("X-Content-Type-Options", "nosniff")
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
    response.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
    response.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if settings.SECURE_HSTS_SECONDS and request.is_secure():
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        response.setdefault("Strict-Transport-Security", hsts)
    for header in ("Server", "X-Powered-By"):
        if header in response:
            del response[header]


class ApiHeadersMiddleware:
    """No caching of anything the API returns; no version banners."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        _api_headers(request, response)
        return response


class JsonErrorMiddleware:
    """Last line: any error response that is not JSON becomes the common JSON error shape.

    It also sets the API headers, so the early refusals of :class:`BadInputMiddleware` and the
    replacements made here carry them too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            replacement = json_error(response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate", "Vary"):
                if header in response:
                    replacement[header] = response[header]
            response = replacement
        _api_headers(request, response)
        return response
