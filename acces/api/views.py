from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.api.serializers import MoiSerializer
from acces.models import Utilisateur


class MoiView(APIView):
    """The authenticated account, its organisation and its active habilitations."""

    @extend_schema(operation_id="auth_moi", responses={200: MoiSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, Utilisateur)
        return Response(MoiSerializer(user).data)
