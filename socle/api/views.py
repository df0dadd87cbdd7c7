from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from socle import sante


def _detail_autorise(request: Request) -> bool:
    try:
        user: Any = request.user
    except APIException:  # a bad credential makes an anonymous probe, never an error
        return False
    chemin = str(getattr(settings, "SANTE_DETAIL_AUTORISE", "") or "")
    return bool(chemin) and bool(import_string(chemin)(user))


class SanteView(APIView):
    """Up or down for everyone; the components (no secret) for the technical administrator."""

    permission_classes = [AllowAny]

    def perform_authentication(self, request: Request) -> None:
        """Lazy: a probe with a stale token still gets its up/down answer."""

    @extend_schema(
        operation_id="sante",
        description=(
            "En service ou non, pour tous ; le détail des composants (sans secret) pour "
            "l'administrateur technique."
        ),
        responses={
            (200, "application/json"): inline_serializer(
                "Sante",
                {
                    "statut": serializers.CharField(),
                    "composants": serializers.DictField(
                        required=False, help_text="administrateur technique seulement"
                    ),
                },
            ),
            (503, "application/json"): inline_serializer(
                "SanteDegradee",
                {
                    "statut": serializers.CharField(),
                    "composants": serializers.DictField(
                        required=False, help_text="administrateur technique seulement"
                    ),
                },
            ),
        },
    )
    def get(self, request: Request) -> Response:
        ok, composants = sante.executer()
        corps: dict[str, Any] = {"statut": "ok" if ok else "degrade"}
        if _detail_autorise(request):
            corps["composants"] = composants
        return Response(corps, status=200 if ok else 503)
