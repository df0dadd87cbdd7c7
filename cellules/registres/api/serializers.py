"""Input serializers refuse unknown fields; output ones show identity only to who may read it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acces.api.categories import ChampsParCategorie, DateDechiffree, TexteDechiffre
from acces.enums import CategorieInformation as Cat
from cellules.orientations.api.serializers import ReferenceSerializer
from cellules.registres.enums import (
    Accompagnant,
    AutoriteHomologation,
    ContraventionTransaction,
    FaitRappel,
    MotifSansAccompagnant,
    NatureTransaction,
    QualiteAuteur,
    StatutTransaction,
)
from cellules.registres.services import IDENTITE_MAX, REFERENCE_MAX
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


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
        | {"reference_convention", "reference", "version"}
    )

    id = serializers.UUIDField(read_only=True)
    commune = serializers.CharField(source="commune_id", read_only=True)
    date = serializers.DateField(read_only=True)
    qualite_auteur = serializers.CharField(read_only=True)
    reference_delegation = serializers.CharField(read_only=True)
    personne = serializers.UUIDField(source="personne_id", read_only=True)
    nom = TexteDechiffre("nom", source="personne")
    prenom = TexteDechiffre("prenom", source="personne")
    date_naissance = DateDechiffree("date_naissance", source="personne")
    faits = serializers.ListField(child=serializers.CharField(), read_only=True)
    mineur = serializers.BooleanField(read_only=True)
    accompagnant = serializers.CharField(read_only=True)
    motif_sans_accompagnant = serializers.CharField(read_only=True)
    transmis_au_parquet_le = serializers.DateField(read_only=True, allow_null=True)
    reference_convention = serializers.CharField(read_only=True)
    reference = ReferenceSerializer(read_only=True)
    version = serializers.IntegerField(read_only=True)


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


class RappelCorrectionSerializer(EntreeStricte):
    """The fields of an entry that may be corrected; ``""`` (or ``null`` for the date of
    transmission) clears an optional one. Correcting ``faits`` needs the three declarations
    again."""

    date = serializers.DateField(required=False)
    qualite_auteur = _choix(QualiteAuteur.choices, required=False)
    reference_delegation = serializers.CharField(
        max_length=REFERENCE_MAX, required=False, allow_blank=True
    )
    faits = serializers.ListField(
        child=_choix(FaitRappel.choices),
        min_length=1,
        max_length=len(FaitRappel.values),
        required=False,
    )
    crime_ou_delit = serializers.BooleanField(required=False)
    plainte_en_cours = serializers.BooleanField(required=False)
    enquete_en_cours = serializers.BooleanField(required=False)
    accompagnant = _choix(Accompagnant.choices, required=False, allow_blank=True)
    motif_sans_accompagnant = _choix(
        MotifSansAccompagnant.choices, required=False, allow_blank=True
    )
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
    nom = TexteDechiffre("nom", source="personne")
    prenom = TexteDechiffre("prenom", source="personne")
    date_naissance = DateDechiffree("date_naissance", source="personne")
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
