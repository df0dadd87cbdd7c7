"""The rappel à l'ordre register and the mayor's transactions of a commune.

Kept by the commune's directeur de la tranquillité publique, read by the délégué du procureur of
the ressort, nobody else (403, logged). Entries name a person: every entry returned leaves one
access event; an entry out of scope answers the 404 of a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.perimetre import perimetre_de
from cellules.dossiers.models import Personne
from cellules.registres import politiques, selectors, services
from cellules.registres.api import serializers as s
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from cellules.registres.selectors import commune
from noyau.schema import IDEMPOTENCE, IF_MATCH, MOTIF, PAGINATION
from noyau.vues import VueDonnees
from socle.errors import ApiError

ANNEE_MIN, ANNEE_MAX = 2000, 2100
# What the author declares about the facts (``services.Qualification``).
DECLARATIONS = ("crime_ou_delit", "plainte_en_cours", "enquete_en_cours")


class _Registre(VueDonnees):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.exiger(politiques.peut_lire_registre(perimetre_de(request.user)))

    def _exiger_teneur(self, pk: Any = None) -> None:
        self.exiger(politiques.peut_tenir_registre(perimetre_de(self.request.user)), pk)


class _Rappels(_Registre):
    modele = RappelOrdre
    selecteur = staticmethod(selectors.rappels_visibles)
    serializer_class = s.RappelSerializer


class _Transactions(_Registre):
    modele = TransactionMunicipale
    selecteur = staticmethod(selectors.transactions_visibles)
    serializer_class = s.TransactionSerializer


def _personne(request: Request, d: dict[str, Any]) -> tuple[Personne | None, Any]:
    """The person named by id (within the keeper's reach) or the identity to register."""
    identite = None
    if "identite" in d:
        identite = services.IdentiteNouvelle(**d["identite"])
    if "personne" not in d:
        return None, identite
    personne = selectors.personne_pour_registre(request.user, d["personne"])
    if personne is None:
        raise ApiError.champ_invalide("personne", "Personne introuvable.")
    return personne, identite


class RappelListView(_Rappels):
    @extend_schema(
        operation_id="rappels_liste",
        parameters=[MOTIF, *PAGINATION],
        responses={200: s.RappelSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return self.rendre_page(self.selection())

    @extend_schema(
        operation_id="rappels_enregistrer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.RappelCreationSerializer,
        responses={201: s.RappelSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_teneur()
        cle = self.cle_idempotence()
        entree = s.RappelCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne, identite = _personne(request, d)
        lieu = commune(d["commune"])
        pk, _ = self.creer_une_fois(
            "rappels-a-l-ordre",
            cle,
            lambda: services.rappel_enregistrer(
                commune=lieu,
                date=d["date"],
                qualite_auteur=d["qualite_auteur"],
                reference_delegation=d.get("reference_delegation", ""),
                personne=personne,
                identite=identite,
                faits=d["faits"],
                qualification=services.Qualification(
                    crime_ou_delit=d["crime_ou_delit"],
                    plainte_en_cours=d["plainte_en_cours"],
                    enquete_en_cours=d["enquete_en_cours"],
                ),
                accompagnant=d.get("accompagnant", ""),
                motif_sans_accompagnant=d.get("motif_sans_accompagnant", ""),
                transmis_au_parquet_le=d.get("transmis_au_parquet_le"),
                reference_convention=d.get("reference_convention", ""),
                acteur=self.acteur,
            ),
        )
        return self.rendre(self.trouver(pk), status.HTTP_201_CREATED)


class RappelDetailView(_Rappels):
    @extend_schema(
        operation_id="rappels_detail", parameters=[MOTIF], responses={200: s.RappelSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self.rendre(self.trouver(pk))

    @extend_schema(
        operation_id="rappels_corriger",
        summary="Corriger une inscription au registre",
        description=(
            "Le directeur de la tranquillité publique qui tient le registre de la commune "
            "corrige la date, l'auteur et sa délégation, les faits, l'accompagnement d'un "
            "mineur, la transmission au parquet. La personne et la commune ne changent pas. "
            "L'inscription corrigée suit les règles d'une nouvelle : corriger les faits exige "
            "de déclarer à nouveau crime_ou_delit, plainte_en_cours et enquete_en_cours (tout "
            "« vrai » est refusé) ; un mineur à la date du rappel est accompagné ou le motif de "
            "l'absence est indiqué. If-Match obligatoire (428 sans, 412 si périmé) ; la "
            "correction est inscrite au journal des modifications, contenu masqué."
        ),
        parameters=[MOTIF, IF_MATCH],
        request=s.RappelCorrectionSerializer,
        responses={200: s.RappelSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        objet = self.trouver(pk)
        self._exiger_teneur(pk)
        version = self.version_attendue(objet)
        entree = s.RappelCorrectionSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = dict(entree.validated_data)
        declarees = {champ: d.pop(champ) for champ in DECLARATIONS if champ in d}
        manquante = next((c for c in DECLARATIONS if declarees and c not in declarees), None)
        if manquante is not None:
            raise ApiError.champ_invalide(
                manquante, "Déclarez ensemble crime_ou_delit, plainte_en_cours et enquete_en_cours."
            )
        services.rappel_corriger(
            rappel=objet,
            version=version,
            acteur=self.acteur,
            qualification=services.Qualification(**declarees) if declarees else None,
            **d,
        )
        return self.rendre(self.trouver(pk))


class RappelStatistiquesView(_Rappels):
    """Counts per commune and year, over the entries the reader may see; no person."""

    @extend_schema(
        operation_id="rappels_statistiques",
        description=(
            "Nombre de rappels à l'ordre par commune et par année, parmi ceux que vous pouvez voir "
            "; aucune personne."
        ),
        parameters=[MOTIF, OpenApiParameter("annee", int, description="année (défaut : en cours)")],
        responses={200: s.StatistiquesSerializer},
    )
    def get(self, request: Request) -> Response:
        brut = request.query_params.get("annee")
        annee = timezone.localdate().year
        if brut is not None:
            if not (brut.isascii() and brut.isdigit() and ANNEE_MIN <= int(brut) <= ANNEE_MAX):
                raise ApiError.champ_invalide("annee", f"Année entre {ANNEE_MIN} et {ANNEE_MAX}.")
            annee = int(brut)
        lignes = selectors.statistiques_rappels(request.user, annee)
        communes = s.StatistiqueSerializer(lignes, many=True).data
        return Response({"annee": annee, "communes": communes})


class TransactionListView(_Transactions):
    @extend_schema(
        operation_id="transactions_liste",
        parameters=[MOTIF, *PAGINATION],
        responses={200: s.TransactionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return self.rendre_page(self.selection())

    @extend_schema(
        operation_id="transactions_proposer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.TransactionCreationSerializer,
        responses={201: s.TransactionSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_teneur()
        cle = self.cle_idempotence()
        entree = s.TransactionCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne, identite = _personne(request, d)
        lieu = commune(d["commune"])
        pk, _ = self.creer_une_fois(
            "transactions",
            cle,
            lambda: services.transaction_proposer(
                commune=lieu,
                personne=personne,
                identite=identite,
                contravention=d["contravention"],
                date_constat=d["date_constat"],
                date_proposition=d["date_proposition"],
                nature=d["nature"],
                montant=d.get("montant"),
                heures=d.get("heures"),
                acteur=self.acteur,
            ),
        )
        return self.rendre(self.trouver(pk), status.HTTP_201_CREATED)


class TransactionAcceptationView(_Transactions):
    @extend_schema(
        operation_id="transactions_acceptation",
        parameters=[MOTIF, IF_MATCH],
        request=s.AcceptationSerializer,
        responses={200: s.TransactionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        objet = self.trouver(pk)
        self._exiger_teneur(pk)
        version = self.version_attendue(objet)
        entree = s.AcceptationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.transaction_repondre(
            objet=objet,
            acceptee=entree.validated_data["acceptee"],
            version=version,
            acteur=self.acteur,
        )
        return self.rendre(self.trouver(pk))


class TransactionHomologationView(_Transactions):
    @extend_schema(
        operation_id="transactions_homologation",
        parameters=[MOTIF, IF_MATCH],
        request=s.HomologationSerializer,
        responses={200: s.TransactionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        objet = self.trouver(pk)
        self.exiger(politiques.peut_homologuer(perimetre_de(request.user)), pk)
        version = self.version_attendue(objet)
        entree = s.HomologationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        services.transaction_homologuer(
            objet=objet,
            homologuee=d["homologuee"],
            autorite=d["autorite"],
            decision_le=d["decision_le"],
            version=version,
            acteur=self.acteur,
        )
        return self.rendre(self.trouver(pk))
