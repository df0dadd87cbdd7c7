"""Input and output serializers of the authentication routes."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from acces.api.serializers import MoiSerializer
from acces.auth.models import JetonApi
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


class ErreurSortie(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    champs = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    request_id = serializers.CharField(allow_null=True)
