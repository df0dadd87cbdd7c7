"""Test-only routes: the real API plus one strict write endpoint and two detail endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.enums import TypeOrganisation
from acces.models import Organisation
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as reels
from socle.outbox import enqueue

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class OrganisationEntree(serializers.Serializer[Any]):
    nom = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=TypeOrganisation.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        inconnus = set(self.initial_data) - set(self.fields)
        if inconnus:
            raise serializers.ValidationError({nom: ["Champ inconnu."] for nom in inconnus})
        return attrs


class EcritureView(APIView):
    """Writes an organisation and an outbox row: any bad input must leave both untouched."""

    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Objet JSON attendu."]})
        entree = OrganisationEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        with transaction.atomic():
            organisation = Organisation.objects.create(
                nom=entree.validated_data["nom"], type=entree.validated_data["type"]
            )
            enqueue("socle.battement")
        return Response({"id": str(organisation.pk)}, status=201)


class DjangoView(View):
    """A plain Django view: its 405 and CSRF refusals do not go through DRF."""

    def post(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(status=204)


def base_indisponible(request: HttpRequest) -> HttpResponse:
    """A database outage outside DRF, as when the session is saved after the view."""
    raise OperationalError('could not connect: SELECT "secret" FROM "acces_organisation"')


class PanneView(APIView):
    """Fails with an exception whose text echoes user input."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise RuntimeError(f"échec pour {request.query_params.get('q', '')}")


class OrganisationDetail(generics.RetrieveAPIView[Organisation]):
    permission_classes = [AllowAny]
    queryset = Organisation.objects.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"id": str(self.get_object().pk)})


class GroupeDetail(generics.RetrieveAPIView[Group]):
    permission_classes = [AllowAny]
    queryset = Group.objects.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"id": self.get_object().pk})


urlpatterns = [
    *reels,
    path("api/v1/essai/ecriture/", EcritureView.as_view(), name="essai-ecriture"),
    path("api/v1/essai/django/", DjangoView.as_view()),
    path("api/v1/essai/base-indisponible/", base_indisponible),
    path("api/v1/essai/panne/", PanneView.as_view(), name="essai-panne"),
    path("api/v1/essai/organisations/<str:pk>/", OrganisationDetail.as_view()),
    path("api/v1/essai/groupes/<int:pk>/", GroupeDetail.as_view()),
]
