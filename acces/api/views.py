"""Thin views: parse, call one selector or service, serialise."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces import ports, selectors, services
from acces.api import serializers as s
from acces.api.permissions import AdministrateurPourEcrire, EstAdministrateur
from acces.auth.permissions import exige_verification_recente
from acces.enums import Action
from acces.evenements import Raison
from acces.models import Commune, Habilitation, Organisation, Ressort, Utilisateur
from socle.errors import ApiError
from socle.serializers import EntreeStricte


def _verification(request: Request, pk: uuid.UUID | None) -> None:
    """Step-up before a grant or an approval; a refusal is logged with the record tried."""
    try:
        exige_verification_recente(request)
    except ApiError:
        ports.consigner_refus(request, services.TYPE_HABILITATION, pk, Raison.VERIFICATION_REQUISE)
        raise


def _acteur(request: Request) -> Utilisateur:
    user = request.user
    assert isinstance(user, Utilisateur)
    return user


class MoiView(APIView):
    """The authenticated account, its organisation and its active habilitations."""

    @extend_schema(
        operation_id="auth_moi",
        tags=["authentification"],
        description="Le compte connecté, son organisation et ses habilitations en vigueur.",
        responses={200: s.MoiSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(s.MoiSerializer(_acteur(request)).data)


@extend_schema_view(
    get=extend_schema(
        description="Référentiel des communes, avec leurs quartiers prioritaires (QPV) et leurs "
        "quartiers de veille active."
    )
)
class CommuneListView(generics.ListAPIView[Commune]):
    """Reference list of communes with their QPV and neighbourhoods under watch."""

    serializer_class = s.CommuneSerializer
    queryset = Commune.objects.prefetch_related("quartiers").order_by("nom")
    pagination_class = None


@extend_schema_view(
    get=extend_schema(description="Référentiel des ressorts judiciaires et des communes de chacun.")
)
class RessortListView(generics.ListAPIView[Ressort]):
    """Reference list of the ressorts judiciaires and the communes each one covers."""

    serializer_class = s.RessortSerializer
    queryset = Ressort.objects.prefetch_related("communes").order_by("nom")
    pagination_class = None


class OrganisationListView(APIView):
    """Organisations visible to the caller: its own, or all for the IT administrator."""

    permission_classes = [AdministrateurPourEcrire]

    @extend_schema(
        operation_id="organisations_liste",
        description=(
            "Organisations visibles : la vôtre, ou toutes pour l'administrateur technique."
        ),
        responses={200: s.OrganisationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        organisations = (
            Organisation.objects.restrict(request.user, Action.LIRE)
            .prefetch_related("communes")
            .order_by("nom")
        )
        return Response(s.OrganisationSerializer(organisations, many=True).data)

    @extend_schema(
        operation_id="organisations_creer",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : crée une organisation "
            "partenaire, de type pris dans la liste fermée, avec ses communes. 409 "
            "organisation_existante si une organisation porte déjà ce nom."
        ),
        request=s.OrganisationEntreeSerializer,
        responses={201: s.OrganisationSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.OrganisationEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        data = entree.validated_data
        if Organisation.objects.filter(nom=data["nom"]).exists():
            raise ApiError.conflit("organisation_existante", "Une organisation porte déjà ce nom.")
        organisation = services.organisation_creer(
            nom=data["nom"],
            type=data["type"],
            communes=data.get("communes", []),
            acteur=_acteur(request),
        )
        return Response(s.OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    permission_classes = [AdministrateurPourEcrire]

    @extend_schema(
        operation_id="organisations_detail",
        description=(
            "Votre organisation, ou toute organisation pour l'administrateur technique ; une "
            "autre répond 404, comme une organisation absente."
        ),
        responses={200: s.OrganisationSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        organisations = Organisation.objects.restrict(request.user, Action.LIRE)
        return Response(s.OrganisationSerializer(get_object_or_404(organisations, pk=pk)).data)

    @extend_schema(
        operation_id="organisations_modifier",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : nom, activité, communes ; "
            "seuls les champs envoyés changent. Une organisation désactivée : ses comptes "
            "perdent à l'instant tout rôle et leurs sessions prennent fin. 409 "
            "organisation_existante si le nouveau nom est déjà pris."
        ),
        request=s.OrganisationModificationSerializer,
        responses={200: s.OrganisationSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        organisation = get_object_or_404(
            Organisation.objects.restrict(request.user, Action.MODIFIER), pk=pk
        )
        entree = s.OrganisationModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        try:
            organisation = services.organisation_modifier(
                organisation=organisation, acteur=_acteur(request), **entree.validated_data
            )
        except IntegrityError as exc:
            raise ApiError.conflit(
                "organisation_existante", "Une organisation porte déjà ce nom."
            ) from exc
        return Response(s.OrganisationSerializer(organisation).data)


class UtilisateurListView(APIView):
    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="utilisateurs_liste",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : tous les comptes, triés par "
            "identifiant, avec leur organisation, leur état et leur dernière connexion."
        ),
        responses={200: s.UtilisateurSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(s.UtilisateurSerializer(selectors.utilisateurs(), many=True).data)


class UtilisateurDesactivationView(APIView):
    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="utilisateurs_desactiver",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : désactive le compte, met fin à "
            "ses sessions et révoque ses jetons d'API. 409 auto_desactivation pour votre "
            "propre compte ; 404 pour un compte absent."
        ),
        request=None,
        responses={200: s.UtilisateurSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        utilisateur = get_object_or_404(Utilisateur, pk=pk)
        if utilisateur.pk == _acteur(request).pk:
            raise ApiError.conflit(
                "auto_desactivation", "Vous ne pouvez pas désactiver votre compte."
            )
        utilisateur = services.utilisateur_desactiver(
            utilisateur=utilisateur, acteur=_acteur(request)
        )
        return Response(s.UtilisateurSerializer(utilisateur).data)


class HabilitationListView(APIView):
    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="habilitations_liste",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : toutes les habilitations, "
            "chacune avec son statut (en attente d'approbation, à venir, active, échue, "
            "révoquée)."
        ),
        responses={200: s.HabilitationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        habilitations = Habilitation.objects.prefetch_related("communes").order_by("debut", "id")
        return Response(s.HabilitationSerializer(habilitations, many=True).data)

    @extend_schema(
        operation_id="habilitations_creer",
        description=(
            "Réservé à l'administrateur technique (403 sinon), avec une vérification renforcée "
            "de moins de cinq minutes (403 verification_requise). Vous ne vous attribuez aucun "
            "rôle (403 auto_habilitation) ; l'auditeur et l'administrateur technique ne "
            "détiennent aucun autre rôle (409 roles_incompatibles) ; ces refus sont consignés "
            "au journal des accès. Le ressort est un code de la liste des ressorts, obligatoire "
            "pour le délégué du procureur (400). Principe des quatre yeux : un rôle qui lit "
            "des données personnelles, ou celui d'administrateur technique, reste en attente "
            "d'approbation par un second administrateur."
        ),
        request=s.HabilitationEntreeSerializer,
        responses={201: s.HabilitationSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.HabilitationEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        data = entree.validated_data
        _verification(request, None)
        habilitation = services.habilitation_creer(
            utilisateur=data["utilisateur"],
            role=data["role"],
            communes=data.get("communes", []),
            ressort=data["ressort"],
            perimetre_cispd=data["perimetre_cispd"],
            fin=data["fin"],
            acteur=_acteur(request),
        )
        return Response(s.HabilitationSerializer(habilitation).data, status=status.HTTP_201_CREATED)


class HabilitationApprobationView(APIView):
    """Four eyes: a second administrator approves a role that reads personal data."""

    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="habilitations_approuver",
        description=(
            "Principe des quatre yeux : un second administrateur approuve un rôle "
            "qui lit des données personnelles."
        ),
        request=None,
        responses={200: s.HabilitationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        habilitation = get_object_or_404(Habilitation, pk=pk)
        _verification(request, pk)
        habilitation = services.habilitation_approuver(
            habilitation=habilitation, acteur=_acteur(request)
        )
        return Response(s.HabilitationSerializer(habilitation).data)


class HabilitationRevocationView(APIView):
    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="habilitations_revoquer",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : révoque l'habilitation, avec "
            "effet dès la requête suivante de son titulaire ; révoquer deux fois ne change "
            "rien. S'il ne lui reste aucune habilitation active, ses sessions prennent fin "
            "à l'instant. 404 pour une habilitation absente."
        ),
        request=None,
        responses={200: s.HabilitationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        habilitation = get_object_or_404(Habilitation, pk=pk)
        habilitation = services.habilitation_revoquer(
            habilitation=habilitation, acteur=_acteur(request)
        )
        return Response(s.HabilitationSerializer(habilitation).data)


class MatriceCategoriesView(APIView):
    """Which organisation types may read which information category."""

    def get_permissions(self) -> Any:
        if self.request.method == "GET":
            return super().get_permissions()
        return [EstAdministrateur()]

    @extend_schema(
        operation_id="categories_matrice",
        description="Quels types d'organisation lisent quelles catégories d'information.",
        responses={200: s.MatriceCategoriesSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response({"autorisations": selectors.matrice_categories()})

    @extend_schema(
        operation_id="categories_remplacer",
        description=(
            "Remplace toute la matrice des catégories d'information lisibles par "
            "type d'organisation."
        ),
        request=s.MatriceCategoriesSerializer,
        responses={200: s.MatriceCategoriesSerializer},
    )
    def put(self, request: Request) -> Response:
        entree = s.MatriceCategoriesSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.matrice_categories_remplacer(
            autorisations=entree.validated_data["autorisations"], acteur=_acteur(request)
        )
        return Response({"autorisations": selectors.matrice_categories()})


class CharteListView(APIView):
    permission_classes = [EstAdministrateur]

    @extend_schema(
        operation_id="chartes_publier",
        description=(
            "Réservé à l'administrateur technique (403 sinon) : publie la version suivante de "
            "la charte de confidentialité, en vigueur à l'instant. Chacun doit l'accepter "
            "avant tout nouvel accès aux données personnelles (403 charte_non_acceptee)."
        ),
        request=s.CharteEntreeSerializer,
        responses={201: s.CharteSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.CharteEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        charte = services.charte_publier(acteur=_acteur(request), **entree.validated_data)
        return Response(s.CharteSerializer(charte).data, status=status.HTTP_201_CREATED)


def _charte_courante() -> Any:
    charte = selectors.charte_courante()
    if charte is None:
        raise ApiError(404, "aucune_charte", "Aucune charte de confidentialité n'est en vigueur.")
    return charte


class CharteCouranteView(APIView):
    @extend_schema(
        operation_id="chartes_courante",
        description=(
            "La charte de confidentialité en vigueur, et si vous l'avez acceptée ; ouvert à "
            "tout compte connecté. 404 aucune_charte si aucune n'est en vigueur."
        ),
        responses={200: s.CharteCouranteSerializer},
    )
    def get(self, request: Request) -> Response:
        charte = _charte_courante()
        charte.acceptee = selectors.charte_acceptee(_acteur(request))
        return Response(s.CharteCouranteSerializer(charte).data)


class _AcceptationEntree(EntreeStricte):
    """No field: the acceptance is of the charter in force, nothing else is accepted."""


class CharteAcceptationView(APIView):
    @extend_schema(
        operation_id="chartes_accepter",
        description=(
            "Accepte la charte de confidentialité en vigueur, condition de tout accès aux "
            "données personnelles ; corps vide, accepter deux fois ne change rien. 404 "
            "aucune_charte si aucune n'est en vigueur."
        ),
        request=None,
        responses={201: s.CharteCouranteSerializer},
    )
    def post(self, request: Request) -> Response:
        _AcceptationEntree(data=request.data or {}).is_valid(raise_exception=True)
        charte = _charte_courante()
        services.charte_accepter(charte=charte, acteur=_acteur(request))
        charte.acceptee = True
        return Response(s.CharteCouranteSerializer(charte).data, status=status.HTTP_201_CREATED)
