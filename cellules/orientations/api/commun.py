"""Plumbing shared by the views: actor, access trace, refusals, ETags, reference lookups."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from acces.models import Commune, Organisation, Utilisateur
from audit import journal
from cellules.api.permissions import AccesDonneesTrace
from socle.errors import MESSAGES, ApiError


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
    journal.consigner_refus(request, type_objet, pk, raison)
    return ApiError(code, *MESSAGES[code])


def champ_invalide(champ: str, message: str) -> ApiError:
    return ApiError(
        400, "donnees_invalides", "Les données envoyées sont invalides.", {champ: [message]}
    )


def commune(code: str) -> Commune:
    trouvee = Commune.objects.filter(pk=code).first()
    if trouvee is None:
        raise champ_invalide("commune", "Commune inconnue.")
    return trouvee


def organisation(pk: Any) -> Organisation:
    # Any active partner may be responsible: the reference list is not personal data.
    trouvee: Organisation | None = Organisation.objects.filter(pk=pk, active=True).first()
    if trouvee is None:
        raise champ_invalide("organisation", "Organisation inconnue.")
    return trouvee


class Donnees(APIView):
    """Personal-data route: operational role, charter accepted, motif (``X-Motif``)."""

    permission_classes = [IsAuthenticated, AccesDonneesTrace, journal.MotifRequis]
    type_objet = ""
