"""Input serializers refuse unknown fields; output serializers drop the categories a reader's
organisation may not receive (``ChampsParCategorie``). Error messages never echo the input."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.api.categories import (
    ChampDechiffre,
    ChampsParCategorie,
    DateDechiffree,
    TexteDechiffre,
)
from acces.enums import CategorieInformation as Cat
from cellules.dossiers.categories import (
    CATEGORIES_MOTIFS_CLOTURE,
    CATEGORIES_PROFILS,
    CATEGORIES_SOURCES,
    REPLIS,
)
from cellules.dossiers.enums import (
    MotifCloture,
    Profil,
    SourceSignalement,
    StatutSituation,
    Transition,
)
from cellules.dossiers.models import Personne
from cellules.dossiers.services import ADRESSE_MAX, IDENTITE_MAX, OBSERVATION_MAX
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}
_IDENTITE = {"nom", "prenom", "date_naissance", "age", "mineur"}


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


class _Naissance(serializers.Field):  # type: ignore[type-arg]
    """What the decrypted birth date says today (age, minority), never the date itself."""

    def __init__(self, source: str = "*") -> None:
        super().__init__(read_only=True, source=source)


@extend_schema_field(OpenApiTypes.INT)
class _Age(_Naissance):
    def to_representation(self, value: Personne) -> Any:
        return value.age_au(timezone.localdate())


@extend_schema_field(OpenApiTypes.BOOL)
class _Mineur(_Naissance):
    def to_representation(self, value: Personne) -> Any:
        return value.mineur_au(timezone.localdate())


@extend_schema_field({"type": "string", "nullable": True, "maxLength": OBSERVATION_MAX})
class _Observation(ChampDechiffre):
    pass


_VALEURS = {
    "source_signalement": CATEGORIES_SOURCES,
    "profils": CATEGORIES_PROFILS,
    "motif_cloture": CATEGORIES_MOTIFS_CLOTURE,
}


class SituationSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """A case with its person's identity; each field shown only to the categories allowed."""

    categories_des_champs = {
        **dict.fromkeys(_IDENTITE, Cat.IDENTITE),
        "source_signalement": Cat.FAITS_SIGNALES,
        "profils": Cat.FAITS_SIGNALES,
        "observation": Cat.SUIVI,
        "motif_cloture": Cat.SUIVI,
    }
    categories_des_valeurs = _VALEURS
    valeurs_de_repli = REPLIS
    champs_references = frozenset(
        {"id", "personne", "cellule", "commune", "statut", "referent", "signalee_le"}
        | {"cloturee_le", "version", "archivee_le"}
    )

    id = serializers.UUIDField(read_only=True)
    personne = serializers.UUIDField(source="personne_id", read_only=True)
    cellule = serializers.UUIDField(source="cellule_id", read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    statut = serializers.ChoiceField(choices=StatutSituation.choices, read_only=True)
    nom = TexteDechiffre("nom", source="personne")
    prenom = TexteDechiffre("prenom", source="personne")
    date_naissance = DateDechiffree("date_naissance", source="personne")
    age = _Age("personne")
    mineur = _Mineur("personne")
    source_signalement = serializers.ChoiceField(
        choices=SourceSignalement.choices, read_only=True, allow_null=True
    )
    profils = serializers.ListField(
        child=serializers.ChoiceField(choices=Profil.choices), read_only=True
    )
    observation = _Observation("observation")
    referent = serializers.UUIDField(source="referent_id", read_only=True, allow_null=True)
    signalee_le = serializers.DateField(read_only=True)
    cloturee_le = serializers.DateField(read_only=True, allow_null=True)
    motif_cloture = serializers.CharField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class EtatSituationSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """The state after a transition: no identity; the closing reason per category."""

    categories_des_champs = {"motif_cloture": Cat.SUIVI}
    categories_des_valeurs = {"motif_cloture": CATEGORIES_MOTIFS_CLOTURE}
    valeurs_de_repli = {"motif_cloture": REPLIS["motif_cloture"]}
    champs_references = frozenset({"id", "statut", "version"})

    id = serializers.UUIDField(read_only=True)
    statut = serializers.CharField(read_only=True)
    motif_cloture = serializers.CharField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class PersonneSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """A person's identity (category ``identite``)."""

    categories_des_champs = dict.fromkeys(
        (*_IDENTITE, "adresse", "commune_residence"), Cat.IDENTITE
    )
    champs_references = frozenset({"id", "version"})

    id = serializers.UUIDField(read_only=True)
    nom = TexteDechiffre("nom")
    prenom = TexteDechiffre("prenom")
    date_naissance = DateDechiffree("date_naissance")
    age = _Age()
    mineur = _Mineur()
    adresse = TexteDechiffre("adresse")
    commune_residence = TexteDechiffre("commune_residence")
    version = serializers.IntegerField(read_only=True)


class SituationCreationSerializer(EntreeStricte):
    personne = serializers.UUIDField()
    cellule = serializers.UUIDField()
    commune = serializers.CharField(max_length=5, required=False)
    source_signalement = _choix(SourceSignalement.choices)
    profils = serializers.ListField(
        child=_choix(Profil.choices), max_length=len(Profil.values), required=False
    )
    observation = serializers.CharField(
        max_length=OBSERVATION_MAX, required=False, allow_blank=True, allow_null=True
    )


class SituationModificationSerializer(EntreeStricte):
    source_signalement = _choix(SourceSignalement.choices, required=False)
    profils = serializers.ListField(
        child=_choix(Profil.choices), max_length=len(Profil.values), required=False
    )
    observation = serializers.CharField(
        max_length=OBSERVATION_MAX, required=False, allow_blank=True, allow_null=True
    )


class TransitionSerializer(EntreeStricte):
    transition = _choix(Transition.choices)
    motif_cloture = _choix(MotifCloture.choices, required=False)


class IdentiteSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=IDENTITE_MAX)
    prenom = serializers.CharField(max_length=IDENTITE_MAX)
    date_naissance = serializers.DateField()


class PersonneCreationSerializer(IdentiteSerializer):
    adresse = serializers.CharField(max_length=ADRESSE_MAX, required=False, allow_blank=True)
    commune_residence = serializers.CharField(
        max_length=IDENTITE_MAX, required=False, allow_blank=True
    )


class RectificationSerializer(EntreeStricte):
    """The identity fields to correct (at least one); the others stay as they are."""

    nom = serializers.CharField(max_length=IDENTITE_MAX, required=False)
    prenom = serializers.CharField(max_length=IDENTITE_MAX, required=False)
    date_naissance = serializers.DateField(required=False)
    adresse = serializers.CharField(max_length=ADRESSE_MAX, required=False, allow_blank=True)
    commune_residence = serializers.CharField(
        max_length=IDENTITE_MAX, required=False, allow_blank=True
    )


class RechercheReponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField()
    results = PersonneSerializer(many=True)


class PageSituationsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A page of cases (``count`` counts the cases in the reader's scope only)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SituationSerializer(many=True)


class SituationArchiveeLigneSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """A row of the archive list: references, dates and status (nothing identifying), and the
    closing reason per category."""

    categories_des_champs = {"motif_cloture": Cat.SUIVI}
    categories_des_valeurs = {"motif_cloture": CATEGORIES_MOTIFS_CLOTURE}
    valeurs_de_repli = {"motif_cloture": REPLIS["motif_cloture"]}
    champs_references = frozenset(
        {"id", "cellule", "commune", "statut", "signalee_le", "cloturee_le", "archivee_le"}
    )

    id = serializers.UUIDField(read_only=True)
    cellule = serializers.UUIDField(source="cellule_id", read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    statut = serializers.ChoiceField(choices=StatutSituation.choices, read_only=True)
    signalee_le = serializers.DateField(read_only=True)
    cloturee_le = serializers.DateField(read_only=True, allow_null=True)
    archivee_le = serializers.DateField(read_only=True, allow_null=True)
    motif_cloture = serializers.ChoiceField(
        choices=[("", ""), *MotifCloture.choices], read_only=True, allow_null=True
    )


class PageSituationsArchiveesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A page of archived cases (``count`` counts the archived cases in the reader's scope)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SituationArchiveeLigneSerializer(many=True)


class SituationArchiveeSerializer(SituationSerializer):
    """An archived case in full, with its person's identity (fields per category)."""

    archivee_le = serializers.DateField(read_only=True, allow_null=True)
