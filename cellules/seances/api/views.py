"""Thin views of meetings: parse, call one selector or service, serialise, trace.

Every route needs an operational role, the charter accepted and a motif (``X-Motif``). A meeting
out of scope answers the same 404 as a missing one (and the attempt is logged); who may read it
but not write it gets 403. Each case shown in a relevé gets one access event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.enums import Action, Role
from acces.models import Organisation
from acces.perimetre import perimetre_de
from audit.enums import ActionAcces, Raison
from cellules.composition.models import Cellule
from cellules.dossiers.models import Situation
from cellules.orientations import report
from cellules.orientations import selectors as selecteurs_orientations
from cellules.seances import formats, pdf, selectors, services
from cellules.seances.api import serializers as s
from cellules.seances.enums import StatutSeance, TypeLieu
from cellules.seances.models import Decision, Seance
from noyau.schema import IDEMPOTENCE, IF_MATCH, MOTIF, PAGINATION
from noyau.vues import VueDonnees
from socle.errors import ApiError

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="relevé de décisions en PDF")
DUREE_DEFAUT_MINUTES = int(services.DUREE_DEFAUT.total_seconds() // 60)


class _Donnees(VueDonnees):
    # A meeting holds no identity (ids, dates, place): it is answered as is; the cases it
    # names are traced when their content is shown (decisions, relevé).

    modele = Seance
    selecteur = staticmethod(selectors.seances_visibles)

    def _reponse(self, pk: uuid.UUID, code: int = 200) -> Response:
        seance = self.trouver(pk)
        return self.repondre(s.SeanceSerializer(seance).data, code, seance)

    def _demande_de_coordonnateur(
        self, classe: type[serializers.Serializer[Any]]
    ) -> tuple[str | None, dict[str, Any], Cellule]:
        """Role check, Idempotency-Key, validated body and the cell the caller coordinates."""
        self.exiger(perimetre_de(self.request.user).a_role(Role.COORDONNATEUR))
        cle = self.cle_idempotence()
        entree = classe(data=self.request.data)
        entree.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(entree.validated_data)
        cellule = selectors.cellule_coordonnee(self.request.user, d["cellule"])
        if cellule is None:
            raise ApiError.champ_invalide("cellule", "Cellule introuvable.")
        return cle, d, cellule

    def _cas(self, decisions: list[Decision]) -> list[Situation]:
        """The cases the decisions are about, each once (one access event per case)."""
        return list({d.situation_id: d.situation for d in decisions}.values())


class SeanceListView(_Donnees):
    @extend_schema(
        operation_id="seances_liste",
        parameters=[MOTIF, *PAGINATION],
        responses={200: s.PageSeancesSerializer},
    )
    def get(self, request: Request) -> Response:
        page, pagination = self.paginer(selectors.seances_visibles(request.user))
        return pagination.get_paginated_response(s.SeanceSerializer(page, many=True).data)

    @extend_schema(
        operation_id="seances_planifier",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SeanceCreationSerializer,
        responses={201: s.SeanceSerializer},
    )
    def post(self, request: Request) -> Response:
        cle, d, cellule = self._demande_de_coordonnateur(s.SeanceCreationSerializer)
        pk, _ = self.creer_une_fois(
            "seances",
            cle,
            lambda: services.seance_planifier(
                cellule=cellule,
                debut=d["debut"],
                fin=d["fin"],
                lieu=d.get("lieu", ""),
                acteur=self.acteur,
            ),
        )
        return self._reponse(pk, status.HTTP_201_CREATED)


class SeancesPeriodiquesView(_Donnees):
    """A series of meetings of one cell, all or nothing (coordonnateurs of the cell)."""

    @extend_schema(
        operation_id="seances_planifier_periodiques",
        description=(
            "Une série de séances d'une cellule, toutes créées ou aucune (coordonnateurs de la "
            "cellule)."
        ),
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SeancesPeriodiquesSerializer,
        responses={201: s.SeancesSerieSerializer},
    )
    def post(self, request: Request) -> Response:
        cle, d, cellule = self._demande_de_coordonnateur(s.SeancesPeriodiquesSerializer)
        if "fin" in d:
            duree = d["fin"] - d["debut"]
        else:
            duree = dt.timedelta(minutes=d.get("duree_minutes", DUREE_DEFAUT_MINUTES))
        premier, _ = self.creer_une_fois(
            "seances-periodiques",
            cle,
            lambda: services.seances_planifier_periodiques(
                cellule=cellule,
                premiere=d["debut"],
                periodicite=d["periodicite"],
                nombre=d["nombre"],
                duree=duree,
                lieu=d.get("lieu", ""),
                acteur=self.acteur,
            )[0],
        )
        ids = services.ids_serie(premier, d["nombre"])
        seances = self.selection().filter(pk__in=ids)
        corps = {"seances": s.SeanceSerializer(seances, many=True).data}
        return self.repondre(corps, status.HTTP_201_CREATED)


class SeanceDetailView(_Donnees):
    @extend_schema(
        operation_id="seances_detail", parameters=[MOTIF], responses={200: s.SeanceSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self._reponse(pk)

    @extend_schema(
        operation_id="seances_modifier",
        parameters=[MOTIF, IF_MATCH],
        request=s.SeanceModificationSerializer,
        responses={200: s.SeanceSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        version = self.version_attendue(seance)
        entree = s.SeanceModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.seance_modifier(
            seance=seance, version=version, acteur=self.acteur, **entree.validated_data
        )
        return self._reponse(pk)


class SeanceAnnulationView(_Donnees):
    @extend_schema(
        operation_id="seances_annuler",
        parameters=[MOTIF],
        request=None,
        responses={200: s.SeanceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        services.seance_annuler(seance=seance, acteur=self.acteur)
        return self._reponse(pk)


class OrdreDuJourView(_Donnees):
    @extend_schema(
        operation_id="seances_ordre_du_jour_ajouter",
        parameters=[MOTIF],
        request=s.PointCreationSerializer,
        responses={201: s.SeanceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        entree = s.PointCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        situation = selectors.situation_a_inscrire(request.user, entree.validated_data["situation"])
        if situation is None:
            raise ApiError.champ_invalide("situation", "Situation introuvable dans cette cellule.")
        services.ordre_du_jour_ajouter(
            seance=seance,
            situation=situation,
            motif=entree.validated_data["motif"],
            acteur=self.acteur,
        )
        return self._reponse(pk, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="seances_ordre_du_jour_ordonner",
        summary="Réordonner l'ordre du jour",
        description="Toutes les situations de l'ordre du jour, une fois chacune, dans le nouvel "
        "ordre ; séance planifiée seulement, avec If-Match (ETag de la séance).",
        parameters=[MOTIF, IF_MATCH],
        request=s.OrdreDuJourOrdreSerializer,
        responses={200: s.SeanceSerializer},
    )
    def put(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        version = self.version_attendue(seance)
        entree = s.OrdreDuJourOrdreSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.ordre_du_jour_ordonner(
            seance=seance,
            situations=entree.validated_data["situations"],
            version=version,
            acteur=self.acteur,
        )
        return self._reponse(pk)


class PointOrdreDuJourView(_Donnees):
    @extend_schema(
        operation_id="seances_ordre_du_jour_retirer",
        summary="Retirer une situation de l'ordre du jour",
        description="Séance planifiée seulement, avec If-Match (ETag de la séance). Les membres "
        "convoqués perdent aussitôt la lecture de la situation par cette séance.",
        parameters=[MOTIF, IF_MATCH],
        request=None,
        responses={200: s.SeanceSerializer},
    )
    def delete(self, request: Request, pk: uuid.UUID, situation: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        version = self.version_attendue(seance)
        services.ordre_du_jour_retirer(
            seance=seance, situation_id=situation, version=version, acteur=self.acteur
        )
        return self._reponse(pk)


class ReportsView(_Donnees):
    """Carry-over of unfinished orientations to the agenda (case ids and reasons only, like
    the agenda itself: no identity, hence no access event). Coordonnateurs of the cell only."""

    @extend_schema(
        operation_id="seances_reports_prevus",
        description=(
            "Orientations inachevées que le report inscrit (ou a inscrites) à l'ordre du jour : "
            "identifiants des situations et motifs seulement, sans identité. Coordonnateurs de la "
            "cellule."
        ),
        parameters=[MOTIF],
        responses={200: s.ReportsSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        prevus = report.reports_prevus(seance, self.acteur)
        corps = {"seance": seance.pk, "reports": s.ReportPrevuSerializer(prevus, many=True).data}
        return Response(corps)

    @extend_schema(
        operation_id="seances_reports_effectuer",
        description=(
            "Inscrit à l'ordre du jour les situations dont une orientation est inachevée. "
            "Coordonnateurs de la cellule."
        ),
        parameters=[MOTIF],
        request=None,
        responses={200: s.ReportsEffectuesSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        ajoutes = report.orientations_reporter(seance=seance, acteur=self.acteur)
        a_jour = self.trouver(pk)
        corps = {
            "seance": s.SeanceSerializer(a_jour).data,
            "ajoutes": s.PointSerializer(ajoutes, many=True).data,
        }
        return self.repondre(corps, objet=a_jour)


class ConvocationsView(_Donnees):
    """Convocations of a meeting and the delivery of their e-mails (coordonnateurs of the cell;
    staff names only, no case)."""

    @extend_schema(
        operation_id="seances_convocations_liste",
        summary="Convocations d'une séance et état de leurs envois",
        description="Chaque membre convoqué, et l'état du dernier courriel qui lui a été "
        "annoncé : en attente, envoyé, en échec (avec le motif) ou sans objet.",
        parameters=[MOTIF],
        responses={200: s.ConvocationsSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        convocations = selectors.convocations_de(seance)
        return Response({"convocations": s.ConvocationSerializer(convocations, many=True).data})

    @extend_schema(
        operation_id="seances_convoquer",
        parameters=[MOTIF],
        request=s.ConvocationCreationSerializer,
        responses={201: s.ConvocationsSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        entree = s.ConvocationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        demandes = set(entree.validated_data["membres"])
        membres = selectors.membres_de(seance, list(demandes))
        if len(membres) != len(demandes):
            raise ApiError.champ_invalide("membres", "Membre inconnu dans cette cellule.")
        convocations = services.convocations_envoyer(
            seance=seance, membres=membres, acteur=self.acteur
        )
        corps = {"convocations": s.ConvocationSerializer(convocations, many=True).data}
        return Response(corps, status=status.HTTP_201_CREATED)


class ConvocationRenvoiView(_Donnees):
    """Send again the e-mail of a convocation whose delivery failed (idempotent)."""

    @extend_schema(
        operation_id="seances_convocation_renvoyer",
        summary="Renvoyer une convocation en échec",
        description="Remet en file le dernier courriel d'une convocation en échec. Une "
        "convocation en attente ou envoyée est rendue telle quelle ; 409 si le message n'a "
        "plus d'objet ou si le compte n'a toujours pas d'adresse.",
        parameters=[MOTIF],
        request=None,
        responses={200: s.ConvocationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID, convocation: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        cible = selectors.convocation_de(seance, convocation)
        if cible is None:
            raise ApiError.introuvable()
        renvoyee = services.convocation_renvoyer(
            seance=seance, convocation=cible, acteur=self.acteur
        )
        return Response(s.ConvocationSerializer(renvoyee).data)


class PresencesView(_Donnees):
    @extend_schema(
        operation_id="seances_presence_enregistrer",
        parameters=[MOTIF],
        request=s.PresenceCreationSerializer,
        responses={200: s.PresenceSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        entree = s.PresenceCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(pk=entree.validated_data["organisation"]).first()
        if organisation is None:
            raise ApiError.champ_invalide(
                "organisation", "Organisation sans membre dans cette cellule."
            )
        presence = services.presence_enregistrer(
            seance=seance,
            organisation=organisation,
            present=entree.validated_data["present"],
            excusee=entree.validated_data["excusee"],
            acteur=self.acteur,
        )
        return Response(s.PresenceSerializer(presence).data)


class DecisionsView(_Donnees):
    @extend_schema(
        operation_id="seances_decision_enregistrer",
        parameters=[MOTIF],
        request=s.DecisionCreationSerializer,
        responses={201: s.DecisionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        seance = self.trouver(pk, Action.MODIFIER)
        entree = s.DecisionCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        situation = selectors.situation_a_inscrire(request.user, d["situation"])
        if situation is None:
            raise ApiError.champ_invalide(
                "situation", "Cette situation n'est pas à l'ordre du jour."
            )
        organisation = None
        if "organisation" in d:
            organisation = Organisation.objects.filter(pk=d["organisation"]).first()
            if organisation is None:
                raise ApiError.champ_invalide(
                    "organisation", "Organisation sans membre actif dans cette cellule."
                )
        orientation = None
        if "orientation" in d:
            orientation = selecteurs_orientations.orientation_visible(
                request.user, d["orientation"]
            )
            if orientation is None:
                raise ApiError.champ_invalide(
                    "orientation", "Orientation de cette situation décidée à cette séance attendue."
                )
        decision = services.decision_enregistrer(
            seance=seance,
            situation=situation,
            type=d["type"],
            note=d.get("note"),
            organisation=organisation,
            echeance=d.get("echeance"),
            orientation=orientation,
            acteur=self.acteur,
        )
        # The answer is about a named case: it is a read like any other.
        self.tracer(self._cas([decision]), ActionAcces.CONSULTATION)
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionRealisationView(VueDonnees):
    """Mark a decision done: the coordonnateurs of the cell, or the members of the cell from
    its responsible organisation (even after the meeting's read window). The answer holds ids
    and dates only."""

    modele = Decision
    selecteur = staticmethod(selectors.decisions_visibles)

    @extend_schema(
        operation_id="decisions_realiser",
        summary="Marquer une décision réalisée",
        description="Par les coordonnateurs de la cellule ou les membres de la cellule de "
        "l'organisation responsable ; une décision déjà réalisée reste inchangée ; une décision "
        "qui est une orientation se réalise en clôturant l'orientation (409).",
        parameters=[MOTIF],
        request=None,
        responses={200: s.DecisionRealiseeSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        decision = self.selection(Action.MODIFIER).filter(pk=pk).first()
        if decision is None:
            # Who reads it but may not mark it done: 403; anyone else: the 404 of a missing one.
            lisible = self.selection(Action.LIRE).filter(pk=pk).exists()
            raise self.refuser(
                pk,
                Raison.ROLE_INSUFFISANT if lisible else Raison.HORS_PERIMETRE,
                403 if lisible else 404,
            )
        realisee = services.decision_realiser(decision=decision, acteur=self.acteur)
        return Response(s.DecisionRealiseeSerializer(realisee).data)


class _Releve(_Donnees):
    def releve(self, seance: Seance) -> tuple[dict[str, Any], list[Situation]]:
        """The relevé's body and the cases it shows content of (each to be traced once, by
        the caller, when the relevé is handed over)."""
        user = self.request.user
        decisions = selectors.decisions_lisibles(user, seance)
        echues = selectors.decisions_echues_lisibles(user, seance)
        orientations = selectors.orientations_decidees(user, seance)
        corps = {
            "seance": s.SeanceSerializer(seance).data,
            "cellule": {"id": seance.cellule_id, "nom": seance.cellule.nom},
            "date": formats.date_et_heure(seance.debut),
            "horaires": f"de {formats.heure(seance.debut)} à {formats.heure(seance.fin)}",
            "lieu": TypeLieu(seance.lieu).label if seance.lieu else "",
            "statut": StatutSeance(seance.statut).label,
            "presences": selectors.presences_du_releve(seance),
            "decisions": self.serialiser(
                decisions, many=True, serializer=s.DecisionReleveSerializer, traces=[]
            ),
            "orientations": self.serialiser(
                orientations, many=True, serializer=s.OrientationReleveSerializer, traces=[]
            ),
            "decisions_echues": self.serialiser(
                echues, many=True, serializer=s.DecisionReleveSerializer, traces=[]
            ),
        }
        cas = {o.situation_id: o.situation for o in [*decisions, *echues, *orientations]}
        return corps, list(cas.values())


class ReleveView(_Releve):
    @extend_schema(
        operation_id="seances_releve", parameters=[MOTIF], responses={200: s.ReleveSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        corps, cas = self.releve(self.trouver(pk))
        self.tracer(cas, ActionAcces.CONSULTATION)
        return Response(corps)


class RelevePdfView(_Releve):
    """The relevé as a PDF: a recent second-factor check (step-up) is required."""

    @extend_schema(
        operation_id="seances_releve_pdf",
        description="Le relevé de décisions en PDF : exige une vérification renforcée récente.",
        parameters=[MOTIF],
        responses={
            (200, "application/pdf"): PDF,
            403: OpenApiResponse(description="vérification récente requise"),
        },
    )
    def get(self, request: Request, pk: uuid.UUID) -> HttpResponse:
        seance = self.trouver(pk)
        self.exiger_verification(pk)
        corps, cas = self.releve(seance)
        horodatage = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
        contenu = pdf.releve(corps, lecteur=self.acteur.get_username(), horodatage=horodatage)
        self.tracer(cas, ActionAcces.PDF)
        response = HttpResponse(contenu, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="releve-{seance.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
