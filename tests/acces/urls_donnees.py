"""Test-only route guarded like every personal-data route."""

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.api.permissions import DonneesPersonnelles


class DonneesView(APIView):
    permission_classes = [DonneesPersonnelles]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("", include("config.urls")),
    path("test/donnees/", DonneesView.as_view()),
]
