"""Orientations of a case and the reference list of measures.

An orientation is case content (category ``orientations``): reads need the case in scope,
a motif, and leave one access event per orientation returned.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.enums import Action
from audit.enums import ActionAcces, Raison
from cellules.api.commun import (
    IDEMPOTENCE,
    IF_MATCH,
    MOTIF,
    Donnees,
    acteur,
    champ_invalide,
    marquer_rejouee,
    refuser,
    tracer,
)
from cellules.dossiers import selectors as selecteurs_cellules
from cellules.dossiers.models import Situation
from cellules.orientations import selectors, services
from cellules.orientations.api import serializers as s
from cellules.orientations.enums import STATUTS_CLOS, StatutOrientation
from cellules.orientations.models import Orientation
from cellules.orientations.selectors import organisation
from cellules.seances.models import Seance
from noyau import idempotence
from socle.etags import etag, version_attendue
from socle.pagination import Pagination

TYPE_ORIENTATION = "cellules.orientation"
TYPE_SITUATION = "cellules.situation"


def _situation(request: Request, pk: uuid.UUID) -> Situation:
    situation = selecteurs_cellules.situation_visible(request.user, pk)
    if situation is None:
        raise refuser(request, TYPE_SITUATION, pk, Raison.HORS_PERIMETRE, 404)
    return situation


def _orientation(request: Request, pk: uuid.UUID) -> Orientation:
    orientation = selectors.orientation_visible(request.user, pk)
    if orientation is None:
        raise refuser(request, TYPE_ORIENTATION, pk, Raison.HORS_PERIMETRE, 404)
    return orientation


def _reponse(request: Request, pk: uuid.UUID, code: int = 200) -> Response:
    orientation = _orientation(request, pk)
    corps = s.OrientationSerializer(orientation, context={"request": request}).data
    tracer(request, TYPE_ORIENTATION, [orientation], ActionAcces.CONSULTATION)
    return Response(corps, status=code, headers={"ETag": etag(orientation)})


class MesureListView(APIView):
    """The closed list of measures (reference data, no personal data)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="mesures_liste", responses={200: s.MesureSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.MesureSerializer(selectors.mesures_actives(), many=True).data)


class SituationOrientationsView(Donnees):
    type_objet = TYPE_ORIENTATION

    @extend_schema(
        operation_id="orientations_liste",
        parameters=[MOTIF],
        responses={200: s.OrientationSerializer(many=True)},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        _situation(request, pk)
        orientations = list(selectors.orientations_de_situation(request.user, pk))
        corps = s.OrientationSerializer(orientations, many=True, context={"request": request}).data
        tracer(request, TYPE_ORIENTATION, orientations, ActionAcces.LISTE)
        return Response(corps)

    @extend_schema(
        operation_id="orientations_decider",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.OrientationCreationSerializer,
        responses={201: s.OrientationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        situation = _situation(request, pk)
        ecrivables = selecteurs_cellules.situations_visibles(request.user, Action.MODIFIER)
        if not ecrivables.filter(pk=pk).exists():
            raise refuser(request, TYPE_SITUATION, pk, Raison.ROLE_INSUFFISANT, 403)
        cle = idempotence.cle_de(request)
        entree = s.OrientationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        mesure = selectors.mesure_active(d["mesure"])
        if mesure is None:
            raise champ_invalide("mesure", "Mesure inconnue.")
        responsable = organisation(d["organisation"])
        seance = None
        if d.get("seance") is not None:
            seance = (
                Seance.objects.restrict(request.user, Action.LIRE)
                .filter(pk=d["seance"], cellule_id=situation.cellule_id)
                .first()
            )
            if seance is None:
                raise champ_invalide("seance", "Séance inconnue pour cette cellule.")
        orientation_pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="orientations",
            cle=cle,
            # The case is part of the request: the same key on another case is another request.
            corps={"situation": str(situation.pk), "corps": request.data},
            creer=lambda: services.orientation_decider(
                situation=situation,
                type=d["type"],
                mesure=mesure,
                organisation=responsable,
                echeance=d["echeance"],
                seance=seance,
                acteur=acteur(request),
            ),
        )
        return marquer_rejouee(_reponse(request, orientation_pk, status.HTTP_201_CREATED), rejouee)


class OrientationDetailView(Donnees):
    type_objet = TYPE_ORIENTATION

    @extend_schema(
        operation_id="orientations_detail",
        parameters=[MOTIF],
        responses={200: s.OrientationSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse(request, pk)

    @extend_schema(
        operation_id="orientations_modifier",
        parameters=[MOTIF, IF_MATCH],
        request=s.OrientationModificationSerializer,
        responses={200: s.OrientationSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        orientation = _orientation(request, pk)
        ecrivables = selectors.orientations_visibles(request.user, Action.MODIFIER)
        if not ecrivables.filter(pk=pk).exists():
            raise refuser(request, TYPE_ORIENTATION, pk, Raison.ROLE_INSUFFISANT, 403)
        version = version_attendue(request, orientation)
        entree = s.OrientationModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        statut = d.get("statut")
        if statut in STATUTS_CLOS:
            if set(d) - {"statut", "resultat"}:
                raise champ_invalide("statut", "Une clôture ne modifie rien d'autre.")
            services.orientation_cloturer(
                orientation=orientation,
                version=version,
                statut=statut,
                resultat=d.get("resultat", ""),
                acteur=acteur(request),
            )
            return _reponse(request, pk)
        if "resultat" in d:
            raise champ_invalide("resultat", "Le résultat s'indique à la clôture.")
        services.orientation_modifier(
            orientation=orientation,
            version=version,
            acteur=acteur(request),
            echeance=d.get("echeance"),
            organisation=organisation(d["organisation"]) if "organisation" in d else None,
            commencee=statut == StatutOrientation.EN_COURS,
        )
        return _reponse(request, pk)


class NotificationListView(APIView):
    """The caller's own overdue notices (no personal data: ids and link paths)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_orientations_liste",
        responses={200: s.NotificationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        notifications = selectors.notifications_de(request.user)
        page = pagination.paginate_queryset(notifications, request, view=self) or []
        return pagination.get_paginated_response(s.NotificationSerializer(page, many=True).data)
