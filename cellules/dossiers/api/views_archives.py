"""Read-only views of archived cases: purpose, recent second factor, one access event per record.

Archived cases are outside ``/situations/``. Those who may modify a case while it is active (the
coordonnateur of its cell, the délégué du procureur of its ressort) still read it here during its
archive period, e.g. to answer the parquet. Every call needs a purpose (``X-Motif``) and a TOTP
check less than five minutes old (``X-OTP`` with a token, ``/auth/verification/`` in a session).
Purged cases are read by nobody.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from acces.perimetre import perimetre_de
from cellules.dossiers import politiques, selectors
from cellules.dossiers.api import serializers as s
from cellules.dossiers.models import Situation
from noyau.schema import MOTIF, PAGINATION
from noyau.vues import VueDonnees

_VERIFICATION = OpenApiResponse(description="vérification récente requise ou rôle insuffisant")


class _Archives(VueDonnees):
    modele = Situation
    selecteur = staticmethod(selectors.situations_archivees_visibles)
    serializer_class = s.SituationArchiveeSerializer
    etag = False  # read-only: nothing to send back in If-Match


class SituationArchiveeListView(_Archives):
    @extend_schema(
        operation_id="situations_archivees_liste",
        parameters=[MOTIF, *PAGINATION],
        responses={200: s.PageSituationsArchiveesSerializer, 403: _VERIFICATION},
    )
    def get(self, request: Request) -> Response:
        self.exiger(perimetre_de(request.user).a_role(*politiques.ROLES_ARCHIVES))
        self.exiger_verification()
        return self.rendre_page(self.selection(), serializer=s.SituationArchiveeLigneSerializer)


class SituationArchiveeDetailView(_Archives):
    @extend_schema(
        operation_id="situations_archivees_detail",
        parameters=[MOTIF],
        responses={200: s.SituationArchiveeSerializer, 403: _VERIFICATION},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        situation = self.trouver(pk)
        self.exiger_verification(pk)
        return self.rendre(situation)
