"""Plumbing shared by the personal-data views: actor, access trace, refusals, OpenAPI headers."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.models import Utilisateur
from audit import journal
from audit.enums import Motif, PrecisionMotif
from noyau.permissions import AccesDonneesTrace
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


def personnes_de(objets: list[Any]) -> list[uuid.UUID]:
    """The person each record discloses: itself, its ``personne`` or its case's (one query)."""
    from cellules.dossiers.selectors import personnes_des_situations
    from cellules.models import Personne

    par_situation = personnes_des_situations(
        o.situation_id
        for o in objets
        if not isinstance(o, Personne) and not hasattr(o, "personne_id")
    )
    personnes: list[uuid.UUID] = []
    for o in objets:
        if isinstance(o, Personne):
            personnes.append(o.pk)
        elif hasattr(o, "personne_id"):
            personnes.append(o.personne_id)
        else:
            personnes.append(par_situation[o.situation_id])
    return personnes


def tracer(request: Request, type_objet: str, objets: Any, action: str) -> None:
    """One access event per record returned (same request id), naming the person disclosed."""
    motif: journal.MotifLu = request.motif_acces  # type: ignore[attr-defined]
    lus = list(objets)
    journal.consigner_lectures(
        request,
        [(type_objet, o.pk, p) for o, p in zip(lus, personnes_de(lus), strict=True)],
        action=action,
        motif=motif,
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
    # No HEAD: it would run the read (and log a consultation) for a body nobody receives.
    http_method_names = ["get", "post", "put", "patch", "delete", "options"]
