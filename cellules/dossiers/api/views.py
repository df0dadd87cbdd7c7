"""Thin views of persons and cases: parse, call one selector or service, serialise, trace.

Every route needs an operational role, the charter accepted and a motif (``X-Motif``). Each
personal record in a response gets exactly one access event carrying the request id; a case out
of scope answers the same 404 as a missing one, and the attempt is logged.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.crypto.champs import precharger_cles
from acces.enums import Action
from acces.models import Commune
from acces.perimetre import perimetre_de
from audit import journal
from audit.enums import ActionAcces, Raison
from cellules import idempotence
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
from cellules.api.etags import etag, version_attendue
from cellules.dossiers import politiques, selectors, services
from cellules.dossiers.api import serializers as s
from cellules.dossiers.models import Personne, Situation
from socle.pagination import Pagination

TYPE_SITUATION = "cellules.situation"
TYPE_PERSONNE = "cellules.personne"
RECHERCHE_MAX = 20


class _Donnees(Donnees):
    type_objet = TYPE_SITUATION

    def _exiger_createur(self, request: Request) -> None:
        if not politiques.peut_ouvrir_situation(perimetre_de(request.user)):
            raise refuser(request, self.type_objet, None, Raison.ROLE_INSUFFISANT, 403)


def _situation(request: Request, pk: uuid.UUID) -> Situation:
    situation = selectors.situation_visible(request.user, pk)
    if situation is None:
        raise refuser(request, TYPE_SITUATION, pk, Raison.HORS_PERIMETRE, 404)
    return situation


def _situation_a_ecrire(request: Request, pk: uuid.UUID) -> Situation:
    situation = _situation(request, pk)
    if not selectors.situations_visibles(request.user, Action.MODIFIER).filter(pk=pk).exists():
        raise refuser(request, TYPE_SITUATION, pk, Raison.ROLE_INSUFFISANT, 403)
    return situation


def _reponse_situation(request: Request, pk: uuid.UUID, code: int = 200) -> Response:
    situation = _situation(request, pk)
    precharger_cles([situation])
    corps = s.SituationSerializer(situation, context={"request": request}).data
    tracer(request, TYPE_SITUATION, [situation], ActionAcces.CONSULTATION)
    return Response(corps, status=code, headers={"ETag": etag(situation)})


class SituationListView(_Donnees):
    @extend_schema(
        operation_id="situations_liste",
        parameters=[
            MOTIF,
            OpenApiParameter("page", int, description="numéro de page (à partir de 1)"),
            OpenApiParameter("taille", int, description="lignes par page (200 au plus)"),
        ],
        responses={200: s.PageSituationsSerializer},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        queryset: QuerySet[Situation] = selectors.situations_visibles(request.user)
        page = pagination.paginate_queryset(queryset, request, view=self) or []
        precharger_cles(page)
        corps = s.SituationSerializer(page, many=True, context={"request": request}).data
        tracer(request, TYPE_SITUATION, page, ActionAcces.LISTE)
        return pagination.get_paginated_response(corps)

    @extend_schema(
        operation_id="situations_creer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SituationCreationSerializer,
        responses={201: s.SituationSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_createur(request)
        cle = idempotence.cle_de(request)
        entree = s.SituationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne = selectors.personne_visible(request.user, d["personne"])
        if personne is None:
            raise champ_invalide("personne", "Personne introuvable.")
        cellule = selectors.cellule_pour_ecrire(request.user, d["cellule"])
        if cellule is None:
            raise champ_invalide("cellule", "Cellule introuvable.")
        commune = None
        if "commune" in d:
            commune = Commune.objects.filter(pk=d["commune"]).first()
            if commune is None:
                raise champ_invalide("commune", "Commune inconnue.")
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="situations",
            cle=cle,
            corps=request.data,
            creer=lambda: services.situation_creer(
                personne=personne,
                cellule=cellule,
                commune=commune,
                source=d["source_signalement"],
                profils=d.get("profils", []),
                observation=d.get("observation"),
                acteur=acteur(request),
            ),
        )
        return marquer_rejouee(_reponse_situation(request, pk, status.HTTP_201_CREATED), rejouee)


class SituationDetailView(_Donnees):
    @extend_schema(
        operation_id="situations_detail",
        parameters=[MOTIF],
        responses={200: s.SituationSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse_situation(request, pk)

    @extend_schema(
        operation_id="situations_modifier",
        parameters=[MOTIF, IF_MATCH],
        request=s.SituationModificationSerializer,
        responses={200: s.SituationSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        situation = _situation_a_ecrire(request, pk)
        version = version_attendue(request, situation)
        entree = s.SituationModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.situation_modifier(
            situation=situation, version=version, acteur=acteur(request), **entree.validated_data
        )
        return _reponse_situation(request, pk)


class SituationTransitionView(_Donnees):
    @extend_schema(
        operation_id="situations_transition",
        parameters=[MOTIF, IF_MATCH],
        request=s.TransitionSerializer,
        responses={200: s.EtatSituationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        situation = _situation_a_ecrire(request, pk)
        version = version_attendue(request, situation)
        entree = s.TransitionSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        apres = services.situation_transitionner(
            situation=situation,
            transition=entree.validated_data["transition"],
            motif_cloture=entree.validated_data.get("motif_cloture"),
            version=version,
            acteur=acteur(request),
        )
        return Response(
            s.EtatSituationSerializer(apres, context={"request": request}).data,
            headers={"ETag": etag(apres)},
        )


class PersonneCreationView(_Donnees):
    type_objet = TYPE_PERSONNE

    @extend_schema(
        operation_id="personnes_creer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.PersonneCreationSerializer,
        responses={201: s.PersonneSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_createur(request)
        cle = idempotence.cle_de(request)
        entree = s.PersonneCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        try:
            pk, rejouee = idempotence.executer_une_fois(
                utilisateur=acteur(request),
                route="personnes",
                cle=cle,
                corps=request.data,
                creer=lambda: services.personne_creer(
                    nom=d["nom"],
                    prenom=d["prenom"],
                    date_naissance=d["date_naissance"],
                    adresse=d.get("adresse", ""),
                    commune_residence=d.get("commune_residence", ""),
                    acteur=acteur(request),
                ),
            )
        except services.PersonneDejaEnregistree as doublon:
            # The refusal confirms who exists: traced like the search it amounts to, after the
            # write has rolled back.
            journal.consigner_lectures(
                request,
                [(TYPE_PERSONNE, p, p) for p in doublon.personnes],
                action=ActionAcces.RECHERCHE,
                motif=request.motif_acces,  # type: ignore[attr-defined]
            )
            raise
        personne = selectors.personne_visible(request.user, pk)
        if personne is None:
            raise refuser(request, TYPE_PERSONNE, pk, Raison.HORS_PERIMETRE, 404)
        precharger_cles([personne])
        corps = s.PersonneSerializer(personne, context={"request": request}).data
        tracer(request, TYPE_PERSONNE, [personne], ActionAcces.CONSULTATION)
        return marquer_rejouee(Response(corps, status=status.HTTP_201_CREATED), rejouee)


class PersonneRechercheView(_Donnees):
    """Exact search by identity, in the body (names never travel in URLs or access logs)."""

    type_objet = TYPE_PERSONNE

    @extend_schema(
        operation_id="personnes_recherche",
        parameters=[MOTIF],
        request=s.IdentiteSerializer,
        responses={200: s.RechercheReponseSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.IdentiteSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        trouvees: list[Personne] = list(
            selectors.personnes_recherche(request.user, d["nom"], d["prenom"], d["date_naissance"])[
                :RECHERCHE_MAX
            ]
        )
        precharger_cles(trouvees)
        corps = s.PersonneSerializer(trouvees, many=True, context={"request": request}).data
        tracer(request, TYPE_PERSONNE, trouvees, ActionAcces.RECHERCHE)
        return Response({"count": len(trouvees), "results": corps})
