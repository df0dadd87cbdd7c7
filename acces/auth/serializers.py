"""Input and output serializers of the authentication routes."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from acces.api.serializers import MoiSerializer
from acces.auth.models import CleSecurite, JetonApi
from acces.auth.services import JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS
from socle.serializers import EntreeStricte

_code_otp = RegexValidator(r"^[0-9]{6,8}$", "Code à 6 chiffres attendu.")


def champ_otp() -> serializers.CharField:
    return serializers.CharField(
        max_length=8, validators=[_code_otp], help_text="Code TOTP de l'application."
    )


def champ_mot_de_passe(help_text: str) -> serializers.CharField:
    # No trimming: spaces are part of a passphrase.
    return serializers.CharField(
        max_length=1024,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=help_text,
    )


class ConnexionEntree(EntreeStricte):
    username = serializers.CharField(max_length=150)
    password = champ_mot_de_passe("Mot de passe.")
    otp = champ_otp()


class ConnexionSortie(serializers.Serializer[Any]):
    utilisateur = MoiSerializer()
    csrf_token = serializers.CharField(
        help_text="À renvoyer dans l'en-tête X-CSRFToken des requêtes d'écriture."
    )
    inactivite_max_secondes = serializers.IntegerField()
    expire_le = serializers.DateTimeField(help_text="Fin absolue de la session.")


class VerificationEntree(EntreeStricte):
    otp = champ_otp()


class VerificationSortie(serializers.Serializer[Any]):
    verifie_le = serializers.DateTimeField()
    valable_jusqu_a = serializers.DateTimeField()


class JetonEntree(EntreeStricte):
    libelle = serializers.CharField(max_length=100)
    duree_jours = serializers.IntegerField(
        min_value=1, max_value=JETON_DUREE_MAX_JOURS, default=JETON_DUREE_DEFAUT_JOURS
    )


class JetonSerializer(serializers.ModelSerializer[JetonApi]):
    class Meta:
        model = JetonApi
        fields = ["id", "libelle", "cree_le", "expire_le", "revoque_le", "dernier_usage"]
        read_only_fields = fields


class JetonCreeSerializer(JetonSerializer):
    jeton = serializers.CharField(
        read_only=True, help_text="Valeur du jeton, affichée une seule fois."
    )

    class Meta(JetonSerializer.Meta):
        fields = [*JetonSerializer.Meta.fields, "jeton"]
        read_only_fields = fields


class OubliEntree(EntreeStricte):
    username = serializers.CharField(max_length=150)


class MessageSortie(serializers.Serializer[Any]):
    message = serializers.CharField()


class ReinitialisationEntree(EntreeStricte):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    nouveau_mot_de_passe = champ_mot_de_passe("Nouveau mot de passe (12 caractères au moins).")
    otp = champ_otp()


_base64url = RegexValidator(r"^[A-Za-z0-9_-]*={0,2}$", "Encodage base64url attendu.")


def _b64(longueur_max: int, *, requis: bool = True) -> serializers.CharField:
    return serializers.CharField(
        max_length=longueur_max,
        required=requis,
        allow_blank=not requis,
        trim_whitespace=False,
        validators=[_base64url],
    )


class _EntreeCamel(EntreeStricte):
    """Strict input whose field names are the browser's (camelCase, WebAuthn JSON)."""

    def champs(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        raise NotImplementedError

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return self.champs()


class ReponseAttestationEntree(_EntreeCamel):
    """``response`` of ``PublicKeyCredential.toJSON()`` after ``navigator.credentials.create()``."""

    def champs(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "clientDataJSON": _b64(8192),
            "attestationObject": _b64(16384),
            "authenticatorData": _b64(8192, requis=False),
            "transports": serializers.ListField(
                child=serializers.CharField(max_length=32), max_length=8, required=False
            ),
            "publicKey": _b64(2048, requis=False),
            "publicKeyAlgorithm": serializers.IntegerField(required=False),
        }


class ReponseAssertionEntree(_EntreeCamel):
    """``response`` of ``PublicKeyCredential.toJSON()`` after ``navigator.credentials.get()``."""

    def champs(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "clientDataJSON": _b64(8192),
            "authenticatorData": _b64(8192),
            "signature": _b64(2048),
            "userHandle": serializers.CharField(
                max_length=128,
                required=False,
                allow_null=True,
                allow_blank=True,
                validators=[_base64url],
            ),
        }


def _champs_credential(
    reponse: serializers.Serializer[Any],
) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return {
        "id": _b64(1400),
        "rawId": _b64(1400),
        "type": serializers.ChoiceField(choices=["public-key"]),
        "response": reponse,
        "authenticatorAttachment": serializers.ChoiceField(
            choices=["platform", "cross-platform"], required=False, allow_null=True
        ),
        "clientExtensionResults": serializers.DictField(required=False),
    }


class AttestationEntree(_EntreeCamel):
    def champs(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return _champs_credential(ReponseAttestationEntree())


class AssertionEntree(_EntreeCamel):
    def champs(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return _champs_credential(ReponseAssertionEntree())


class CleSecuriteEntree(EntreeStricte):
    libelle = serializers.CharField(max_length=64, help_text="Nom choisi pour reconnaître la clé.")
    credential = AttestationEntree(
        help_text="Résultat de navigator.credentials.create(), au format JSON (toJSON())."
    )


class ConnexionCleOptionsEntree(EntreeStricte):
    username = serializers.CharField(max_length=150)
    password = champ_mot_de_passe("Mot de passe.")


class AssertionCorpsEntree(EntreeStricte):
    credential = AssertionEntree(
        help_text="Résultat de navigator.credentials.get(), au format JSON (toJSON())."
    )


class OptionsCleSortie(serializers.Serializer[Any]):
    publicKey = serializers.DictField(
        help_text=(
            "Options à passer à navigator.credentials.create() ou get() (défi valable cinq "
            "minutes, une seule fois)."
        )
    )


class CleSecuriteSerializer(serializers.ModelSerializer[CleSecurite]):
    id = serializers.UUIDField(source="reference", read_only=True)
    libelle = serializers.CharField(source="name", read_only=True)
    creee_le = serializers.DateTimeField(source="cree_le", read_only=True)

    class Meta:
        model = CleSecurite
        fields = ["id", "libelle", "creee_le", "dernier_usage"]
        read_only_fields = fields


class ErreurSortie(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    champs = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    request_id = serializers.CharField(allow_null=True)
