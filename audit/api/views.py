"""Auditor API: search, daily volumes, CSV export, consultations of one record (GDPR)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.auth.permissions import exige_verification_recente
from audit import chaine, journal, selectors
from audit.api import csv
from audit.api import serializers as s
from audit.api.filtres import ConsultationFiltre, EvenementFiltre
from audit.api.permissions import EstAuditeur
from audit.enums import ActionAcces, Motif, Raison
from audit.models import EvenementAcces
from socle.errors import ApiError

PERMISSIONS = [IsAuthenticated, EstAuditeur]
MOTIF = OpenApiParameter("X-Motif", str, OpenApiParameter.HEADER, required=False, enum=Motif.values)


class _AvecNoms(generics.GenericAPIView[EvenementAcces]):
    """Names of the staff accounts and organisations of a page, one query each (no N+1)."""

    annuaire: selectors.Annuaire | None = None

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        lignes = list(page or [])
        self.annuaire = selectors.Annuaire().completer(
            (_ref(ligne, "utilisateur_id") for ligne in lignes),
            (_ref(ligne, "organisation_id") for ligne in lignes),
        )
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "annuaire": self.annuaire}


def _ref(ligne: Any, nom: str) -> Any:
    return ligne.get(nom) if isinstance(ligne, dict) else getattr(ligne, nom, None)


def _nombre(response: Response) -> int | None:
    data = response.data
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    return None


class EvenementListView(_AvecNoms, generics.ListAPIView[EvenementAcces]):
    """Access events, in chain order; the search itself is logged."""

    permission_classes = PERMISSIONS
    serializer_class = s.EvenementSerializer
    filterset_class = EvenementFiltre

    def get_queryset(self) -> QuerySet[EvenementAcces]:
        return selectors.evenements()

    @extend_schema(
        operation_id="audit_evenements_liste",
        description=(
            "Événements du journal des accès, dans l'ordre de la chaîne, avec le "
            "nom des comptes professionnels et de leur organisation ; la recherche "
            "est elle-même tracée. Auditeurs seulement."
        ),
        parameters=[MOTIF],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        journal.consigner_audit(request, "audit.evenements", nombre=_nombre(response))
        return response


class VolumeListView(_AvecNoms, generics.ListAPIView[EvenementAcces]):
    """Reads and refusals per user and day (Europe/Paris)."""

    permission_classes = PERMISSIONS
    serializer_class = s.VolumeSerializer  # type: ignore[assignment]  # rows are dicts
    filterset_class = EvenementFiltre

    def get_queryset(self) -> QuerySet[EvenementAcces]:
        return selectors.evenements()

    @extend_schema(
        operation_id="audit_volumes",
        description=(
            "Lectures et refus par compte et par jour (heure de Paris). Auditeurs seulement."
        ),
        parameters=[MOTIF],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lignes = selectors.volumes(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(lignes)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        journal.consigner_audit(request, "audit.volumes", nombre=_nombre(response))
        return response


class ExportView(APIView):
    """CSV of the filtered events; needs a recent second-factor check (step-up)."""

    permission_classes = PERMISSIONS
    filterset_class = EvenementFiltre

    @extend_schema(
        operation_id="audit_evenements_export",
        description=(
            "Export CSV des événements filtrés (mêmes filtres que la liste) ; exige"
            " une vérification renforcée récente (X-OTP avec un jeton). Auditeurs "
            "seulement."
        ),
        parameters=[MOTIF],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
            403: OpenApiResponse(description="vérification récente requise"),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        try:
            exige_verification_recente(request)
        except ApiError:
            journal.consigner_refus(request, "audit.export", None, Raison.VERIFICATION_REQUISE)
            raise
        filtre = EvenementFiltre(request.query_params, queryset=selectors.evenements())
        if not filtre.is_valid():
            raise ValidationError(filtre.errors)
        # Bounded before the export's own trace is appended.
        evenements = filtre.qs.filter(seq__lte=chaine.tete().seq)
        journal.consigner_audit(
            request, "audit.export", action=ActionAcces.EXPORT, nombre=evenements.count()
        )
        response = StreamingHttpResponse(
            csv.lignes(evenements.iterator(chunk_size=2000)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="journal-des-acces.csv"'
        return response


class ConsultationListView(_AvecNoms, generics.ListAPIView[EvenementAcces]):
    """Who read this record (any personal record id), when and why: for the DPO (GDPR art. 15)."""

    permission_classes = PERMISSIONS
    serializer_class = s.ConsultationSerializer
    filterset_class = ConsultationFiltre

    def get_queryset(self) -> QuerySet[EvenementAcces]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no path argument
            return EvenementAcces.objects.none()
        return selectors.consultations(str(self.kwargs["id"]))

    @extend_schema(
        operation_id="audit_personne_consultations",
        description=(
            "Qui a lu cette fiche (l'identifiant de toute fiche personnelle, ou "
            "d'une personne), quand et pourquoi : pour le délégué à la protection "
            "des données (RGPD, art. 15)."
        ),
        parameters=[MOTIF],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        objet: uuid.UUID = kwargs["id"]
        journal.consigner_audit(
            request,
            "audit.consultations",
            objet,
            motif_defaut=Motif.DEMANDE_DROITS,
            nombre=_nombre(response),
        )
        return response
