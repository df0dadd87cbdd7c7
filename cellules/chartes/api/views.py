"""The charte de confidentialité of a cell: read the version in force, publish, accept.

No personal data here (the charter is the cell's rules): no motif, no access event, but
authentication and scope. A cell out of scope answers the same 404 as a missing one; only the
coordinators of the cell publish (403 for other roles or a cell seen but not run); anyone who
sees the cell accepts the version in force (409 for another version, nothing written).
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cellules.chartes import selectors
from cellules.chartes import services as services_chartes
from cellules.chartes.api.serializers import (
    CharteCelluleAcceptationSerializer,
    CharteCellulePublicationSerializer,
    CharteCelluleSerializer,
)
from cellules.chartes.models import CharteCellule
from cellules.composition.api.views import _cellule, _cellule_geree
from noyau import idempotence
from noyau.idempotence import marquer_rejouee
from noyau.schema import IDEMPOTENCE
from noyau.vues import acteur
from socle.errors import ApiError


def _corps(charte: CharteCellule, request: Request) -> dict[str, object]:
    acceptee = selectors.est_acceptee(charte, request.user.pk)
    return dict(CharteCelluleSerializer(charte, context={"acceptee": acceptee}).data)


class CharteCelluleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cellules_charte_courante",
        description=(
            "La charte en vigueur de la cellule, et si vous l'avez acceptée ; lisible par qui "
            "voit la cellule (404 hors périmètre). 404 aucune_charte si la cellule n'en a pas."
        ),
        responses={200: CharteCelluleSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule(request, pk)
        charte = selectors.charte_en_vigueur(cellule.pk)
        if charte is None:
            raise services_chartes.aucune_charte()
        return Response(_corps(charte, request))

    @extend_schema(
        operation_id="cellules_charte_publier",
        description=(
            "Par les coordonnateurs de la cellule (403 pour un autre rôle ou une cellule vue "
            "sans la coordonner, 404 hors périmètre) : publie la version suivante, en vigueur "
            "à l'instant. Chacun, l'auteur compris, doit l'accepter pour garder l'accès aux "
            "situations de la cellule. Idempotency-Key accepté."
        ),
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
            raise ApiError.introuvable()
        return marquer_rejouee(Response(_corps(charte, request), status=201), rejouee)


class CharteCelluleAcceptationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cellules_charte_accepter",
        description=(
            "Par qui voit la cellule (404 hors périmètre) : accepte la version en vigueur, "
            "nommée dans le corps (201, ou 200 si déjà acceptée). 409 version_perimee pour une "
            "autre version, rien n'est enregistré ; 404 aucune_charte si la cellule n'en a pas."
        ),
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
