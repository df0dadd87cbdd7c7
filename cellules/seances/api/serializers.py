"""Input serializers refuse unknown fields; the relevé drops the categories a reader's
organisation may not receive (``ChampsParCategorie``)."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acces.api.categories import (
    ChampDechiffre,
    ChampsParCategorie,
    DateDechiffree,
    TexteDechiffre,
)
from acces.enums import CategorieInformation as Cat
from cellules.orientations.enums import MotifReport, StatutOrientation, TypeOrientation
from cellules.seances import formats
from cellules.seances.enums import (
    EtatEnvoi,
    MotifEchecEnvoi,
    MotifInscription,
    NatureEnvoi,
    Periodicite,
    StatutSeance,
    TypeDecision,
    TypeLieu,
)
from cellules.seances.models import NOTE_MAX
from socle.serializers import EntreeStricte

_HORS_LISTE: dict[str, Any] = {"invalid_choice": "Valeur hors de la liste fermée."}
ETATS_PRESENCE = [
    ("presente", "présente"),
    ("excusee", "excusée"),
    ("absente", "absente"),
    ("non_renseignee", "non renseignée"),
]
MEMBRES_MAX = 100


class Sortie(serializers.Serializer[Any]):
    """Output serializer (read-only fields)."""


def _choix(choix: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choix, error_messages=_HORS_LISTE, **kwargs)


class SeanceCreationSerializer(EntreeStricte):
    cellule = serializers.UUIDField()
    debut = serializers.DateTimeField()
    fin = serializers.DateTimeField()
    lieu = _choix(TypeLieu.choices, required=False, allow_blank=True)


class SeanceModificationSerializer(EntreeStricte):
    debut = serializers.DateTimeField(required=False)
    fin = serializers.DateTimeField(required=False)
    lieu = _choix(TypeLieu.choices, required=False, allow_blank=True)


# A series created in one request; the service allows more for internal callers.
PERIODIQUES_MAX = 12
DUREE_MAX_MINUTES = 24 * 60


class SeancesPeriodiquesSerializer(EntreeStricte):
    """A series of meetings: the first one's start, its end or duration, a periodicity."""

    cellule = serializers.UUIDField()
    debut = serializers.DateTimeField(help_text="début de la première séance")
    fin = serializers.DateTimeField(
        required=False, help_text="fin de la première séance (ou « duree_minutes »)"
    )
    duree_minutes = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=DUREE_MAX_MINUTES,
        help_text="durée de chaque séance en minutes (ou « fin » ; 120 par défaut)",
    )
    periodicite = _choix(Periodicite.choices)
    nombre = serializers.IntegerField(min_value=1, max_value=PERIODIQUES_MAX)
    lieu = _choix(TypeLieu.choices, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "fin" in attrs and "duree_minutes" in attrs:
            raise serializers.ValidationError(
                {"duree_minutes": ["Indiquez la fin ou la durée, pas les deux."]}
            )
        return attrs


class PointSerializer(Sortie):
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    rang = serializers.IntegerField(read_only=True)
    motif = serializers.ChoiceField(choices=MotifInscription.choices, read_only=True)


class SeanceSerializer(Sortie):
    """A meeting: dates, place and agenda as case ids (no case content)."""

    id = serializers.UUIDField(read_only=True)
    cellule = serializers.UUIDField(source="cellule_id", read_only=True)
    debut = serializers.DateTimeField(read_only=True)
    fin = serializers.DateTimeField(read_only=True)
    lieu = serializers.ChoiceField(choices=[("", ""), *TypeLieu.choices], read_only=True)
    statut = serializers.ChoiceField(choices=StatutSeance.choices, read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    ordre_du_jour = PointSerializer(source="points", many=True, read_only=True)


class SeancesSerieSerializer(Sortie):
    seances = SeanceSerializer(many=True)


class ReportPrevuSerializer(Sortie):
    """An unfinished orientation, or an overdue decision of an earlier meeting, that the
    carry-over puts (or has put) on the agenda."""

    orientation = serializers.UUIDField(source="orientation_id", read_only=True, allow_null=True)
    decision = serializers.UUIDField(
        source="decision_id",
        read_only=True,
        allow_null=True,
        help_text="décision échue d'une séance précédente (sinon null)",
    )
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    echeance = serializers.DateField(read_only=True)
    motif = serializers.ChoiceField(choices=MotifReport.choices, read_only=True)
    motif_inscription = serializers.ChoiceField(choices=MotifInscription.choices, read_only=True)
    deja_inscrite = serializers.BooleanField(read_only=True)


class ReportsSerializer(Sortie):
    seance = serializers.UUIDField()
    reports = ReportPrevuSerializer(many=True)


class ReportsEffectuesSerializer(Sortie):
    seance = SeanceSerializer()
    ajoutes = PointSerializer(many=True)


class PageSeancesSerializer(Sortie):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SeanceSerializer(many=True)


class PointCreationSerializer(EntreeStricte):
    situation = serializers.UUIDField()
    motif = _choix(MotifInscription.choices)


class OrdreDuJourOrdreSerializer(EntreeStricte):
    situations = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=MEMBRES_MAX,
        help_text="chaque situation de l'ordre du jour, une fois, dans le nouvel ordre",
    )


class ConvocationCreationSerializer(EntreeStricte):
    membres = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=MEMBRES_MAX
    )


class ConvocationSerializer(Sortie):
    """A convocation: the member convened (staff, not case data) and the delivery of the last
    e-mail announced to him (``null`` fields: none recorded)."""

    id = serializers.UUIDField(read_only=True)
    membre = serializers.UUIDField(source="membre_id", read_only=True)
    nom_complet = serializers.SerializerMethodField(help_text="nom du membre convoqué")
    organisation_nom = serializers.CharField(source="membre.organisation.nom", read_only=True)
    valide = serializers.BooleanField(read_only=True)
    nature_envoi = serializers.SerializerMethodField(
        help_text="message du dernier envoi : " + ", ".join(NatureEnvoi.values)
    )
    etat_envoi = serializers.SerializerMethodField(
        help_text="état du dernier envoi : " + ", ".join(EtatEnvoi.values)
    )
    motif_echec = serializers.SerializerMethodField(
        help_text="motif de l'échec (liste fermée) : " + ", ".join(MotifEchecEnvoi.values)
    )
    motif_echec_libelle = serializers.SerializerMethodField(help_text="motif de l'échec en clair")
    etat_envoi_le = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_nom_complet(self, convocation: Any) -> str:
        user = convocation.membre.utilisateur
        return str(user.get_full_name() or user.get_username())

    @extend_schema_field({"type": "string", "enum": NatureEnvoi.values, "nullable": True})
    def get_nature_envoi(self, convocation: Any) -> str | None:
        return convocation.nature_envoi or None

    @extend_schema_field({"type": "string", "enum": EtatEnvoi.values, "nullable": True})
    def get_etat_envoi(self, convocation: Any) -> str | None:
        return convocation.etat_envoi or None

    @extend_schema_field({"type": "string", "enum": MotifEchecEnvoi.values, "nullable": True})
    def get_motif_echec(self, convocation: Any) -> str | None:
        return convocation.motif_echec or None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_motif_echec_libelle(self, convocation: Any) -> str | None:
        if not convocation.motif_echec:
            return None
        return str(MotifEchecEnvoi(convocation.motif_echec).label)


class ConvocationsSerializer(Sortie):
    convocations = ConvocationSerializer(many=True)


class PresenceCreationSerializer(EntreeStricte):
    organisation = serializers.UUIDField()
    present = serializers.BooleanField()
    excusee = serializers.BooleanField(
        required=False, default=False, help_text="absente, excusée (seulement si absente)"
    )


class PresenceSerializer(Sortie):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    present = serializers.BooleanField(read_only=True)
    excusee = serializers.BooleanField(read_only=True)


class DecisionCreationSerializer(EntreeStricte):
    """``orientation_decidee``: the orientation (decided at this meeting) and nothing else;
    any other type: the responsible organisation (a partner of the cell) and the deadline."""

    situation = serializers.UUIDField()
    type = _choix(TypeDecision.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX, required=False, allow_blank=True, allow_null=True
    )
    organisation = serializers.UUIDField(
        required=False, help_text="organisation responsable, membre de la cellule"
    )
    echeance = serializers.DateField(required=False, help_text="date limite de réalisation")
    orientation = serializers.UUIDField(
        required=False, help_text="orientation décidée (type « orientation_decidee » seulement)"
    )


class DecisionSerializer(Sortie):
    """The decision just recorded: ids, dates and closed-list type only."""

    id = serializers.UUIDField(read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    type = serializers.ChoiceField(choices=TypeDecision.choices, read_only=True)
    organisation = serializers.UUIDField(source="responsable_id", read_only=True, allow_null=True)
    echeance = serializers.DateField(source="echeance_effective", read_only=True, allow_null=True)
    orientation = serializers.UUIDField(source="orientation_id", read_only=True, allow_null=True)
    realisee_le = serializers.DateTimeField(read_only=True, allow_null=True)
    prise_le = serializers.DateTimeField(read_only=True)


class DecisionRealiseeSerializer(Sortie):
    id = serializers.UUIDField(read_only=True)
    realisee_le = serializers.DateTimeField(read_only=True)


@extend_schema_field({"type": "string", "nullable": True, "maxLength": NOTE_MAX})
class _Note(ChampDechiffre):
    pass


class DecisionReleveSerializer(ChampsParCategorie, Sortie):
    """One decision of the relevé, with the identity of the person when the reader may see it;
    who does what by when is orientation content."""

    categories_des_champs = {
        "nom": Cat.IDENTITE,
        "prenom": Cat.IDENTITE,
        "date_naissance": Cat.IDENTITE,
        "type": Cat.ORIENTATIONS,
        "type_libelle": Cat.ORIENTATIONS,
        "organisation": Cat.ORIENTATIONS,
        "organisation_nom": Cat.ORIENTATIONS,
        "echeance": Cat.ORIENTATIONS,
        "echeance_libelle": Cat.ORIENTATIONS,
        "orientation": Cat.ORIENTATIONS,
        "note": Cat.SUIVI,
    }
    champs_references = frozenset(
        {"id", "situation", "seance", "prise_le", "realisee_le", "realisee"}
    )

    id = serializers.UUIDField(read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    seance = serializers.UUIDField(source="seance_id", read_only=True)
    nom = TexteDechiffre("nom", source="situation.personne")
    prenom = TexteDechiffre("prenom", source="situation.personne")
    date_naissance = DateDechiffree("date_naissance", source="situation.personne")
    type = serializers.ChoiceField(choices=TypeDecision.choices, read_only=True)
    type_libelle = serializers.CharField(source="get_type_display", read_only=True)
    organisation = serializers.UUIDField(source="responsable_id", read_only=True, allow_null=True)
    organisation_nom = serializers.SerializerMethodField()
    echeance = serializers.DateField(source="echeance_effective", read_only=True, allow_null=True)
    echeance_libelle = serializers.SerializerMethodField()
    orientation = serializers.UUIDField(source="orientation_id", read_only=True, allow_null=True)
    realisee = serializers.SerializerMethodField()
    realisee_le = serializers.DateTimeField(read_only=True, allow_null=True)
    note = _Note("note")
    prise_le = serializers.DateTimeField(read_only=True)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_organisation_nom(self, decision: Any) -> str | None:
        if decision.orientation_id is not None:
            return str(decision.orientation.organisation.nom)
        return None if decision.organisation is None else str(decision.organisation.nom)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_echeance_libelle(self, decision: Any) -> str | None:
        echeance = decision.echeance_effective
        return None if echeance is None else formats.jour(echeance)

    @extend_schema_field({"type": "boolean"})
    def get_realisee(self, decision: Any) -> bool:
        if decision.orientation_id is not None:
            return bool(decision.orientation.statut == StatutOrientation.REALISEE)
        return decision.realisee_le is not None


class OrientationReleveSerializer(ChampsParCategorie, Sortie):
    """An orientation decided at the meeting, as the relevé shows it."""

    categories_des_champs: ClassVar[dict[str, str]] = {
        "nom": Cat.IDENTITE,
        "prenom": Cat.IDENTITE,
        "date_naissance": Cat.IDENTITE,
        "type": Cat.ORIENTATIONS,
        "type_libelle": Cat.ORIENTATIONS,
        "mesure": Cat.ORIENTATIONS,
        "mesure_libelle": Cat.ORIENTATIONS,
        "organisation": Cat.ORIENTATIONS,
        "organisation_nom": Cat.ORIENTATIONS,
        "echeance": Cat.ORIENTATIONS,
        "echeance_libelle": Cat.ORIENTATIONS,
    }
    champs_references = frozenset({"id", "situation"})

    id = serializers.UUIDField(read_only=True)
    situation = serializers.UUIDField(source="situation_id", read_only=True)
    nom = TexteDechiffre("nom", source="situation.personne")
    prenom = TexteDechiffre("prenom", source="situation.personne")
    date_naissance = DateDechiffree("date_naissance", source="situation.personne")
    type = serializers.ChoiceField(choices=TypeOrientation.choices, read_only=True)
    type_libelle = serializers.CharField(source="get_type_display", read_only=True)
    mesure = serializers.UUIDField(source="mesure_id", read_only=True)
    mesure_libelle = serializers.CharField(source="mesure.libelle", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_nom = serializers.CharField(source="organisation.nom", read_only=True)
    echeance = serializers.DateField(read_only=True)
    echeance_libelle = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string"})
    def get_echeance_libelle(self, orientation: Any) -> str:
        return formats.jour(orientation.echeance)


class CelluleReleveSerializer(Sortie):
    id = serializers.UUIDField(read_only=True)
    nom = serializers.CharField(read_only=True)


class PresenceReleveSerializer(Sortie):
    """Attendance of one institution, with the names of its convened staff (staff are not
    data subjects)."""

    organisation = serializers.UUIDField(read_only=True)
    organisation_nom = serializers.CharField(read_only=True)
    etat = serializers.ChoiceField(choices=ETATS_PRESENCE, read_only=True)
    etat_libelle = serializers.CharField(read_only=True)
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)


class ReleveSerializer(Sortie):
    """The relevé de décisions as a secretary files it: names, dates in French, place,
    attendance, decisions with owner and deadline, orientations decided, overdue decisions."""

    seance = SeanceSerializer()
    cellule = CelluleReleveSerializer()
    date = serializers.CharField(help_text="« mardi 8 décembre 2026, 14 h 00 »")
    horaires = serializers.CharField(help_text="« de 14 h 00 à 16 h 00 »")
    lieu = serializers.CharField(help_text="libellé du lieu (liste fermée) ou chaîne vide")
    statut = serializers.CharField(help_text="libellé du statut de la séance")
    presences = PresenceReleveSerializer(many=True)
    decisions = DecisionReleveSerializer(many=True)
    orientations = OrientationReleveSerializer(many=True)
    decisions_echues = DecisionReleveSerializer(
        many=True,
        help_text="décisions de séances précédentes non réalisées, échéance passée au jour de "
        "la séance",
    )
