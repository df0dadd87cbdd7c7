"""The charte de confidentialité of a cell: read the version in force, publish, accept.

No personal data here (the charter is the cell's rules): no motif, no access event, but
authentication and scope. A cell out of scope answers the same 404 as a missing one; only the
coordinators of the cell publish (403 for other roles or a cell seen but not run); anyone who
sees the cell accepts the version in force (409 for another version, nothing written).
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cellules.api.commun import IDEMPOTENCE, acteur, marquer_rejouee
from cellules.api.views_cellules import _cellule, _cellule_geree
from cellules.chartes import selectors
from cellules.chartes import services as services_chartes
from cellules.chartes.models import TEXTE_MAX, TITRE_MAX, CharteCellule
from noyau import idempotence
from socle.errors import MESSAGES, ApiError
from socle.serializers import EntreeStricte

# Bound of the version sent back (a PostgreSQL integer).
VERSION_MAX = 2_147_483_647


class CharteCelluleSerializer(serializers.Serializer[Any]):
    """The charter in force of a cell and whether the caller accepted it."""

    cellule = serializers.UUIDField(source="cellule_id", read_only=True)
    version = serializers.IntegerField(read_only=True)
    titre = serializers.CharField(read_only=True)
    texte = serializers.CharField(read_only=True)
    en_vigueur_le = serializers.DateTimeField(read_only=True)
    acceptee = serializers.SerializerMethodField()

    def get_acceptee(self, charte: CharteCellule) -> bool:
        return bool(self.context.get("acceptee", False))


class CharteCellulePublicationSerializer(EntreeStricte):
    titre = serializers.CharField(max_length=TITRE_MAX)
    texte = serializers.CharField(max_length=TEXTE_MAX)


class CharteCelluleAcceptationSerializer(EntreeStricte):
    version = serializers.IntegerField(min_value=1, max_value=VERSION_MAX)


def _corps(charte: CharteCellule, request: Request) -> dict[str, object]:
    acceptee = selectors.est_acceptee(charte, request.user.pk)
    return dict(CharteCelluleSerializer(charte, context={"acceptee": acceptee}).data)


class CharteCelluleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cellules_charte_courante", responses={200: CharteCelluleSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule(request, pk)
        charte = selectors.charte_en_vigueur(cellule.pk)
        if charte is None:
            raise services_chartes.aucune_charte()
        return Response(_corps(charte, request))

    @extend_schema(
        operation_id="cellules_charte_publier",
        parameters=[IDEMPOTENCE],
        request=CharteCellulePublicationSerializer,
        responses={201: CharteCelluleSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule_geree(request, pk)
        cle = idempotence.cle_de(request)
        entree = CharteCellulePublicationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        charte_pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="cellules-charte",
            cle=cle,
            # The cell is part of the request: the same key on another cell is another request.
            corps={"cellule": str(cellule.pk), "corps": request.data},
            creer=lambda: services_chartes.charte_cellule_publier(
                cellule=cellule, titre=d["titre"], texte=d["texte"], acteur=acteur(request)
            ),
        )
        charte = selectors.charte_de(cellule.pk, charte_pk)
        if charte is None:
            raise ApiError(404, *MESSAGES[404])
        return marquer_rejouee(Response(_corps(charte, request), status=201), rejouee)


class CharteCelluleAcceptationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cellules_charte_accepter",
        request=CharteCelluleAcceptationSerializer,
        responses={200: CharteCelluleSerializer, 201: CharteCelluleSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule(request, pk)
        entree = CharteCelluleAcceptationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        charte, creee = services_chartes.charte_cellule_accepter(
            cellule=cellule, version=entree.validated_data["version"], acteur=acteur(request)
        )
        code = status.HTTP_201_CREATED if creee else status.HTTP_200_OK
        corps = dict(CharteCelluleSerializer(charte, context={"acceptee": True}).data)
        return Response(corps, status=code)
