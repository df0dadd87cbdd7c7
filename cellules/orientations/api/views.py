"""Orientations of a case and the reference list of measures.

An orientation is case content (category ``orientations``): reads need the case in scope,
a motif, and leave one access event per orientation returned.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.enums import Action
from audit import journal
from audit.enums import Raison
from cellules.dossiers import selectors as selecteurs_dossiers
from cellules.dossiers.models import Situation
from cellules.orientations import selectors, services
from cellules.orientations.api import serializers as s
from cellules.orientations.enums import STATUTS_CLOS, StatutOrientation
from cellules.orientations.models import Orientation
from cellules.orientations.selectors import organisation
from cellules.seances.models import Seance
from noyau.schema import IDEMPOTENCE, IF_MATCH, MOTIF
from noyau.vues import VueDonnees
from socle.errors import ApiError
from socle.pagination import Pagination


class _Orientations(VueDonnees):
    modele = Orientation
    selecteur = staticmethod(selectors.orientations_visibles)
    serializer_class = s.OrientationSerializer

    def situation(self, pk: uuid.UUID, action: Action = Action.LIRE) -> Situation:
        situation: Situation = self.trouver(
            pk, action, modele=Situation, selecteur=selecteurs_dossiers.situations_visibles
        )
        return situation


class MesureListView(APIView):
    """The closed list of measures (reference data, no personal data)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mesures_liste",
        description="Liste fermée des mesures (référentiel, aucune donnée personnelle).",
        responses={200: s.MesureSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(s.MesureSerializer(selectors.mesures_actives(), many=True).data)


class SituationOrientationsView(_Orientations):
    @extend_schema(
        operation_id="orientations_liste",
        parameters=[MOTIF],
        responses={200: s.OrientationSerializer(many=True)},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        self.situation(pk)
        orientations = list(selectors.orientations_de_situation(request.user, pk))
        return Response(self.serialiser(orientations, many=True))

    @extend_schema(
        operation_id="orientations_decider",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.OrientationCreationSerializer,
        responses={201: s.OrientationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        situation = self.situation(pk, Action.MODIFIER)
        cle = self.cle_idempotence()
        entree = s.OrientationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        mesure = selectors.mesure_active(d["mesure"])
        if mesure is None:
            raise ApiError.champ_invalide("mesure", "Mesure inconnue.")
        responsable = organisation(d["organisation"])
        seance = None
        if d.get("seance") is not None:
            seance = (
                Seance.objects.restrict(request.user, Action.LIRE)
                .filter(pk=d["seance"], cellule_id=situation.cellule_id)
                .first()
            )
            if seance is None:
                raise ApiError.champ_invalide("seance", "Séance inconnue pour cette cellule.")
        orientation_pk, _ = self.creer_une_fois(
            "orientations",
            cle,
            lambda: services.orientation_decider(
                situation=situation,
                type=d["type"],
                mesure=mesure,
                organisation=responsable,
                echeance=d["echeance"],
                seance=seance,
                acteur=self.acteur,
            ),
            # The case is part of the request: the same key on another case is another request.
            corps={"situation": str(situation.pk), "corps": request.data},
        )
        return self.rendre(self.trouver(orientation_pk), status.HTTP_201_CREATED)


class OrientationDetailView(_Orientations):
    @extend_schema(
        operation_id="orientations_detail",
        parameters=[MOTIF],
        responses={200: s.OrientationSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self.rendre(self.trouver(pk))

    @extend_schema(
        operation_id="orientations_modifier",
        summary="Modifier, suivre ou clôturer une orientation",
        description=(
            "Le coordonnateur de la cellule et le délégué du procureur du ressort déplacent "
            "l'échéance, changent l'organisation responsable, marquent l'orientation commencée "
            "(« statut »: « en_cours ») ou la clôturent (« realisee » ou « abandonnee », avec "
            "« resultat »). Les membres de la cellule qui appartiennent à l'organisation "
            "responsable en indiquent l'avancement et le résultat (« statut » et « resultat » "
            "seulement ; 403 champ_reserve pour les autres champs). Une orientation judiciaire "
            "reste au délégué du procureur (403 orientation_judiciaire) ; un lecteur d'une autre "
            "organisation reçoit 403 orientation_non_confiee. If-Match obligatoire."
        ),
        parameters=[MOTIF, IF_MATCH],
        request=s.OrientationModificationSerializer,
        responses={200: s.OrientationSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        orientation = self.trouver(pk)
        decideur = self.selection(Action.MODIFIER).filter(pk=pk).exists()
        if not decideur and not selectors.orientation_confiee(request.user, pk):
            journal.consigner_refus(request, self.type_objet, pk, Raison.ROLE_INSUFFISANT)
            raise services.refus_non_confiee()
        version = self.version_attendue(orientation)
        entree = s.OrientationModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        statut = d.get("statut")
        if not decideur:
            return self._suivre(orientation, version, d)
        if statut in STATUTS_CLOS:
            if set(d) - {"statut", "resultat"}:
                raise ApiError.champ_invalide("statut", "Une clôture ne modifie rien d'autre.")
            services.orientation_cloturer(
                orientation=orientation,
                version=version,
                statut=statut,
                resultat=d.get("resultat", ""),
                acteur=self.acteur,
            )
            return self.rendre(self.trouver(pk))
        if "resultat" in d:
            raise ApiError.champ_invalide("resultat", "Le résultat s'indique à la clôture.")
        services.orientation_modifier(
            orientation=orientation,
            version=version,
            acteur=self.acteur,
            echeance=d.get("echeance"),
            organisation=organisation(d["organisation"]) if "organisation" in d else None,
            commencee=statut == StatutOrientation.EN_COURS,
        )
        return self.rendre(self.trouver(pk))

    def _suivre(self, orientation: Orientation, version: int, d: dict[str, Any]) -> Response:
        """Progress and outcome recorded by the responsible organisation's member."""
        reserves = sorted(set(d) - {"statut", "resultat"})
        if reserves:
            journal.consigner_refus(
                self.request, self.type_objet, orientation.pk, Raison.ROLE_INSUFFISANT
            )
            message = (
                "L'échéance et l'organisation responsable sont fixées par le coordonnateur de la "
                "cellule ou le délégué du procureur : l'organisation responsable en indique "
                "l'avancement et le résultat."
            )
            raise ApiError(403, "champ_reserve", message, {champ: [message] for champ in reserves})
        if "statut" not in d:
            raise ApiError.champ_invalide(
                "statut",
                "Indiquez l'avancement (« en_cours ») ou la clôture (« realisee » ou "
                "« abandonnee », avec « resultat »).",
            )
        services.orientation_suivre(
            orientation=orientation,
            version=version,
            acteur=self.acteur,
            statut=d["statut"],
            resultat=d.get("resultat", ""),
        )
        return self.rendre(self.trouver(orientation.pk))


class NotificationListView(APIView):
    """The caller's own overdue notices (no personal data: ids and link paths)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_orientations_liste",
        description=(
            "Vos avis d'orientations en retard (aucune donnée personnelle : des "
            "identifiants et les chemins à suivre)."
        ),
        responses={200: s.NotificationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        notifications = selectors.notifications_de(request.user)
        page = pagination.paginate_queryset(notifications, request, view=self) or []
        return pagination.get_paginated_response(s.NotificationSerializer(page, many=True).data)
