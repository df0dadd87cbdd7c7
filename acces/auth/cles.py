"""Security keys (WebAuthn / FIDO2): registration, login and step-up ceremonies (checklist A2).

Each ceremony keeps its challenge in the server-side session, bound to one account, for five
minutes and for one answer: the challenge leaves the session before the answer is checked,
whatever the outcome, so a replayed assertion finds nothing to match. User verification (PIN or
biometrics on the key) is required (ASVS 6.3.3, L3); attestation is not asked for ("none").

An assertion is only checked against the keys of the account the challenge was issued for: a
key of another account cannot finish a login. The signature counter must grow when either side
is non-zero; a counter that does not grow after a valid signature means a cloned key: refused,
and a security event is written.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from acces import ports
from acces.auth import throttling
from acces.auth.authentication import CLE_OTP, maintenant
from acces.auth.models import CleSecurite
from acces.auth.services import (
    Limites,
    cle_exigee,
    compte_utilisable,
    connexion_refuser,
    limites_connexion,
    mot_de_passe_verifier,
    session_ouvrir,
)
from acces.evenements import ActionAcces, Raison
from acces.models import Utilisateur
from socle.errors import ApiError

DUREE_DEFI_SECONDES = 5 * 60
CLES_MAX_PAR_COMPTE = 10
# Session entries of the pending ceremonies (JSON: base64url challenge, expiry, account id).
SESSION_ENREGISTREMENT = "acces.webauthn.enregistrement"
SESSION_CONNEXION = "acces.webauthn.connexion"
SESSION_VERIFICATION = "acces.webauthn.verification"

logger = logging.getLogger("acces.auth")

Options = dict[str, Any]


def cle_refusee() -> ApiError:
    return ApiError(
        400, "cle_invalide", "Réponse de la clé de sécurité invalide, expirée ou déjà utilisée."
    )


def _rp_id() -> str:
    return str(settings.WEBAUTHN_RP_ID)


def _origines() -> list[str]:
    return [str(origine) for origine in settings.WEBAUTHN_ORIGINES]


def _json(options: Any) -> Options:
    donnees: Options = json.loads(options_to_json(options))
    return donnees


def _descripteur(cle: CleSecurite) -> PublicKeyCredentialDescriptor:
    transports = []
    for valeur in cle.transports or []:
        try:
            transports.append(AuthenticatorTransport(valeur))
        except ValueError:
            continue
    return PublicKeyCredentialDescriptor(id=bytes(cle.identifiant), transports=transports or None)


def _defi_garder(
    request: Request, entree: str, defi: bytes, user: Utilisateur, **extra: str
) -> None:
    request._request.session[entree] = {
        "defi": bytes_to_base64url(defi),
        "expire": maintenant() + DUREE_DEFI_SECONDES,
        "utilisateur": str(user.pk),
        **extra,
    }


def _defi_prendre(request: Request, entree: str) -> dict[str, Any] | None:
    """Remove the pending challenge from the session (single use); None if absent or expired."""
    session = request._request.session
    attente = session.pop(entree, None)
    if attente is not None:
        # Saved now, not at the end of the response: the challenge is spent even on an error.
        session.save()
    if not isinstance(attente, dict):
        return None
    expire = attente.get("expire")
    if not isinstance(expire, (int, float)) or maintenant() > expire:
        return None
    return attente


def _identifiant(credential: dict[str, Any]) -> bytes | None:
    try:
        return base64url_to_bytes(str(credential.get("rawId", "")))
    except ValueError:
        return None


# --- Registration ---------------------------------------------------------------------------


def enregistrement_options(*, request: Request) -> Options:
    """Options for ``navigator.credentials.create()``; the account's keys are excluded."""
    user = request.user
    assert isinstance(user, Utilisateur)
    cles = list(CleSecurite.objects.filter(user=user))
    if len(cles) >= CLES_MAX_PAR_COMPTE:
        raise ApiError(
            409,
            "trop_de_cles",
            f"Pas plus de {CLES_MAX_PAR_COMPTE} clés de sécurité par compte.",
        )
    options = generate_registration_options(
        rp_id=_rp_id(),
        rp_name=str(settings.WEBAUTHN_RP_NOM),
        user_id=user.pk.bytes,
        user_name=user.username,
        user_display_name=user.username,
        timeout=DUREE_DEFI_SECONDES * 1000,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[_descripteur(cle) for cle in cles],
    )
    _defi_garder(request, SESSION_ENREGISTREMENT, options.challenge, user)
    return _json(options)


def cle_enregistrer(*, request: Request, libelle: str, credential: dict[str, Any]) -> CleSecurite:
    """Check the browser's answer (pending challenge, RP id, origins), then store the key."""
    user = request.user
    assert isinstance(user, Utilisateur)
    attente = _defi_prendre(request, SESSION_ENREGISTREMENT)
    if attente is None or attente.get("utilisateur") != str(user.pk):
        raise cle_refusee()
    try:
        verifiee = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(attente["defi"]),
            expected_rp_id=_rp_id(),
            expected_origin=_origines(),
            require_user_verification=True,
        )
    except Exception:  # noqa: BLE001 - untrusted bytes into a parser: any failure is a refusal
        logger.warning("cle_securite_refusee utilisateur=%s", user.pk)
        raise cle_refusee() from None
    transports = (credential.get("response") or {}).get("transports") or []
    if CleSecurite.objects.filter(identifiant=verifiee.credential_id).exists():
        raise _deja_enregistree()
    try:
        with transaction.atomic():
            cle = CleSecurite.objects.create(
                user=user,
                name=libelle,
                confirmed=True,
                identifiant=verifiee.credential_id,
                cle_publique=verifiee.credential_public_key,
                compteur=verifiee.sign_count,
                transports=[
                    t for t in transports if t in AuthenticatorTransport._value2member_map_
                ],
                aaguid=verifiee.aaguid,
            )
    except IntegrityError:
        raise _deja_enregistree() from None
    logger.info("cle_securite_enregistree cle=%s utilisateur=%s", cle.reference, user.pk)
    return cle


def _deja_enregistree() -> ApiError:
    return ApiError.conflit("cle_deja_enregistree", "Cette clé de sécurité est déjà enregistrée.")


def cle_supprimer(*, utilisateur: Utilisateur, cle_id: Any) -> None:
    """Own keys only (else 404). The last key of a role that must use one is kept (409).

    Sessions opened with the key lose their verification at their next request.
    """
    with transaction.atomic():
        cle = (
            CleSecurite.objects.select_for_update()
            .filter(reference=cle_id, user=utilisateur)
            .first()
        )
        if cle is None:
            raise ApiError.introuvable()
        autres = CleSecurite.objects.filter(user=utilisateur, confirmed=True).exclude(pk=cle.pk)
        if cle_exigee(utilisateur) and not autres.exists():
            raise ApiError(
                409,
                "derniere_cle",
                "Votre rôle exige une clé de sécurité : enregistrez-en une autre avant de "
                "supprimer celle-ci.",
            )
        cle.delete()
    logger.info("cle_securite_supprimee cle=%s utilisateur=%s", cle_id, utilisateur.pk)


# --- Assertions (login and step-up) ---------------------------------------------------------


def _options_assertion(user: Utilisateur, cles: list[CleSecurite]) -> Any:
    return generate_authentication_options(
        rp_id=_rp_id(),
        timeout=DUREE_DEFI_SECONDES * 1000,
        allow_credentials=[_descripteur(cle) for cle in cles],
        user_verification=UserVerificationRequirement.REQUIRED,
    )


def _cles_utilisables(user: Utilisateur) -> list[CleSecurite]:
    return list(CleSecurite.objects.filter(user=user, confirmed=True))


def assertion_verifier(
    *, request: Request, user: Utilisateur, credential: dict[str, Any], defi: bytes
) -> CleSecurite | None:
    """The key of ``user`` that signed ``defi``, its counter moved forward; None otherwise."""
    identifiant = _identifiant(credential)
    if not identifiant:
        return None
    poignee = (credential.get("response") or {}).get("userHandle")
    if poignee and poignee != bytes_to_base64url(user.pk.bytes):
        return None
    with transaction.atomic():
        cle = (
            CleSecurite.objects.select_for_update()
            .filter(user=user, confirmed=True, identifiant=identifiant)
            .first()
        )
        if cle is None:
            return None
        try:
            # Counter checked below, after the signature, to tell a clone from garbage.
            verifiee = verify_authentication_response(
                credential=credential,
                expected_challenge=defi,
                expected_rp_id=_rp_id(),
                expected_origin=_origines(),
                credential_public_key=bytes(cle.cle_publique),
                credential_current_sign_count=0,
                require_user_verification=True,
            )
        except Exception:  # noqa: BLE001 - untrusted bytes into a parser: any failure is a refusal
            return None
        nouveau = verifiee.new_sign_count
        if (nouveau or cle.compteur) and nouveau <= cle.compteur:
            _clone_signaler(request, user, cle)
            return None
        cle.compteur = nouveau
        cle.dernier_usage = timezone.now()
        # Counter and usage time only: both are left out of the change log.
        cle.save(update_fields=["compteur", "dernier_usage"])
    return cle


def _clone_signaler(request: Request, user: Utilisateur, cle: CleSecurite) -> None:
    logger.warning("cle_securite_clonee cle=%s utilisateur=%s", cle.reference, user.pk)
    ports.consigner_evenement_securite(
        Raison.CLE_SECURITE_CLONEE,
        request=request,
        action=ActionAcces.SECURITE,
        type_objet="acces.clesecurite",
        objet_id=cle.reference,
        utilisateur=user,
    )


# --- Login ----------------------------------------------------------------------------------


def connexion_options(*, request: Request, username: str, password: str) -> Options:
    """Step 1: the password, then options listing that account's keys.

    Any failure, an account without keys included, is the login's one generic 401, counted by
    the same throttling counters as the password + TOTP login.
    """
    limites = limites_connexion(request, username)
    user = mot_de_passe_verifier(request=request, username=username, password=password)
    cles = _cles_utilisables(user) if user is not None and compte_utilisable(user) else []
    if user is None or not cles:
        raise connexion_refuser(request=request, limites=limites, user=user)
    options = _options_assertion(user, cles)
    # The account counter's key is a keyed hash: the session holds no username.
    _defi_garder(request, SESSION_CONNEXION, options.challenge, user, compte=limites.compte or "")
    return _json(options)


def connexion_ouvrir(*, request: Request, credential: dict[str, Any]) -> Utilisateur:
    """Step 2: an assertion of one of the pending account's keys opens the session."""
    attente = _defi_prendre(request, SESSION_CONNEXION)
    adresse = throttling.cle_adresse("connexion", throttling.adresse_client(request))
    compte = attente.get("compte") if attente else None
    limites = Limites(compte=compte if isinstance(compte, str) else None, adresse=adresse)
    throttling.verifier(*limites.cles())
    user = None
    if attente is not None:
        user = Utilisateur.objects.filter(pk=str(attente.get("utilisateur"))).first()
    cle = None
    if user is not None and compte_utilisable(user):
        assert attente is not None
        cle = assertion_verifier(
            request=request,
            user=user,
            credential=credential,
            defi=base64url_to_bytes(attente["defi"]),
        )
    if user is None or cle is None:
        raise connexion_refuser(request=request, limites=limites, user=user)
    session_ouvrir(request=request, user=user, appareil=cle, limites=limites)
    return user


# --- Step-up --------------------------------------------------------------------------------


def verification_options(*, request: Request) -> Options:
    user = request.user
    assert isinstance(user, Utilisateur)
    cles = _cles_utilisables(user)
    if not cles:
        raise ApiError(400, "aucune_cle", "Aucune clé de sécurité n'est enregistrée sur ce compte.")
    options = _options_assertion(user, cles)
    _defi_garder(request, SESSION_VERIFICATION, options.challenge, user)
    return _json(options)


def verification_enregistrer(*, request: Request, credential: dict[str, Any]) -> float:
    """Step-up with a key: same effect and same throttling as a TOTP code."""
    user = request.user
    assert isinstance(user, Utilisateur)
    cle_limite = throttling.cle_compte("verification", user.username)
    throttling.verifier(cle_limite)
    attente = _defi_prendre(request, SESSION_VERIFICATION)
    cle = None
    if attente is not None and attente.get("utilisateur") == str(user.pk):
        cle = assertion_verifier(
            request=request,
            user=user,
            credential=credential,
            defi=base64url_to_bytes(attente["defi"]),
        )
    if cle is None:
        throttling.enregistrer_echec(cle_limite, throttling.COMPTE)
        logger.warning("verification_refusee utilisateur=%s", user.pk)
        raise cle_refusee()
    throttling.effacer(cle_limite)
    instant = maintenant()
    request._request.session[CLE_OTP] = instant
    return instant
