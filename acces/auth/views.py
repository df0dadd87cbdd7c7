"""Authentication routes under /api/v1/auth/: thin views over ``acces.auth.services``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces.auth import cles, services
from acces.auth.authentication import (
    CLE_CONNEXION,
    SessionMfaAuthentication,
    duree_absolue,
    inactivite_max,
)
from acces.auth.models import CleSecurite, JetonApi
from acces.auth.permissions import SessionUniquement, VerificationRecente
from acces.auth.serializers import (
    AssertionCorpsEntree,
    CleSecuriteEntree,
    CleSecuriteSerializer,
    ConnexionCleOptionsEntree,
    ConnexionEntree,
    ConnexionSortie,
    ErreurSortie,
    JetonCreeSerializer,
    JetonEntree,
    JetonSerializer,
    MessageSortie,
    OptionsCleSortie,
    OubliEntree,
    ReinitialisationEntree,
    VerificationEntree,
    VerificationSortie,
)
from acces.models import Utilisateur

TAG = ["authentification"]


def _horodatage(valeur: float) -> datetime:
    return datetime.fromtimestamp(valeur, tz=UTC)


class ConnexionView(APIView):
    """Ouvre une session : identifiant, mot de passe et code TOTP."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_connexion",
        tags=TAG,
        request=ConnexionEntree,
        responses={200: ConnexionSortie, 400: ErreurSortie, 401: ErreurSortie, 429: ErreurSortie},
        description=(
            "Réponse 401 identique quelle que soit la cause (identifiant inconnu, mot de passe "
            "ou code faux, compte inactif ou sans habilitation). Renvoie le jeton CSRF ; le "
            "cookie de session est posé."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = ConnexionEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        user = services.connexion_ouvrir(request=request, **entree.validated_data)
        return _reponse_connexion(request, user)


def _reponse_connexion(request: Request, user: Utilisateur) -> Response:
    """The body of every successful login: the account, the CSRF token, the session limits."""
    debut = request._request.session[CLE_CONNEXION]
    sortie = {
        "utilisateur": user,
        "csrf_token": get_token(request._request),
        "inactivite_max_secondes": inactivite_max(),
        "expire_le": _horodatage(debut) + timedelta(seconds=duree_absolue()),
    }
    return Response(ConnexionSortie(sortie).data)


DESCRIPTION_ECHEC = (
    "Réponse 401 identifiants_invalides identique à celle de POST /api/v1/auth/connexion/, "
    "quelle que soit la cause ; mêmes compteurs de limitation que la connexion par mot de passe."
)


class ConnexionCleOptionsView(APIView):
    """Connexion par clé de sécurité, étape 1 : identifiant et mot de passe."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_connexion_cle_options",
        tags=TAG,
        request=ConnexionCleOptionsEntree,
        responses={200: OptionsCleSortie, 400: ErreurSortie, 401: ErreurSortie, 429: ErreurSortie},
        description=(
            "Mot de passe juste d'un compte utilisable qui possède au moins une clé : options "
            "de navigator.credentials.get() limitées aux clés de ce compte ; le défi, lié au "
            "compte, est gardé dans la session (cookie posé) cinq minutes, pour un seul essai. "
            + DESCRIPTION_ECHEC
            + " Un compte sans clé reçoit aussi 401."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = ConnexionCleOptionsEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        options = cles.connexion_options(request=request, **entree.validated_data)
        return Response({"publicKey": options})


class ConnexionCleView(APIView):
    """Connexion par clé de sécurité, étape 2 : la réponse signée de la clé."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_connexion_cle",
        tags=TAG,
        request=AssertionCorpsEntree,
        responses={200: ConnexionSortie, 400: ErreurSortie, 401: ErreurSortie, 429: ErreurSortie},
        description=(
            "Vérifie la signature contre le défi de l'étape 1 (usage unique) et les seules clés "
            "du compte de l'étape 1, puis ouvre la session comme POST /api/v1/auth/connexion/. "
            + DESCRIPTION_ECHEC
        ),
    )
    def post(self, request: Request) -> Response:
        entree = AssertionCorpsEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        user = cles.connexion_ouvrir(request=request, **entree.validated_data)
        return _reponse_connexion(request, user)


class DeconnexionView(APIView):
    """Ferme la session côté serveur ; son cookie ne vaut plus rien."""

    authentication_classes = [SessionMfaAuthentication]

    @extend_schema(
        operation_id="auth_deconnexion",
        tags=TAG,
        request=None,
        responses={204: None, 401: ErreurSortie, 403: ErreurSortie},
        description=(
            "Session uniquement, avec le jeton CSRF (403 csrf_invalide sans lui). Supprime "
            "cette session côté serveur : son cookie ne vaut plus rien ; les autres sessions "
            "et les jetons d'API du compte restent valables."
        ),
    )
    def post(self, request: Request) -> Response:
        services.connexion_fermer(request=request)
        return Response(status=204)


def _reponse_verification(instant: float) -> Response:
    """When the step-up happened and until when it counts."""
    verifie_le = _horodatage(instant)
    sortie = {
        "verifie_le": verifie_le,
        "valable_jusqu_a": verifie_le + timedelta(seconds=services.VERIFICATION_RECENTE_SECONDES),
    }
    return Response(VerificationSortie(sortie).data)


class VerificationView(APIView):
    """Vérification renforcée : un code TOTP récent, exigé avant les actions sensibles."""

    authentication_classes = [SessionMfaAuthentication]

    @extend_schema(
        operation_id="auth_verification",
        tags=TAG,
        request=VerificationEntree,
        responses={200: VerificationSortie, 400: ErreurSortie, 401: ErreurSortie},
        description=(
            "Vérification renforcée en session (avec un jeton d'API, envoyer plutôt l'en-tête "
            "X-OTP avec la requête sensible) : un code TOTP juste vaut vérification pendant cinq "
            "minutes. 400 otp_invalide pour un code faux ou déjà utilisé ; 400 "
            "cle_securite_exigee si le rôle du compte impose sa clé de sécurité ; 429 après "
            "des échecs répétés."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = VerificationEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        instant = services.verification_enregistrer(
            request=request, otp=entree.validated_data["otp"]
        )
        return _reponse_verification(instant)


class VerificationCleOptionsView(APIView):
    """Vérification renforcée par clé de sécurité, étape 1."""

    authentication_classes = [SessionMfaAuthentication]

    @extend_schema(
        operation_id="auth_verification_cle_options",
        tags=TAG,
        request=None,
        responses={200: OptionsCleSortie, 400: ErreurSortie, 401: ErreurSortie},
        description="Options de navigator.credentials.get() pour les clés du compte connecté.",
    )
    def post(self, request: Request) -> Response:
        return Response({"publicKey": cles.verification_options(request=request)})


class VerificationCleView(APIView):
    """Vérification renforcée par clé de sécurité, étape 2 : vaut un code TOTP récent."""

    authentication_classes = [SessionMfaAuthentication]

    @extend_schema(
        operation_id="auth_verification_cle",
        tags=TAG,
        request=AssertionCorpsEntree,
        responses={200: VerificationSortie, 400: ErreurSortie, 401: ErreurSortie},
        description=(
            "Session uniquement. Vérifie la réponse signée contre le défi de l'étape 1 (usage "
            "unique, compte connecté) ; vaut un code TOTP juste pendant cinq minutes. 400 "
            "cle_invalide si la réponse est fausse, expirée ou déjà utilisée ; 429 après des "
            "échecs répétés (mêmes compteurs que POST /api/v1/auth/verification/)."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = AssertionCorpsEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        instant = cles.verification_enregistrer(
            request=request, credential=entree.validated_data["credential"]
        )
        return _reponse_verification(instant)


class ClesSecuriteOptionsView(APIView):
    """Enregistrement d'une clé de sécurité, étape 1."""

    permission_classes = [IsAuthenticated, SessionUniquement, VerificationRecente]

    @extend_schema(
        operation_id="auth_cles_securite_options",
        tags=TAG,
        request=None,
        responses={200: OptionsCleSortie, 401: ErreurSortie, 403: ErreurSortie, 409: ErreurSortie},
        description=(
            "Session uniquement, avec une vérification de moins de cinq minutes. Options de "
            "navigator.credentials.create() (vérification de l'utilisateur exigée, clés déjà "
            "enregistrées exclues) ; le défi est gardé dans la session cinq minutes, une fois."
        ),
    )
    def post(self, request: Request) -> Response:
        return Response({"publicKey": cles.enregistrement_options(request=request)})


class _CreationVerifiee(APIView):
    """Listing for any authenticated caller; creating needs a session and a recent step-up."""

    def get_permissions(self) -> Sequence[BasePermission]:
        permissions: list[BasePermission] = [IsAuthenticated()]
        if self.request.method == "POST":
            permissions += [SessionUniquement(), VerificationRecente()]
        return permissions


class ClesSecuriteView(_CreationVerifiee):
    """Clés de sécurité (WebAuthn / FIDO2) du compte connecté."""

    @extend_schema(
        operation_id="auth_cles_securite_liste",
        tags=TAG,
        responses={200: CleSecuriteSerializer(many=True), 401: ErreurSortie},
        description=(
            "Clés de sécurité du compte connecté (libellé, date d'enregistrement, dernier "
            "usage), en session ou avec un jeton d'API ; jamais les clés d'un autre compte."
        ),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, Utilisateur)
        liste = CleSecurite.objects.filter(user=user)
        return Response(CleSecuriteSerializer(liste, many=True).data)

    @extend_schema(
        operation_id="auth_cles_securite_creer",
        tags=TAG,
        request=CleSecuriteEntree,
        responses={
            201: CleSecuriteSerializer,
            400: ErreurSortie,
            401: ErreurSortie,
            403: ErreurSortie,
            409: ErreurSortie,
        },
        description=(
            "Session uniquement, avec une vérification de moins de cinq minutes. Vérifie la "
            "réponse de la clé contre le défi de l'étape 1, l'identifiant de la partie de "
            "confiance et les origines permises ; 409 si la clé est déjà enregistrée."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = CleSecuriteEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        cle = cles.cle_enregistrer(request=request, **entree.validated_data)
        return Response(CleSecuriteSerializer(cle).data, status=201)


class CleSecuriteDetailView(APIView):
    permission_classes = [IsAuthenticated, SessionUniquement, VerificationRecente]

    @extend_schema(
        operation_id="auth_cles_securite_supprimer",
        tags=TAG,
        parameters=[OpenApiParameter("id", UUID, OpenApiParameter.PATH)],
        responses={
            204: None,
            401: ErreurSortie,
            403: ErreurSortie,
            404: ErreurSortie,
            409: ErreurSortie,
        },
        description=(
            "Session uniquement, avec une vérification de moins de cinq minutes. La dernière "
            "clé d'un rôle qui l'exige (WEBAUTHN_ROLES_EXIGES) n'est pas supprimée : 409 "
            "derniere_cle. Les sessions ouvertes avec la clé supprimée prennent fin."
        ),
    )
    def delete(self, request: Request, id: UUID) -> Response:
        user = request.user
        assert isinstance(user, Utilisateur)
        cles.cle_supprimer(utilisateur=user, cle_id=id)
        return Response(status=204)


class JetonsView(_CreationVerifiee):
    """Jetons d'API personnels, pour les scripts."""

    @extend_schema(
        operation_id="auth_jetons_liste",
        tags=TAG,
        responses={200: JetonSerializer(many=True), 401: ErreurSortie},
        description=(
            "Jetons d'API du compte connecté, y compris révoqués ou échus (libellé, dates, "
            "dernier usage) ; leur valeur n'est jamais renvoyée."
        ),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, Utilisateur)
        jetons = JetonApi.objects.filter(utilisateur=user)
        return Response(JetonSerializer(jetons, many=True).data)

    @extend_schema(
        operation_id="auth_jetons_creer",
        tags=TAG,
        request=JetonEntree,
        responses={
            201: JetonCreeSerializer,
            400: ErreurSortie,
            401: ErreurSortie,
            403: ErreurSortie,
        },
        description=(
            "Session uniquement, avec une vérification TOTP de moins de cinq minutes (connexion "
            "récente ou POST /api/v1/auth/verification/). La valeur du jeton n'est montrée "
            "qu'une fois ; seule son empreinte SHA-256 est conservée."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = JetonEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, Utilisateur)
        emis = services.jeton_creer(utilisateur=user, **entree.validated_data)
        donnees = {**JetonSerializer(emis.jeton).data, "jeton": emis.valeur}
        return Response(donnees, status=201)


class JetonDetailView(APIView):
    @extend_schema(
        operation_id="auth_jetons_revoquer",
        tags=TAG,
        parameters=[OpenApiParameter("id", UUID, OpenApiParameter.PATH)],
        responses={204: None, 401: ErreurSortie, 404: ErreurSortie},
        description=(
            "Révoque à l'instant un jeton d'API du compte connecté. Le jeton d'un autre compte "
            "ou déjà révoqué répond 404, comme un jeton absent."
        ),
    )
    def delete(self, request: Request, id: UUID) -> Response:
        user = request.user
        assert isinstance(user, Utilisateur)
        services.jeton_revoquer(utilisateur=user, jeton_id=id)
        return Response(status=204)


MESSAGE_OUBLI = (
    "Si ce compte existe et dispose d'une adresse, un lien de réinitialisation a été envoyé."
)


class MotDePasseOubliView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_mot_de_passe_oubli",
        tags=TAG,
        request=OubliEntree,
        responses={202: MessageSortie, 400: ErreurSortie, 429: ErreurSortie},
        description="Même réponse que le compte existe ou non.",
    )
    def post(self, request: Request) -> Response:
        entree = OubliEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        services.mot_de_passe_oubli(request=request, username=entree.validated_data["username"])
        return Response({"message": MESSAGE_OUBLI}, status=202)


class MotDePasseReinitialisationView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_mot_de_passe_reinitialisation",
        tags=TAG,
        request=ReinitialisationEntree,
        responses={204: None, 400: ErreurSortie, 429: ErreurSortie},
        description=(
            "Lien à usage unique valable une heure ; le code TOTP reste exigé. Met fin aux autres "
            "sessions et révoque les jetons d'API du compte."
        ),
    )
    def post(self, request: Request) -> Response:
        entree = ReinitialisationEntree(data=request.data)
        entree.is_valid(raise_exception=True)
        donnees = entree.validated_data
        services.mot_de_passe_reinitialiser(
            request=request,
            uid=donnees["uid"],
            token=donnees["token"],
            mot_de_passe=donnees["nouveau_mot_de_passe"],
            otp=donnees["otp"],
        )
        return Response(status=204)
