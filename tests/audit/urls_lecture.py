"""Test-only route: a 'personal data' list as a domain app would write it with the journal."""

from __future__ import annotations

from django.db import transaction
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.models import Organisation
from audit import journal
from audit.enums import ActionAcces
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as reels

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class ListeLue(APIView):
    permission_classes = [journal.MotifRequis]

    def get(self, request: Request) -> Response:
        with transaction.atomic():
            lignes = list(Organisation.objects.order_by("nom").values("id", "type")[:50])
            journal.consigner_lectures(
                request,
                [("acces.organisation", ligne["id"]) for ligne in lignes],
                action=ActionAcces.LISTE,
                motif=request.motif_acces,  # type: ignore[attr-defined]
            )
        return Response({"results": [str(ligne["id"]) for ligne in lignes]})


urlpatterns = [*reels, path("essai/lecture/", ListeLue.as_view())]
