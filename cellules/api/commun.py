"""Plumbing shared by the personal-data views: actor, access trace, refusals, OpenAPI headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.models import Utilisateur
from audit import journal
from audit.enums import Motif, PrecisionMotif
from cellules.api.permissions import AccesDonneesTrace
from socle.errors import MESSAGES, ApiError

MOTIF = OpenApiParameter(
    "X-Motif",
    str,
    OpenApiParameter.HEADER,
    required=True,
    enum=list(Motif.values),
    description="Motif de la consultation (liste fermée), tracé dans le journal des accès. "
    "Précision facultative dans l'en-tête X-Motif-Detail, liste fermée elle aussi : "
    + ", ".join(PrecisionMotif.values)
    + " (tout texte libre est refusé).",
)
IDEMPOTENCE = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Clé choisie par le client : une requête rejouée avec la même clé ne crée rien.",
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="ETag lu auparavant."
)


def acteur(request: Request) -> Utilisateur:
    user = request.user
    assert isinstance(user, Utilisateur)
    return user


def tracer(request: Request, type_objet: str, objets: Any, action: str) -> None:
    """One access event per record returned (same request id)."""
    motif: journal.MotifLu = request.motif_acces  # type: ignore[attr-defined]
    journal.consigner_lectures(
        request, [(type_objet, o.pk) for o in objets], action=action, motif=motif
    )


def refuser(request: Request, type_objet: str, pk: Any, raison: str, code: int) -> ApiError:
    """Log the refusal, then the error to raise (404 bodies are those of a missing object)."""
    journal.consigner_refus(request, type_objet, pk, raison)
    return ApiError(code, *MESSAGES[code])


def champ_invalide(champ: str, message: str) -> ApiError:
    return ApiError(
        400, "donnees_invalides", "Les données envoyées sont invalides.", {champ: [message]}
    )


def marquer_rejouee(response: Response, rejouee: bool) -> Response:
    """Flag an answer replayed for an ``Idempotency-Key`` already seen."""
    if rejouee:
        response["Idempotent-Replayed"] = "true"
    return response


class Donnees(APIView):
    """Personal-data route: operational role, charter accepted, motif (``X-Motif``)."""

    permission_classes = [IsAuthenticated, AccesDonneesTrace, journal.MotifRequis]
    type_objet = ""
