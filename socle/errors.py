"""One error shape for every 4xx/5xx: ``{code, message, champs, request_id}``."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from socle.context import current_request_id

logger = logging.getLogger("socle.errors")

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("requete_invalide", "La requête est invalide."),
    401: ("non_authentifie", "Authentification requise."),
    403: ("acces_refuse", "Accès refusé."),
    404: ("introuvable", "Ressource introuvable."),
    405: ("methode_non_autorisee", "Méthode non autorisée."),
    406: ("format_non_acceptable", "Seul le format JSON est proposé."),
    409: ("conflit", "La ressource a changé ou est en conflit."),
    412: ("version_perimee", "La ressource a été modifiée depuis votre lecture."),
    413: ("corps_trop_volumineux", "Le corps de la requête est trop volumineux."),
    415: ("type_non_supporte", "Type de contenu non supporté : envoyez du JSON."),
    428: ("precondition_requise", "L'en-tête If-Match est requis."),
    429: ("trop_de_requetes", "Trop de requêtes : réessayez plus tard."),
    500: ("erreur_interne", "Erreur interne du serveur."),
    503: ("service_indisponible", "Service momentanément indisponible."),
}

_CSRF = ("csrf_invalide", "Jeton CSRF absent ou invalide.")
DONNEES_INVALIDES = ("donnees_invalides", "Les données envoyées sont invalides.")
TRANSITION_IMPOSSIBLE = (
    "transition_impossible",
    "Cette transition n'est pas possible dans cet état.",
)


class ApiError(exceptions.APIException):
    """An API error with an explicit machine code and French message."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        champs: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.champs = champs or {}

    # The catalogue: every app raises these instead of spelling codes and messages again.

    @classmethod
    def de_statut(cls, status_code: int) -> ApiError:
        """The generic error of a status (e.g. 404 for a missing or out-of-scope object)."""
        return cls(status_code, *MESSAGES[status_code])

    @classmethod
    def introuvable(cls) -> ApiError:
        return cls.de_statut(404)

    @classmethod
    def acces_refuse(cls) -> ApiError:
        return cls.de_statut(403)

    @classmethod
    def version_perimee(cls) -> ApiError:
        return cls.de_statut(412)

    @classmethod
    def precondition_requise(cls) -> ApiError:
        return cls.de_statut(428)

    @classmethod
    def if_match_mal_forme(cls) -> ApiError:
        """``If-Match`` is not a list of entity tags (never echoed back)."""
        return cls(
            400,
            "if_match_invalide",
            "L'en-tête If-Match est mal formé : renvoyez l'ETag tel que vous l'avez lu, "
            'guillemets compris (par exemple "…").',
        )

    @classmethod
    def donnees_invalides(cls, champs: dict[str, list[str]]) -> ApiError:
        return cls(400, *DONNEES_INVALIDES, champs)

    @classmethod
    def champ_invalide(cls, champ: str, message: str) -> ApiError:
        """400 ``donnees_invalides`` naming one field."""
        return cls.donnees_invalides({champ: [message]})

    @classmethod
    def refus(cls, code: str, message: str, champ: str, status_code: int = 400) -> ApiError:
        """A business-rule refusal with its own machine code, naming the field at fault."""
        return cls(status_code, code, message, {champ: [message]})

    @classmethod
    def conflit(cls, code: str, message: str) -> ApiError:
        return cls(409, code, message)

    @classmethod
    def transition_impossible(cls) -> ApiError:
        return cls(409, *TRANSITION_IMPOSSIBLE)


def payload(
    status_code: int,
    code: str | None = None,
    message: str | None = None,
    champs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    default_code, default_message = MESSAGES.get(
        status_code, MESSAGES[500] if status_code >= 500 else MESSAGES[400]
    )
    return {
        "code": code or default_code,
        "message": message or default_message,
        "champs": champs or {},
        "request_id": current_request_id(),
    }


def json_error(
    status_code: int,
    code: str | None = None,
    message: str | None = None,
    champs: dict[str, Any] | None = None,
) -> JsonResponse:
    response = JsonResponse(
        payload(status_code, code, message, champs),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"a.b": ["message"]}``."""
    champs: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            champs.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            champs[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                champs.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        champs[prefix or "non_field_errors"] = [str(detail)]
    return champs


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler producing the common error shape."""
    headers: dict[str, str] = {}
    if isinstance(exc, ApiError):
        body = payload(exc.status_code, exc.code, exc.message, exc.champs)
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's SessionAuthentication reports CSRF failures as a plain PermissionDenied.
        return Response(payload(403, *_CSRF), status=403)
    elif isinstance(exc, RequestDataTooBig):
        return Response(payload(413), status=413)
    elif isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("base de données indisponible", exc_info=exc)
        return Response(payload(503), status=503, headers={"Retry-After": "5"})
    elif isinstance(exc, DatabaseError):
        logger.error("erreur de base de données", exc_info=exc)
        return Response(payload(500), status=500)
    if not isinstance(exc, exceptions.APIException):
        return None
    code: str | None = None
    message: str | None = None
    champs: dict[str, list[str]] = {}
    status_code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        code, message = DONNEES_INVALIDES
        champs = _flatten(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        code, message = "json_invalide", "Le corps de la requête n'est pas un JSON valide."
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        status_code = status.HTTP_401_UNAUTHORIZED
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    elif isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait) + 1)
    elif isinstance(exc, exceptions.MethodNotAllowed):
        pass
    elif status_code not in MESSAGES:
        code = str(exc.default_code)
    return Response(
        payload(status_code, code, message, champs), status=status_code, headers=headers
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return json_error(413)
    return json_error(400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return json_error(403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return json_error(404)


def server_error(request: HttpRequest) -> JsonResponse:
    # Django calls this inside its ``except`` block: a database outage outside DRF views
    # (session save, middleware) is still a 503 the client may retry.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = json_error(503)
        response["Retry-After"] = "5"
        return response
    return json_error(500)


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return json_error(403, *_CSRF)
