"""Authentication actions: login, OTP step-up, API tokens, password reset, account creation."""

from __future__ import annotations

import base64
import enum
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.models import Device
from rest_framework.request import Request

from acces import ports
from acces import services as services_acces
from acces.auth import throttling
from acces.auth.authentication import (
    CLE_ACTIVITE,
    CLE_CONNEXION,
    CLE_OTP,
    a_une_habilitation_active,
    empreinte_jeton,
    maintenant,
)
from acces.auth.models import TOTP_CHIFFRES, TOTP_PAS, AppareilTotp, CleSecurite, JetonApi
from acces.auth.sessions import session_enregistrer, session_oublier, sessions_fermer
from acces.crypto.champs import chiffrer
from acces.crypto.models import CleDonnees, SecretTotp
from acces.enums import ROLES_DONNEES_PERSONNELLES
from acces.evenements import ActionAcces, Raison
from acces.models import Commune, Habilitation, Organisation, Utilisateur
from socle import outbox
from socle.errors import ApiError

JETON_DUREE_DEFAUT_JOURS = 30
JETON_DUREE_MAX_JOURS = 90
VERIFICATION_RECENTE_SECONDES = 5 * 60

generateur_reinitialisation = PasswordResetTokenGenerator()
# Security events (ASVS 16.3.1): opaque ids only, never a username typed by the caller.
logger = logging.getLogger("acces.auth")


def echec_connexion() -> ApiError:
    """The only answer to a failed login, whatever the reason (no enumeration, ASVS 6.3.8)."""
    return ApiError(401, "identifiants_invalides", "Identifiant, mot de passe ou code invalide.")


def _appareils(user: Utilisateur) -> list[AppareilTotp]:
    return list(
        AppareilTotp.objects.devices_for_user(user, confirmed=True).select_related(
            "secret", "secret__cle"
        )
    )


def otp_verifier(*, user: Utilisateur, code: str) -> AppareilTotp | None:
    """Check a TOTP code with django-otp (throttled per device, each code usable once)."""
    for appareil in _appareils(user):
        verifie = django_otp.verify_token(user, appareil.persistent_id, code)
        if isinstance(verifie, AppareilTotp):
            return verifie
    return None


@transaction.atomic
def appareil_totp_creer(
    *, utilisateur: Utilisateur, graine: bytes | None = None, nom: str = "principal"
) -> tuple[AppareilTotp, bytes]:
    """A confirmed TOTP device whose seed is stored encrypted under its own data key.

    Returns the device and the seed, which the caller shows once (provisioning URI).
    """
    graine = graine if graine is not None else secrets.token_bytes(20)
    cle = CleDonnees.nouvelle()
    cle.save()
    secret = SecretTotp(utilisateur=utilisateur, cle=cle)
    chiffrer(secret, "graine", graine.hex())
    secret.save()
    appareil = AppareilTotp.objects.create(
        user=utilisateur, name=nom, confirmed=True, secret=secret
    )
    return appareil, graine


def uri_provisionnement(utilisateur: Utilisateur, graine: bytes) -> str:
    """``otpauth://`` URI for authenticator apps (RFC 6238 defaults: SHA-1, 6 digits, 30 s)."""
    emetteur = str(getattr(settings, "OTP_TOTP_ISSUER", "Suivi des cellules"))
    parametres = urlencode(
        {
            "secret": base64.b32encode(graine).decode("ascii").rstrip("="),
            "issuer": emetteur,
            "digits": TOTP_CHIFFRES,
            "period": TOTP_PAS,
        }
    )
    return f"otpauth://totp/{quote(emetteur)}:{quote(utilisateur.username)}?{parametres}"


def compte_utilisable(user: Any) -> bool:
    return (
        isinstance(user, Utilisateur)
        and user.is_active
        and not user.is_superuser
        and a_une_habilitation_active(user)
    )


def cle_exigee(user: Utilisateur) -> bool:
    """Owns a security key and holds a role that must then log in with it (checklist A2)."""
    roles = list(getattr(settings, "WEBAUTHN_ROLES_EXIGES", []))
    if not roles or not CleSecurite.objects.filter(user=user, confirmed=True).exists():
        return False
    return Habilitation.objects.actives().filter(utilisateur=user, role__in=roles).exists()


@dataclass(frozen=True)
class Limites:
    """Throttling keys of one login attempt: the username as typed, the client address."""

    compte: str | None
    adresse: str

    def cles(self) -> list[str]:
        return [cle for cle in (self.compte, self.adresse) if cle]


def limites_connexion(request: Request, username: str) -> Limites:
    """The counters shared by every way of logging in; 429 while one of them waits."""
    limites = Limites(
        compte=throttling.cle_compte("connexion", username),
        adresse=throttling.cle_adresse("connexion", throttling.adresse_client(request)),
    )
    throttling.verifier(*limites.cles())
    return limites


def connexion_refuser(
    *, request: Request, limites: Limites, user: Utilisateur | None = None
) -> ApiError:
    """Count the failure, log it (ids only) and return the one generic 401 to raise."""
    if limites.compte:
        throttling.enregistrer_echec(limites.compte, throttling.COMPTE)
    throttling.enregistrer_echec(limites.adresse, throttling.ADRESSE)
    logger.warning("connexion_refusee")
    _journaliser_connexion(request, user, False)
    return echec_connexion()


def mot_de_passe_verifier(*, request: Request, username: str, password: str) -> Utilisateur | None:
    """The account whose password this is (usable or not: see ``compte_utilisable``).

    ``authenticate()`` hashes a dummy password for unknown users and checks inactive ones too,
    so every path costs one password hash.
    """
    user = authenticate(request._request, username=username, password=password)
    return user if isinstance(user, Utilisateur) else None


def session_ouvrir(
    *, request: Request, user: Utilisateur, appareil: Device, limites: Limites
) -> None:
    """A fresh session (key cycled by ``login``) marked verified by ``appareil``."""
    if limites.compte:
        throttling.effacer(limites.compte)
    django_request: HttpRequest = request._request
    login(django_request, user, backend="django.contrib.auth.backends.ModelBackend")
    django_otp.login(django_request, appareil)
    instant = maintenant()
    django_request.session[CLE_CONNEXION] = instant
    django_request.session[CLE_ACTIVITE] = instant
    django_request.session[CLE_OTP] = instant
    django_request.session.save()
    session_enregistrer(utilisateur=user, cle_session=django_request.session.session_key)
    logger.info("connexion_ouverte utilisateur=%s", user.pk)
    _journaliser_connexion(request, user, True)


def connexion_ouvrir(*, request: Request, username: str, password: str, otp: str) -> Utilisateur:
    """Password + TOTP, then a fresh session (key cycled by ``login``) marked OTP-verified.

    An account that must use its security key (``cle_exigee``) gets the same generic 401.
    """
    limites = limites_connexion(request, username)
    user = mot_de_passe_verifier(request=request, username=username, password=password)
    appareil = None
    if user is not None and compte_utilisable(user) and not cle_exigee(user):
        appareil = otp_verifier(user=user, code=otp)
    if user is None or appareil is None:
        raise connexion_refuser(request=request, limites=limites, user=user)
    session_ouvrir(request=request, user=user, appareil=appareil, limites=limites)
    return user


def _journaliser_connexion(request: Request, user: Utilisateur | None, reussie: bool) -> None:
    """Logins and failed logins go to the access log (ASVS 16.3.1), ids only."""
    ports.consigner_evenement_securite(
        "" if reussie else Raison.IDENTIFIANTS_INVALIDES,
        request=request,
        action=ActionAcces.CONNEXION if reussie else ActionAcces.ECHEC_CONNEXION,
        utilisateur=user,
        refuse=not reussie,
    )


def connexion_fermer(*, request: Request) -> None:
    session_oublier(request._request.session.session_key)
    logout(request._request)


def verification_enregistrer(*, request: Request, otp: str) -> float:
    """Step-up: a new TOTP code refreshes the time of the last verification.

    An account that must use its security key (``cle_exigee``) steps up with the key only.
    """
    user = request.user
    assert isinstance(user, Utilisateur)
    if cle_exigee(user):
        raise ApiError(
            400,
            "cle_securite_exigee",
            "Votre rôle exige votre clé de sécurité pour cette vérification.",
        )
    cle = throttling.cle_compte("verification", user.username)
    throttling.verifier(cle)
    if otp_verifier(user=user, code=otp) is None:
        throttling.enregistrer_echec(cle, throttling.COMPTE)
        logger.warning("verification_refusee utilisateur=%s", user.pk)
        raise ApiError(400, "otp_invalide", "Code de vérification invalide.")
    throttling.effacer(cle)
    instant = maintenant()
    request._request.session[CLE_OTP] = instant
    return instant


class Verification(enum.Enum):
    """Outcome of the step-up check of one request."""

    RECENTE = "recente"
    ABSENTE = "absente"  # no code sent, or the session's check is missing or too old
    CODE_INVALIDE = "code_invalide"  # an ``X-OTP`` code was sent and is wrong or used
    CLE_EXIGEE = "cle_exigee"  # a TOTP code never stands in for a required security key


def verification(request: Request) -> Verification:
    """Whether the session's last TOTP check is less than five minutes old.

    Under a Bearer token there is no session: the code travels in the ``X-OTP`` header of the
    request itself and is checked (and consumed) now.
    """
    user = request.user
    if not isinstance(user, Utilisateur):
        return Verification.ABSENTE
    if isinstance(request.auth, JetonApi):
        code = str(request.META.get("HTTP_X_OTP", ""))
        if cle_exigee(user):
            return Verification.CLE_EXIGEE
        if not code:
            return Verification.ABSENTE
        if not code.isdigit() or len(code) > 8:
            return Verification.CODE_INVALIDE
        cle = throttling.cle_compte("verification", user.username)
        throttling.verifier(cle)
        if otp_verifier(user=user, code=code) is None:
            throttling.enregistrer_echec(cle, throttling.COMPTE)
            return Verification.CODE_INVALIDE
        return Verification.RECENTE
    verifie_le = request._request.session.get(CLE_OTP)
    if not isinstance(verifie_le, (int, float)):
        return Verification.ABSENTE
    if maintenant() - verifie_le <= VERIFICATION_RECENTE_SECONDES:
        return Verification.RECENTE
    return Verification.ABSENTE


def verification_recente(request: Request) -> bool:
    """True when the request carries a step-up less than five minutes old."""
    return verification(request) is Verification.RECENTE


@dataclass(frozen=True)
class JetonEmis:
    jeton: JetonApi
    valeur: str


def jeton_creer(*, utilisateur: Utilisateur, libelle: str, duree_jours: int) -> JetonEmis:
    """A random 256-bit token; only its SHA-256 is stored, the value is returned once."""
    if not 1 <= duree_jours <= JETON_DUREE_MAX_JOURS:
        raise ApiError(400, "duree_invalide", "Durée de validité invalide.")
    valeur = secrets.token_urlsafe(32)
    instant = timezone.now()
    jeton = JetonApi.objects.create(
        utilisateur=utilisateur,
        hash=empreinte_jeton(valeur),
        libelle=libelle,
        cree_le=instant,
        expire_le=instant + timedelta(days=duree_jours),
    )
    logger.info("jeton_cree jeton=%s utilisateur=%s", jeton.pk, utilisateur.pk)
    return JetonEmis(jeton=jeton, valeur=valeur)


def jeton_revoquer(*, utilisateur: Utilisateur, jeton_id: Any) -> None:
    """Own tokens only; anything else is 'not found', like a missing token."""
    with transaction.atomic():
        modifies = ports.mettre_a_jour(
            JetonApi.objects.filter(pk=jeton_id, utilisateur=utilisateur, revoque_le__isnull=True),
            revoque_le=timezone.now(),
        )
    if not modifies:
        raise ApiError.introuvable()
    logger.info("jeton_revoque jeton=%s utilisateur=%s", jeton_id, utilisateur.pk)


def lien_reinitialisation(user: Utilisateur) -> tuple[str, str, str]:
    """(uid, token, link) for setting a password; valid PASSWORD_RESET_TIMEOUT, single use."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = generateur_reinitialisation.make_token(user)
    base = str(getattr(settings, "URL_REINITIALISATION_MOT_DE_PASSE", "/mot-de-passe/"))
    return uid, token, f"{base}?uid={uid}&token={token}"


def mot_de_passe_oubli(*, request: Request, username: str) -> None:
    """Send a reset link if the account exists; the caller answers the same in every case."""
    cle_adresse = throttling.cle_adresse("oubli", throttling.adresse_client(request))
    throttling.verifier(cle_adresse)
    throttling.enregistrer_echec(cle_adresse, throttling.ADRESSE)
    cle_compte = throttling.cle_compte("oubli", username)
    if throttling.attente(cle_compte):
        return  # silently: the answer must not differ
    throttling.enregistrer_echec(cle_compte, throttling.COMPTE)
    # Both paths do the same work (one lookup, one outbox row, one publish): the answer takes
    # the same time whether the account exists or not. The task checks the account itself
    # and sends nothing for an unknown id or an account that cannot be reset.
    user_id = Utilisateur.objects.filter(username=username).values_list("pk", flat=True).first()
    with transaction.atomic():
        outbox.enqueue(
            "acces.envoyer_lien_reinitialisation", utilisateur_id=user_id or uuid.uuid4()
        )


def reinitialisation_possible(user: Utilisateur) -> bool:
    return compte_utilisable(user) and bool(user.email)


def lien_invalide() -> ApiError:
    return ApiError(400, "lien_invalide", "Lien ou code de vérification invalide ou expiré.")


def _utilisateur_du_lien(uid: str, token: str) -> Utilisateur:
    try:
        pk = uuid.UUID(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        raise lien_invalide() from None
    user = Utilisateur.objects.filter(pk=pk).first()
    if user is None or not generateur_reinitialisation.check_token(user, token):
        raise lien_invalide()
    if not compte_utilisable(user):
        raise lien_invalide()
    return user


def mot_de_passe_reinitialiser(
    *, request: Request, uid: str, token: str, mot_de_passe: str, otp: str
) -> None:
    """Link + TOTP code (a reset never bypasses MFA); then every session and token ends.

    Every server-side session of the account is deleted and its API tokens are revoked (the
    new password hash would refuse the old sessions on their next request anyway).
    """
    cle_adresse = throttling.cle_adresse("reinitialisation", throttling.adresse_client(request))
    throttling.verifier(cle_adresse)
    try:
        user = _utilisateur_du_lien(uid, token)
    except ApiError:
        throttling.enregistrer_echec(cle_adresse, throttling.ADRESSE)
        raise
    mot_de_passe_valider(mot_de_passe, user, champ="nouveau_mot_de_passe")
    if otp_verifier(user=user, code=otp) is None:
        throttling.enregistrer_echec(cle_adresse, throttling.ADRESSE)
        raise lien_invalide()
    with transaction.atomic():
        user.set_password(mot_de_passe)
        user.save(update_fields=["password"])
        sessions_fermer(utilisateur=user)
    logger.info("mot_de_passe_reinitialise utilisateur=%s", user.pk)
    if user.email:
        send_mail(
            "Votre mot de passe a été modifié",
            "Le mot de passe de votre compte vient d'être modifié. Si vous n'êtes pas à "
            "l'origine de ce changement, prévenez immédiatement votre administrateur.",
            None,
            [user.email],
        )


def mot_de_passe_valider(mot_de_passe: str, user: Utilisateur, *, champ: str) -> None:
    """Django's validators (settings), as a 400 in the common error shape."""
    try:
        validate_password(mot_de_passe, user)
    except DjangoValidationError as exc:
        raise ApiError.donnees_invalides({champ: list(exc.messages)}) from None


@dataclass(frozen=True)
class CompteCree:
    habilitation: Habilitation
    utilisateur: Utilisateur
    uri_totp: str
    uid: str
    token: str
    lien: str


@transaction.atomic
def compte_creer(
    *,
    username: str,
    role: str,
    organisation: Organisation,
    communes: list[Commune],
    ressort: str = "",
    email: str = "",
    perimetre_cispd: bool = False,
) -> CompteCree:
    """A human account: no usable password yet, one TOTP device, never staff or superuser."""
    if Utilisateur.objects.filter(username__iexact=username).exists():
        raise ValueError("username_existant")
    user = Utilisateur(username=username, email=email, organisation=organisation)
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # From the server's console: a role that reads personal data still waits for a second
    # person's approval through the API (issue 9, item 2).
    habilitation = Habilitation.objects.create(
        utilisateur=user,
        role=role,
        ressort=ressort,
        perimetre_cispd=perimetre_cispd,
        approuvee_le=None if role in ROLES_DONNEES_PERSONNELLES else timezone.now(),
    )
    habilitation.communes.set(communes)
    services_acces.evenement_securite(
        Raison.HABILITATION_ACCORDEE, services_acces.TYPE_HABILITATION, habilitation.pk, None
    )
    _, graine = appareil_totp_creer(utilisateur=user)
    uid, token, lien = lien_reinitialisation(user)
    return CompteCree(
        habilitation=habilitation,
        utilisateur=user,
        uri_totp=uri_provisionnement(user, graine),
        uid=uid,
        token=token,
        lien=lien,
    )
