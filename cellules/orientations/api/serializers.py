"""Input serializers refuse unknown fields; output ones show identity only to who may read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.api.categories import ChampsParCategorie
from acces.crypto.champs import dechiffrer
from acces.enums import CategorieInformation as Cat
from cellules.orientations.enums import (
    Accompagnant,
    AutoriteHomologation,
    ContraventionTransaction,
    FaitRappel,
    MotifSansAccompagnant,
    NatureTransaction,
    QualiteAuteur,
    ResultatOrientation,
    StatutOrientation,
    StatutTransaction,
    TypeOrientation,
)
from cellules.orientations.rappels import IDENTITE_MAX, REFERENCE_MAX
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


class ReferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(read_only=True)
    libelle = serializers.CharField(read_only=True)
    article = serializers.CharField(read_only=True)
    ancienne_reference = serializers.CharField(read_only=True)


class MesureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    libelle = serializers.CharField(read_only=True)
    types = serializers.ListField(child=serializers.CharField(), read_only=True)
    reference = ReferenceSerializer(read_only=True, allow_null=True)


class OrientationSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    categories_des_champs = dict.fromkeys(
        ("type", "mesure", "organisation", "echeance", "statut", "resultat"), Cat.ORIENTATIONS
    )
    champs_references = frozenset(
        {"id", "situation", "seance", "decidee_le", "cloturee_le", "version"}
    )

    id = serializers.UUIDField(read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    type = serializers.ChoiceField(choices=TypeOrientation.choices, read_only=True)
    mesure = serializers.UUIDField(source="mesure_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    echeance = serializers.DateField(read_only=True)
    statut = serializers.ChoiceField(choices=StatutOrientation.choices, read_only=True)
    resultat = serializers.CharField(read_only=True)
    seance = serializers.UUIDField(source="seance_id", read_only=True, allow_null=True)
    decidee_le = serializers.DateField(read_only=True)
    cloturee_le = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class OrientationCreationSerializer(EntreeStricte):
    type = _choix(TypeOrientation.choices)
    mesure = serializers.UUIDField()
    organisation = serializers.UUIDField()
    echeance = serializers.DateField()
    seance = serializers.UUIDField(required=False, allow_null=True)


class OrientationModificationSerializer(EntreeStricte):
    """``statut``: ``en_cours`` starts it; ``realisee`` / ``abandonnee`` close it (with
    ``resultat``)."""

    echeance = serializers.DateField(required=False)
    organisation = serializers.UUIDField(required=False)
    statut = _choix(
        [
            (StatutOrientation.EN_COURS, "en cours"),
            (StatutOrientation.REALISEE, "réalisée"),
            (StatutOrientation.ABANDONNEE, "abandonnée"),
        ],
        required=False,
    )
    resultat = _choix(ResultatOrientation.choices, required=False)


class _Identite(serializers.Field):  # type: ignore[type-arg]
    """A decrypted identity field of the entry's person."""

    def __init__(self, champ: str, **kwargs: Any) -> None:
        self.champ = champ
        super().__init__(read_only=True, source="personne", **kwargs)

    def to_representation(self, value: Any) -> Any:
        valeur = dechiffrer(value, self.champ)
        return valeur.isoformat() if isinstance(valeur, dt.date) else valeur


@extend_schema_field(OpenApiTypes.STR)
class _TexteIdentite(_Identite):
    pass


@extend_schema_field(OpenApiTypes.DATE)
class _DateIdentite(_Identite):
    pass


class IdentiteRegistreSerializer(EntreeStricte):
    nom = serializers.CharField(max_length=IDENTITE_MAX)
    prenom = serializers.CharField(max_length=IDENTITE_MAX)
    date_naissance = serializers.DateField()


class RappelSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """An entry of the register; the accompaniment is part of the mayor's procedure (suivi)."""

    categories_des_champs = {
        **dict.fromkeys(("nom", "prenom", "date_naissance", "mineur"), Cat.IDENTITE),
        "faits": Cat.FAITS_SIGNALES,
        **dict.fromkeys(
            ("accompagnant", "motif_sans_accompagnant", "transmis_au_parquet_le"), Cat.SUIVI
        ),
    }
    champs_references = frozenset(
        {"id", "commune", "date", "qualite_auteur", "reference_delegation", "personne"}
        | {"reference_convention", "reference"}
    )

    id = serializers.UUIDField(read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    date = serializers.DateField(read_only=True)
    qualite_auteur = serializers.CharField(read_only=True)
    reference_delegation = serializers.CharField(read_only=True)
    personne = serializers.UUIDField(source="personne_id", read_only=True)
    nom = _TexteIdentite("nom")
    prenom = _TexteIdentite("prenom")
    date_naissance = _DateIdentite("date_naissance")
    faits = serializers.ListField(child=serializers.CharField(), read_only=True)
    mineur = serializers.BooleanField(read_only=True)
    accompagnant = serializers.CharField(read_only=True)
    motif_sans_accompagnant = serializers.CharField(read_only=True)
    transmis_au_parquet_le = serializers.DateField(read_only=True, allow_null=True)
    reference_convention = serializers.CharField(read_only=True)
    reference = ReferenceSerializer(read_only=True)


class RappelCreationSerializer(EntreeStricte):
    commune = serializers.CharField(max_length=5)
    date = serializers.DateField()
    qualite_auteur = _choix(QualiteAuteur.choices)
    reference_delegation = serializers.CharField(
        max_length=REFERENCE_MAX, required=False, allow_blank=True
    )
    personne = serializers.UUIDField(required=False)
    identite = IdentiteRegistreSerializer(required=False)
    faits = serializers.ListField(
        child=_choix(FaitRappel.choices), min_length=1, max_length=len(FaitRappel.values)
    )
    crime_ou_delit = serializers.BooleanField()
    plainte_en_cours = serializers.BooleanField()
    enquete_en_cours = serializers.BooleanField()
    accompagnant = _choix(Accompagnant.choices, required=False)
    motif_sans_accompagnant = _choix(MotifSansAccompagnant.choices, required=False)
    transmis_au_parquet_le = serializers.DateField(required=False, allow_null=True)
    reference_convention = serializers.CharField(
        max_length=REFERENCE_MAX, required=False, allow_blank=True
    )


class StatistiqueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    commune = serializers.CharField()
    annee = serializers.IntegerField()
    total = serializers.IntegerField()
    mineurs = serializers.IntegerField()
    transmis_au_parquet = serializers.IntegerField()


class StatistiquesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    annee = serializers.IntegerField()
    communes = StatistiqueSerializer(many=True)


class TransactionSerializer(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
    """A transaction of the mayor: the offence is a reported fact, the rest the response."""

    categories_des_champs = {
        **dict.fromkeys(("nom", "prenom", "date_naissance"), Cat.IDENTITE),
        **dict.fromkeys(("contravention", "date_constat"), Cat.FAITS_SIGNALES),
        "autorite_homologation": Cat.ORIENTATIONS,
        **dict.fromkeys(
            ("date_proposition", "nature", "montant", "heures", "statut", "decision_le"),
            Cat.ORIENTATIONS,
        ),
    }
    champs_references = frozenset({"id", "commune", "personne", "reference", "version"})

    id = serializers.UUIDField(read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    personne = serializers.UUIDField(source="personne_id", read_only=True)
    nom = _TexteIdentite("nom")
    prenom = _TexteIdentite("prenom")
    date_naissance = _DateIdentite("date_naissance")
    contravention = serializers.ChoiceField(
        choices=ContraventionTransaction.choices, read_only=True
    )
    date_constat = serializers.DateField(read_only=True)
    date_proposition = serializers.DateField(read_only=True)
    nature = serializers.ChoiceField(choices=NatureTransaction.choices, read_only=True)
    montant = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )
    heures = serializers.IntegerField(read_only=True, allow_null=True)
    statut = serializers.ChoiceField(choices=StatutTransaction.choices, read_only=True)
    autorite_homologation = serializers.CharField(read_only=True)
    decision_le = serializers.DateField(read_only=True, allow_null=True)
    reference = ReferenceSerializer(read_only=True)
    version = serializers.IntegerField(read_only=True)


class TransactionCreationSerializer(EntreeStricte):
    commune = serializers.CharField(max_length=5)
    personne = serializers.UUIDField(required=False)
    identite = IdentiteRegistreSerializer(required=False)
    contravention = _choix(ContraventionTransaction.choices)
    date_constat = serializers.DateField()
    date_proposition = serializers.DateField()
    nature = _choix(NatureTransaction.choices)
    montant = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    heures = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True)


class AcceptationSerializer(EntreeStricte):
    acceptee = serializers.BooleanField()


class HomologationSerializer(EntreeStricte):
    homologuee = serializers.BooleanField()
    autorite = _choix(AutoriteHomologation.choices)
    decision_le = serializers.DateField()


class NotificationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An overdue notice: no name, no fact, only ids and the link to follow (authenticated)."""

    id = serializers.UUIDField(read_only=True)
    type = serializers.CharField(read_only=True)
    orientation = serializers.UUIDField(source="orientation_id", read_only=True)
    jour = serializers.DateField(read_only=True)
    lien = serializers.CharField(read_only=True)
    creee_le = serializers.DateTimeField(read_only=True)
