from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from socle import sante


class SanteView(APIView):
    """État de la base, du courtier et des clés, sans aucun secret."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="sante",
        responses={
            (200, "application/json"): inline_serializer(
                "Sante",
                {"statut": serializers.CharField(), "composants": serializers.DictField()},
            ),
            (503, "application/json"): inline_serializer(
                "SanteDegradee",
                {"statut": serializers.CharField(), "composants": serializers.DictField()},
            ),
        },
    )
    def get(self, request: Request) -> Response:
        ok, composants = sante.executer()
        return Response(
            {"statut": "ok" if ok else "degrade", "composants": composants},
            status=200 if ok else 503,
        )
