"""Open one data-key cache per request; it is emptied when the response is built."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from acces.crypto.noyau import session_cles


class SessionClesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with session_cles():
            return self.get_response(request)
