"""Measures: input serializers refuse unknown fields; the output one shows the measure's content
(follow-up) and the person's minority (identity) only to who may receive those categories."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.api.categories import ChampDechiffre, ChampsParCategorie
from acces.enums import CategorieInformation as Cat
from socle.serializers import EntreeStricte
from tig import services
from tig.enums import ACTIVITES, Jour, NatureMesure
from tig.models import Mesure

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}
COMMUNES_MAX = 50


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


def _jours(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=_choix(Jour.choices), max_length=len(Jour), **kwargs)


def _activites(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=_choix([(a, a) for a in ACTIVITES]), max_length=len(ACTIVITES), **kwargs
    )


def _communes(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(min_length=5, max_length=5),
        max_length=COMMUNES_MAX,
        **kwargs,
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class _CommunesAEviter(ChampDechiffre):
    def to_representation(self, value: models.Model) -> Any:
        super().to_representation(value)  # the doorway check and the decryption
        assert isinstance(value, Mesure)
        return services.communes_a_eviter(value)


class MesureTigSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    categories_des_champs = {
        "mineur": Cat.IDENTITE,
        **dict.fromkeys(
            (
                "nature",
                "heures_prevues",
                "montant",
                "validee_le",
                "date_limite",
                "communes_a_eviter",
                "jours_disponibles",
                "activites_a_eviter",
                "terminee_le",
            ),
            Cat.SUIVI,
        ),
    }
    champs_references = frozenset(
        {"id", "statut", "personne", "situation", "commune", "commune_domicile"}
        | {"transaction_municipale", "version", "creee_le"}
    )

    id = serializers.UUIDField(read_only=True)
    nature = serializers.CharField(read_only=True)
    statut = serializers.CharField(read_only=True)
    personne = serializers.UUIDField(source="personne_id", read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True, allow_null=True)
    transaction_municipale = serializers.UUIDField(
        source="transaction_municipale_id", read_only=True, allow_null=True
    )
    commune = serializers.CharField(source="commune_id", read_only=True)
    commune_domicile = serializers.CharField(
        source="commune_domicile_id", read_only=True, allow_null=True
    )
    mineur = serializers.BooleanField(read_only=True)
    heures_prevues = serializers.IntegerField(read_only=True, allow_null=True)
    montant = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )
    validee_le = serializers.DateField(read_only=True, allow_null=True)
    date_limite = serializers.DateField(read_only=True)
    communes_a_eviter = _CommunesAEviter("communes_a_eviter")
    jours_disponibles = serializers.ListField(child=serializers.CharField(), read_only=True)
    activites_a_eviter = serializers.ListField(child=serializers.CharField(), read_only=True)
    terminee_le = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    creee_le = serializers.DateTimeField(read_only=True)


class MesureTigCreationSerializer(EntreeStricte):
    nature = _choix(
        [(n, label) for n, label in NatureMesure.choices],
        help_text="tnr et reparation : délégué du procureur ; tig : conseiller d'exécution",
    )
    personne = serializers.UUIDField(help_text="personne déjà enregistrée (identifiant)")
    situation = serializers.UUIDField(required=False, allow_null=True, default=None)
    heures_prevues = serializers.IntegerField(help_text="limites légales en réglages")
    validee_le = serializers.DateField(help_text="date de validation par le juge")
    commune = serializers.CharField(max_length=5, help_text="commune des faits (code INSEE)")
    commune_domicile = serializers.CharField(
        max_length=5, required=False, allow_null=True, default=None
    )
    communes_a_eviter = _communes(required=False, default=list)
    jours_disponibles = _jours(required=False, default=list)
    activites_a_eviter = _activites(required=False, default=list)


class ContraintesSerializer(EntreeStricte):
    commune_domicile = serializers.CharField(max_length=5, required=False, allow_null=True)
    communes_a_eviter = _communes(required=False)
    jours_disponibles = _jours(required=False)
    activites_a_eviter = _activites(required=False)
