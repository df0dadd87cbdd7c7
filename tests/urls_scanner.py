"""Test-only routes for the response scanner's own test."""

import uuid

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.api.permissions import DonneesPersonnelles
from audit.journal import consigner_lectures

IDENTIFIANT = uuid.UUID("0b0b0b0b-0000-4000-8000-000000000001")


class _Ouvert(DonneesPersonnelles):
    def has_permission(self, request: Request, view: object) -> bool:
        return True


class NonJournalisee(APIView):
    permission_classes = [_Ouvert]
    authentication_classes: list[type] = []

    def get(self, request: Request) -> Response:
        personne = {"id": str(IDENTIFIANT), "nom": "Synthétique", "prenom": "Test"}
        return Response({"results": [personne]})


class Journalisee(NonJournalisee):
    def get(self, request: Request) -> Response:
        consigner_lectures(request, [("cellules.personne", IDENTIFIANT)], motif="controle")
        return super().get(request)


urlpatterns = [
    path("", include("config.urls")),
    path("test/non-journalisee/", NonJournalisee.as_view()),
    path("test/journalisee/", Journalisee.as_view()),
]
