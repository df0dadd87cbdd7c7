"""Thin views of meetings: parse, call one selector or service, serialise, trace.

Every route needs an operational role, the charter accepted and a motif (``X-Motif``). A meeting
out of scope answers the same 404 as a missing one (and the attempt is logged); who may read it
but not write it gets 403. Each case shown in a relevé gets one access event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.auth.permissions import exige_verification_recente
from acces.crypto.champs import precharger_cles
from acces.enums import Action, Role
from acces.models import Organisation
from acces.perimetre import perimetre_de
from audit import journal
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
)
from cellules.composition.models import Cellule
from cellules.orientations import report
from cellules.seances import pdf, selectors, services
from cellules.seances.api import serializers as s
from cellules.seances.models import Decision, Seance
from noyau import idempotence
from socle.errors import ApiError
from socle.etags import etag, version_attendue
from socle.pagination import Pagination

TYPE_SEANCE = "cellules.seance"
TYPE_SITUATION = "cellules.situation"
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="relevé de décisions en PDF")
DUREE_DEFAUT_MINUTES = int(services.DUREE_DEFAUT.total_seconds() // 60)


def _seance(request: Request, pk: uuid.UUID) -> Seance:
    seance = selectors.seance_visible(request.user, pk)
    if seance is None:
        raise refuser(request, TYPE_SEANCE, pk, Raison.HORS_PERIMETRE, 404)
    return seance


def _seance_a_ecrire(request: Request, pk: uuid.UUID) -> Seance:
    seance = _seance(request, pk)
    if selectors.seance_visible(request.user, pk, Action.MODIFIER) is None:
        raise refuser(request, TYPE_SEANCE, pk, Raison.ROLE_INSUFFISANT, 403)
    return seance


def _reponse(request: Request, pk: uuid.UUID, code: int = 200) -> Response:
    seance = _seance(request, pk)
    return Response(s.SeanceSerializer(seance).data, status=code, headers={"ETag": etag(seance)})


def _demande_de_coordonnateur(
    request: Request, classe: type[serializers.Serializer[Any]]
) -> tuple[str | None, dict[str, Any], Cellule]:
    """Role check, Idempotency-Key, validated body and the cell the caller coordinates."""
    if not perimetre_de(request.user).a_role(Role.COORDONNATEUR):
        raise refuser(request, TYPE_SEANCE, None, Raison.ROLE_INSUFFISANT, 403)
    cle = idempotence.cle_de(request)
    entree = classe(data=request.data)
    entree.is_valid(raise_exception=True)
    d: dict[str, Any] = dict(entree.validated_data)
    cellule = selectors.cellule_coordonnee(request.user, d["cellule"])
    if cellule is None:
        raise champ_invalide("cellule", "Cellule introuvable.")
    return cle, d, cellule


class _Donnees(Donnees):
    type_objet = TYPE_SEANCE


class SeanceListView(_Donnees):
    @extend_schema(
        operation_id="seances_liste",
        parameters=[
            MOTIF,
            OpenApiParameter("page", int, description="numéro de page (à partir de 1)"),
            OpenApiParameter("taille", int, description="lignes par page (200 au plus)"),
        ],
        responses={200: s.PageSeancesSerializer},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        page = pagination.paginate_queryset(selectors.seances_visibles(request.user), request, self)
        return pagination.get_paginated_response(s.SeanceSerializer(page or [], many=True).data)

    @extend_schema(
        operation_id="seances_planifier",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SeanceCreationSerializer,
        responses={201: s.SeanceSerializer},
    )
    def post(self, request: Request) -> Response:
        cle, d, cellule = _demande_de_coordonnateur(request, s.SeanceCreationSerializer)
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="seances",
            cle=cle,
            corps=request.data,
            creer=lambda: services.seance_planifier(
                cellule=cellule,
                debut=d["debut"],
                fin=d["fin"],
                lieu=d.get("lieu", ""),
                acteur=acteur(request),
            ),
        )
        return marquer_rejouee(_reponse(request, pk, status.HTTP_201_CREATED), rejouee)


class SeancesPeriodiquesView(_Donnees):
    """A series of meetings of one cell, all or nothing (coordonnateurs of the cell)."""

    @extend_schema(
        operation_id="seances_planifier_periodiques",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SeancesPeriodiquesSerializer,
        responses={201: s.SeancesSerieSerializer},
    )
    def post(self, request: Request) -> Response:
        cle, d, cellule = _demande_de_coordonnateur(request, s.SeancesPeriodiquesSerializer)
        if "fin" in d:
            duree = d["fin"] - d["debut"]
        else:
            duree = dt.timedelta(minutes=d.get("duree_minutes", DUREE_DEFAUT_MINUTES))
        premier, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="seances-periodiques",
            cle=cle,
            corps=request.data,
            creer=lambda: services.seances_planifier_periodiques(
                cellule=cellule,
                premiere=d["debut"],
                periodicite=d["periodicite"],
                nombre=d["nombre"],
                duree=duree,
                lieu=d.get("lieu", ""),
                acteur=acteur(request),
            )[0],
        )
        ids = services.ids_serie(premier, d["nombre"])
        seances = selectors.seances_visibles(request.user).filter(pk__in=ids)
        corps = {"seances": s.SeanceSerializer(seances, many=True).data}
        return marquer_rejouee(Response(corps, status=status.HTTP_201_CREATED), rejouee)


class SeanceDetailView(_Donnees):
    @extend_schema(
        operation_id="seances_detail", parameters=[MOTIF], responses={200: s.SeanceSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse(request, pk)

    @extend_schema(
        operation_id="seances_modifier",
        parameters=[MOTIF, IF_MATCH],
        request=s.SeanceModificationSerializer,
        responses={200: s.SeanceSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        version = version_attendue(request, seance)
        entree = s.SeanceModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.seance_modifier(
            seance=seance, version=version, acteur=acteur(request), **entree.validated_data
        )
        return _reponse(request, pk)


class SeanceAnnulationView(_Donnees):
    @extend_schema(
        operation_id="seances_annuler",
        parameters=[MOTIF],
        request=None,
        responses={200: s.SeanceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        services.seance_annuler(seance=seance, acteur=acteur(request))
        return _reponse(request, pk)


class OrdreDuJourView(_Donnees):
    @extend_schema(
        operation_id="seances_ordre_du_jour_ajouter",
        parameters=[MOTIF],
        request=s.PointCreationSerializer,
        responses={201: s.SeanceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        entree = s.PointCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        situation = selectors.situation_a_inscrire(request.user, entree.validated_data["situation"])
        if situation is None:
            raise champ_invalide("situation", "Situation introuvable dans cette cellule.")
        services.ordre_du_jour_ajouter(
            seance=seance,
            situation=situation,
            motif=entree.validated_data["motif"],
            acteur=acteur(request),
        )
        return _reponse(request, pk, status.HTTP_201_CREATED)


class ReportsView(_Donnees):
    """Carry-over of unfinished orientations to the agenda (case ids and reasons only, like
    the agenda itself: no identity, hence no access event). Coordonnateurs of the cell only."""

    @extend_schema(
        operation_id="seances_reports_prevus",
        parameters=[MOTIF],
        responses={200: s.ReportsSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        prevus = report.reports_prevus(seance, acteur(request))
        corps = {"seance": seance.pk, "reports": s.ReportPrevuSerializer(prevus, many=True).data}
        return Response(corps)

    @extend_schema(
        operation_id="seances_reports_effectuer",
        parameters=[MOTIF],
        request=None,
        responses={200: s.ReportsEffectuesSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        ajoutes = report.orientations_reporter(seance=seance, acteur=acteur(request))
        a_jour = _seance(request, pk)
        corps = {
            "seance": s.SeanceSerializer(a_jour).data,
            "ajoutes": s.PointSerializer(ajoutes, many=True).data,
        }
        return Response(corps, headers={"ETag": etag(a_jour)})


class ConvocationsView(_Donnees):
    @extend_schema(
        operation_id="seances_convoquer",
        parameters=[MOTIF],
        request=s.ConvocationCreationSerializer,
        responses={201: s.ConvocationsSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        entree = s.ConvocationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        demandes = set(entree.validated_data["membres"])
        membres = selectors.membres_de(seance, list(demandes))
        if len(membres) != len(demandes):
            raise champ_invalide("membres", "Membre inconnu dans cette cellule.")
        convocations = services.convocations_envoyer(
            seance=seance, membres=membres, acteur=acteur(request)
        )
        corps = {"convocations": s.ConvocationSerializer(convocations, many=True).data}
        return Response(corps, status=status.HTTP_201_CREATED)


class PresencesView(_Donnees):
    @extend_schema(
        operation_id="seances_presence_enregistrer",
        parameters=[MOTIF],
        request=s.PresenceCreationSerializer,
        responses={200: s.PresenceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        entree = s.PresenceCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(pk=entree.validated_data["organisation"]).first()
        if organisation is None:
            raise champ_invalide("organisation", "Organisation sans membre dans cette cellule.")
        presence = services.presence_enregistrer(
            seance=seance,
            organisation=organisation,
            present=entree.validated_data["present"],
            acteur=acteur(request),
        )
        return Response(s.PresenceSerializer(presence).data)


class DecisionsView(_Donnees):
    @extend_schema(
        operation_id="seances_decision_enregistrer",
        parameters=[MOTIF],
        request=s.DecisionCreationSerializer,
        responses={201: s.DecisionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = _seance_a_ecrire(request, pk)
        entree = s.DecisionCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        situation = selectors.situation_a_inscrire(request.user, d["situation"])
        if situation is None:
            raise champ_invalide("situation", "Cette situation n'est pas à l'ordre du jour.")
        decision = services.decision_enregistrer(
            seance=seance,
            situation=situation,
            type=d["type"],
            note=d.get("note"),
            acteur=acteur(request),
        )
        # The answer is about a named case: it is a read like any other.
        _tracer(request, [decision], ActionAcces.CONSULTATION)
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _releve(request: Request, seance: Seance) -> tuple[dict[str, Any], list[Decision]]:
    decisions = selectors.decisions_lisibles(request.user, seance)
    precharger_cles(decisions)
    precharger_cles([d.situation.personne for d in decisions])
    contexte = {"request": request}
    corps = {
        "seance": s.SeanceSerializer(seance).data,
        "presences": s.PresenceSerializer(
            seance.presences.order_by("organisation_id"), many=True
        ).data,
        "decisions": s.DecisionReleveSerializer(decisions, many=True, context=contexte).data,
    }
    return corps, decisions


def _tracer(request: Request, decisions: list[Decision], action: str) -> None:
    """One event per case mentioned (a case with two decisions is read once)."""
    situations = {d.situation_id: d.situation.personne_id for d in decisions}
    motif: journal.MotifLu = request.motif_acces  # type: ignore[attr-defined]
    lus = [(TYPE_SITUATION, pk, personne) for pk, personne in situations.items()]
    journal.consigner_lectures(request, lus, action=action, motif=motif)


class ReleveView(_Donnees):
    @extend_schema(
        operation_id="seances_releve", parameters=[MOTIF], responses={200: s.ReleveSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        corps, decisions = _releve(request, _seance(request, pk))
        _tracer(request, decisions, ActionAcces.CONSULTATION)
        return Response(corps)


class RelevePdfView(_Donnees):
    """The relevé as a PDF: a recent second-factor check (step-up) is required."""

    @extend_schema(
        operation_id="seances_releve_pdf",
        parameters=[MOTIF],
        responses={
            (200, "application/pdf"): PDF,
            403: OpenApiResponse(description="vérification récente requise"),
        },
    )
    def get(self, request: Request, pk: uuid.UUID) -> HttpResponse:
        seance = _seance(request, pk)
        try:
            exige_verification_recente(request)
        except ApiError:
            journal.consigner_refus(request, TYPE_SEANCE, pk, Raison.VERIFICATION_REQUISE)
            raise
        corps, decisions = _releve(request, seance)
        horodatage = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
        contenu = pdf.releve(
            corps["seance"],
            corps["presences"],
            corps["decisions"],
            lecteur=acteur(request).get_username(),
            horodatage=horodatage,
        )
        _tracer(request, decisions, ActionAcces.PDF)
        response = HttpResponse(contenu, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="releve-{seance.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
