"""Thin views of reception sites and posts (places and offer: no person, no motif, no access
event, but authentication and scope).

Every tig role reads (403 for the others); a site or post out of scope answers 404 like a
missing one, and one read but not managed by the caller gives 403 on writes. Updates need
``If-Match`` (428 / 412); creating POSTs accept ``Idempotency-Key``.
"""

from __future__ import annotations

import uuid
from typing import Any

import django_filters as df
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.enums import Action
from noyau import filtres, idempotence
from noyau.idempotence import marquer_rejouee
from noyau.schema import IDEMPOTENCE, IF_MATCH, PAGINATION
from noyau.vues import acteur
from socle.errors import ApiError
from socle.etags import etag, version_attendue
from socle.pagination import Pagination
from tig.accueil import selectors as sel
from tig.accueil import services
from tig.accueil.api import serializers as s
from tig.accueil.enums import TypeStructure
from tig.accueil.models import Poste, StructureAccueil

GEOJSON = "application/geo+json"


class StructureFiltres(filtres.Filtres):
    commune = df.CharFilter(field_name="commune_id", label="code INSEE de la commune")
    type = df.ChoiceFilter(choices=TypeStructure.choices, label="type de structure")


class PosteFiltres(filtres.Filtres):
    structure = df.UUIDFilter(field_name="structure_id", label="structure d'accueil")
    commune = df.CharFilter(field_name="commune_id", label="code INSEE de la commune du poste")
    activite = df.CharFilter(field_name="activite_id", label="code de l'activité")
    actif = df.BooleanFilter(label="actif (true / false)")


def _exiger_lecteur(request: Request) -> None:
    if not sel.lit_accueil(request.user):
        raise ApiError.acces_refuse()


def _structure(request: Request, pk: uuid.UUID) -> StructureAccueil:
    _exiger_lecteur(request)
    structure = sel.structure(request.user, pk)
    if structure is None:
        raise ApiError.introuvable()
    return structure


def _poste(request: Request, pk: uuid.UUID) -> Poste:
    _exiger_lecteur(request)
    poste = sel.poste(request.user, pk)
    if poste is None:
        raise ApiError.introuvable()
    return poste


def _modifiable(request: Request, objet: Any, selecteur: Any) -> None:
    if selecteur(request.user, objet.pk, Action.MODIFIER) is None:
        raise ApiError.acces_refuse()


def _reponse(objet: Any, serializer: Any, code: int = status.HTTP_200_OK) -> Response:
    return Response(serializer(objet).data, status=code, headers={"ETag": etag(objet)})


def _page(request: Request, view: APIView, queryset: Any, serializer: Any) -> Response:
    pagination = Pagination()
    page = pagination.paginate_queryset(queryset, request, view=view) or []
    return pagination.get_paginated_response(serializer(page, many=True).data)


class _Accueil(APIView):
    permission_classes = [IsAuthenticated]


class StructureListView(_Accueil):
    @extend_schema(
        operation_id="structures_accueil_liste",
        description=(
            "Structures d'accueil de votre périmètre, pour tout rôle du travail non rémunéré "
            "et du TIG (403 sinon) : celles des communes de votre ressort pour le délégué du "
            "procureur et le conseiller d'exécution, les vôtres pour un référent, celles de "
            "votre commune pour le directeur de la tranquillité publique. Paginées, filtrables "
            "par commune et par type."
        ),
        parameters=[*filtres.parametres_openapi(StructureFiltres), *PAGINATION],
        responses={200: s.PageStructuresSerializer},
    )
    def get(self, request: Request) -> Response:
        _exiger_lecteur(request)
        filtres.verifier(request, StructureFiltres)
        queryset = filtres.filtrer(request, sel.structures(request.user), StructureFiltres)
        return _page(request, self, queryset, s.StructureSerializer)

    @extend_schema(
        operation_id="structures_accueil_creer",
        description=(
            "Réservé au délégué du procureur et au conseiller d'exécution (403 sinon) : une "
            "structure d'accueil d'une commune de leur ressort, avec son habilitation au TIG "
            "(une commune ou un établissement public est habilité de droit), le contact de son "
            "service de tranquillité publique et ses référents (comptes au rôle référent de "
            "structure d'accueil). Idempotency-Key accepté. Réponse avec son ETag."
        ),
        parameters=[IDEMPOTENCE],
        request=s.StructureEntreeSerializer,
        responses={201: s.StructureSerializer},
    )
    def post(self, request: Request) -> Response:
        _exiger_lecteur(request)
        cle = idempotence.cle_de(request)
        entree = s.StructureEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="structures-accueil",
            cle=cle,
            corps=request.data,
            creer=lambda: services.structure_creer(acteur=acteur(request), **entree.validated_data),
        )
        structure = _structure(request, pk)
        return marquer_rejouee(
            _reponse(structure, s.StructureSerializer, status.HTTP_201_CREATED), rejouee
        )


class StructureDetailView(_Accueil):
    @extend_schema(
        operation_id="structures_accueil_detail",
        description=(
            "Une structure d'accueil de votre périmètre, avec son ETag ; hors périmètre, 404 "
            "comme une structure absente."
        ),
        responses={200: s.StructureSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse(_structure(request, pk), s.StructureSerializer)

    @extend_schema(
        operation_id="structures_accueil_modifier",
        description=(
            "Seuls les champs envoyés changent. Le délégué du procureur et le conseiller "
            "d'exécution du ressort modifient tout ; un référent modifie les coordonnées et le "
            "contact de sa structure, jamais son type, sa commune, son habilitation, ses "
            "référents ni son état (403). If-Match obligatoire (428 sans, 412 si périmé) ; 404 "
            "hors périmètre."
        ),
        parameters=[IF_MATCH],
        request=s.StructureEntreeSerializer,
        responses={200: s.StructureSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        structure = _structure(request, pk)
        _modifiable(request, structure, sel.structure)
        version = version_attendue(request, structure)
        entree = s.StructureEntreeSerializer(data=request.data, partial=True)
        entree.is_valid(raise_exception=True)
        apres = services.structure_modifier(
            structure=structure, version=version, acteur=acteur(request), **entree.validated_data
        )
        return _reponse(_structure(request, apres.pk), s.StructureSerializer)


class PosteListView(_Accueil):
    @extend_schema(
        operation_id="postes_liste",
        description=(
            "Postes des structures d'accueil de votre périmètre (tout rôle du travail non "
            "rémunéré et du TIG, 403 sinon), chacun avec « perime » : vrai s'il n'a pas été "
            "confirmé depuis 90 jours (il sort alors de l'appariement). Paginés, filtrables par "
            "structure, commune, activité et état."
        ),
        parameters=[*filtres.parametres_openapi(PosteFiltres), *PAGINATION],
        responses={200: s.PagePostesSerializer},
    )
    def get(self, request: Request) -> Response:
        _exiger_lecteur(request)
        filtres.verifier(request, PosteFiltres)
        queryset = filtres.filtrer(request, sel.postes(request.user), PosteFiltres)
        return _page(request, self, queryset, s.PosteSerializer)

    @extend_schema(
        operation_id="postes_creer",
        description=(
            "Un poste dans une structure que vous gérez (le délégué du procureur et le "
            "conseiller d'exécution dans leur ressort, un référent dans sa structure ; 400 sur "
            "« structure » sinon, 403 pour un autre rôle) : activité, lieu et coordonnées, "
            "capacité, créneaux de la semaine, âge minimum (16 par défaut), natures de mesure "
            "acceptées, desserte. Créé, il compte comme confirmé ce jour. Idempotency-Key "
            "accepté. Réponse avec son ETag."
        ),
        parameters=[IDEMPOTENCE],
        request=s.PosteCreationSerializer,
        responses={201: s.PosteSerializer},
    )
    def post(self, request: Request) -> Response:
        if not sel.gere_des_sites(request.user):
            raise ApiError.acces_refuse()
        cle = idempotence.cle_de(request)
        entree = s.PosteCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="postes",
            cle=cle,
            corps=request.data,
            creer=lambda: services.poste_creer(acteur=acteur(request), **entree.validated_data),
        )
        poste = _poste(request, pk)
        return marquer_rejouee(_reponse(poste, s.PosteSerializer, status.HTTP_201_CREATED), rejouee)


class PosteGeoView(_Accueil):
    @extend_schema(
        operation_id="postes_geojson",
        description=(
            "Les postes actifs de votre périmètre en GeoJSON (FeatureCollection, type "
            "application/geo+json), pour tout client cartographique : coordonnées, activité, "
            "structure, commune, capacité, natures acceptées, âge minimum, « perime ». Aucune "
            "donnée personnelle. Mêmes filtres que la liste, sans pagination."
        ),
        parameters=filtres.parametres_openapi(PosteFiltres),
        responses={
            (200, GEOJSON): OpenApiResponse(
                s.CollectionGeoSerializer, description="collection GeoJSON des postes"
            )
        },
    )
    def get(self, request: Request) -> Response:
        _exiger_lecteur(request)
        filtres.verifier(request, PosteFiltres)
        queryset = filtres.filtrer(request, sel.postes(request.user), PosteFiltres)
        corps = s.geojson(list(queryset.filter(actif=True)))
        return Response(corps, content_type=GEOJSON)


class PosteDetailView(_Accueil):
    @extend_schema(
        operation_id="postes_detail",
        description=(
            "Un poste de votre périmètre, avec son ETag ; hors périmètre, 404 comme un poste "
            "absent."
        ),
        responses={200: s.PosteSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse(_poste(request, pk), s.PosteSerializer)

    @extend_schema(
        operation_id="postes_modifier",
        description=(
            "Par qui gère la structure du poste (403 pour qui ne fait que le lire) : seuls les "
            "champs envoyés changent, jamais la structure. If-Match obligatoire (428 sans, 412 "
            "si périmé) ; 404 hors périmètre."
        ),
        parameters=[IF_MATCH],
        request=s.PosteModificationSerializer,
        responses={200: s.PosteSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        poste = _poste(request, pk)
        _modifiable(request, poste, sel.poste)
        version = version_attendue(request, poste)
        entree = s.PosteModificationSerializer(data=request.data, partial=True)
        entree.is_valid(raise_exception=True)
        apres = services.poste_modifier(
            poste=poste, version=version, acteur=acteur(request), **entree.validated_data
        )
        return _reponse(_poste(request, apres.pk), s.PosteSerializer)


class PosteConfirmationView(_Accueil):
    @extend_schema(
        operation_id="postes_confirmer",
        description=(
            "Le référent de la structure (ou le délégué du procureur, le conseiller "
            "d'exécution du ressort) confirme que le poste est toujours offert tel que décrit : "
            "sa date de confirmation devient ce jour et il n'est plus périmé. 403 pour qui ne "
            "fait que le lire, 404 hors périmètre. Réponse avec le nouvel ETag."
        ),
        request=None,
        responses={200: s.PosteSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        poste = _poste(request, pk)
        _modifiable(request, poste, sel.poste)
        apres = services.poste_confirmer(poste=poste, acteur=acteur(request))
        return _reponse(_poste(request, apres.pk), s.PosteSerializer)


__all__ = [
    "PosteConfirmationView",
    "PosteDetailView",
    "PosteGeoView",
    "PosteListView",
    "StructureDetailView",
    "StructureListView",
]
