"""Read-only views of archived cases: purpose, recent second factor, one access event per record.

Archived cases are outside ``/situations/``. Those who may modify a case while it is active (the
coordonnateur of its cell, the délégué du procureur of its ressort) still read it here during its
archive period, e.g. to answer the parquet. Every call needs a purpose (``X-Motif``) and a TOTP
check less than five minutes old (``X-OTP`` with a token, ``/auth/verification/`` in a session).
Purged cases are read by nobody.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from acces.auth.permissions import exige_verification_recente
from acces.crypto.champs import precharger_cles
from acces.perimetre import perimetre_de
from audit import journal
from audit.enums import ActionAcces, Raison
from cellules.api.commun import MOTIF, Donnees, refuser, tracer
from cellules.dossiers import politiques, selectors
from cellules.dossiers.api import serializers as s
from socle.errors import ApiError
from socle.pagination import Pagination

TYPE_SITUATION = "cellules.situation"
_VERIFICATION = OpenApiResponse(description="vérification récente requise ou rôle insuffisant")


def _exiger_verification(request: Request, pk: uuid.UUID | None = None) -> None:
    """Step-up; a refusal is logged with the record attempted."""
    try:
        exige_verification_recente(request)
    except ApiError:
        journal.consigner_refus(request, TYPE_SITUATION, pk, Raison.VERIFICATION_REQUISE)
        raise


class _Archives(Donnees):
    type_objet = TYPE_SITUATION


class SituationArchiveeListView(_Archives):
    @extend_schema(
        operation_id="situations_archivees_liste",
        parameters=[
            MOTIF,
            OpenApiParameter("page", int, description="numéro de page (à partir de 1)"),
            OpenApiParameter("taille", int, description="lignes par page (200 au plus)"),
        ],
        responses={200: s.PageSituationsArchiveesSerializer, 403: _VERIFICATION},
    )
    def get(self, request: Request) -> Response:
        if not perimetre_de(request.user).a_role(*politiques.ROLES_ARCHIVES):
            raise refuser(request, TYPE_SITUATION, None, Raison.ROLE_INSUFFISANT, 403)
        _exiger_verification(request)
        pagination = Pagination()
        queryset = selectors.situations_archivees_visibles(request.user)
        page = pagination.paginate_queryset(queryset, request, view=self) or []
        corps = s.SituationArchiveeLigneSerializer(
            page, many=True, context={"request": request}
        ).data
        tracer(request, TYPE_SITUATION, page, ActionAcces.LISTE)
        return pagination.get_paginated_response(corps)


class SituationArchiveeDetailView(_Archives):
    @extend_schema(
        operation_id="situations_archivees_detail",
        parameters=[MOTIF],
        responses={200: s.SituationArchiveeSerializer, 403: _VERIFICATION},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        situation = selectors.situation_archivee_visible(request.user, pk)
        if situation is None:
            raise refuser(request, TYPE_SITUATION, pk, Raison.HORS_PERIMETRE, 404)
        _exiger_verification(request, pk)
        precharger_cles([situation])
        corps = s.SituationArchiveeSerializer(situation, context={"request": request}).data
        tracer(request, TYPE_SITUATION, [situation], ActionAcces.CONSULTATION)
        return Response(corps)
