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

from acces.crypto.champs import precharger_cles
from acces.perimetre import perimetre_de
from audit.enums import ActionAcces, Raison
from cellules.api.commun import (
    IDEMPOTENCE,
    IF_MATCH,
    MOTIF,
    Donnees,
    acteur,
    champ_invalide,
    marquer_rejouee,
    refuser,
    tracer,
)
from cellules.dossiers.models import Personne
from cellules.registres import politiques, selectors
from cellules.registres import services as rappels
from cellules.registres import services as transactions
from cellules.registres.api import serializers as s
from cellules.registres.models import TransactionMunicipale
from cellules.registres.selectors import commune
from noyau import idempotence
from socle.etags import etag, version_attendue
from socle.pagination import Pagination

TYPE_RAPPEL = "cellules.rappel_ordre"
TYPE_TRANSACTION = "cellules.transaction"
ANNEE_MIN, ANNEE_MAX = 2000, 2100


class _Registre(Donnees):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not politiques.peut_lire_registre(perimetre_de(request.user)):
            raise refuser(request, self.type_objet, None, Raison.ROLE_INSUFFISANT, 403)

    def _exiger_teneur(self, request: Request, pk: Any = None) -> None:
        if not politiques.peut_tenir_registre(perimetre_de(request.user)):
            raise refuser(request, self.type_objet, pk, Raison.ROLE_INSUFFISANT, 403)


def _personne(request: Request, d: dict[str, Any]) -> tuple[Personne | None, Any]:
    """The person named by id (within the keeper's reach) or the identity to register."""
    identite = None
    if "identite" in d:
        identite = rappels.IdentiteNouvelle(**d["identite"])
    if "personne" not in d:
        return None, identite
    personne = selectors.personne_pour_registre(request.user, d["personne"])
    if personne is None:
        raise champ_invalide("personne", "Personne introuvable.")
    return personne, identite


def _page(request: Request, view: Any, queryset: Any, serializer: Any, type_objet: str) -> Any:
    pagination = Pagination()
    page = pagination.paginate_queryset(queryset, request, view=view) or []
    precharger_cles([o.personne for o in page])
    corps = serializer(page, many=True, context={"request": request}).data
    tracer(request, type_objet, page, ActionAcces.LISTE)
    return pagination.get_paginated_response(corps)


def _rappel(request: Request, pk: uuid.UUID, code: int = 200) -> Response:
    rappel = selectors.rappel_visible(request.user, pk)
    if rappel is None:
        raise refuser(request, TYPE_RAPPEL, pk, Raison.HORS_PERIMETRE, 404)
    corps = s.RappelSerializer(rappel, context={"request": request}).data
    tracer(request, TYPE_RAPPEL, [rappel], ActionAcces.CONSULTATION)
    return Response(corps, status=code)


class RappelListView(_Registre):
    type_objet = TYPE_RAPPEL

    @extend_schema(
        operation_id="rappels_liste",
        parameters=[MOTIF, OpenApiParameter("page", int), OpenApiParameter("taille", int)],
        responses={200: s.RappelSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rappels_lus = selectors.rappels_visibles(request.user)
        return _page(request, self, rappels_lus, s.RappelSerializer, TYPE_RAPPEL)  # type: ignore[no-any-return]

    @extend_schema(
        operation_id="rappels_enregistrer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.RappelCreationSerializer,
        responses={201: s.RappelSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_teneur(request)
        cle = idempotence.cle_de(request)
        entree = s.RappelCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne, identite = _personne(request, d)
        lieu = commune(d["commune"])
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="rappels-a-l-ordre",
            cle=cle,
            corps=request.data,
            creer=lambda: rappels.rappel_enregistrer(
                commune=lieu,
                date=d["date"],
                qualite_auteur=d["qualite_auteur"],
                reference_delegation=d.get("reference_delegation", ""),
                personne=personne,
                identite=identite,
                faits=d["faits"],
                qualification=rappels.Qualification(
                    crime_ou_delit=d["crime_ou_delit"],
                    plainte_en_cours=d["plainte_en_cours"],
                    enquete_en_cours=d["enquete_en_cours"],
                ),
                accompagnant=d.get("accompagnant", ""),
                motif_sans_accompagnant=d.get("motif_sans_accompagnant", ""),
                transmis_au_parquet_le=d.get("transmis_au_parquet_le"),
                reference_convention=d.get("reference_convention", ""),
                acteur=acteur(request),
            ),
        )
        return marquer_rejouee(_rappel(request, pk, status.HTTP_201_CREATED), rejouee)


class RappelDetailView(_Registre):
    type_objet = TYPE_RAPPEL

    @extend_schema(
        operation_id="rappels_detail", parameters=[MOTIF], responses={200: s.RappelSerializer}
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _rappel(request, pk)


class RappelStatistiquesView(_Registre):
    """Counts per commune and year, over the entries the reader may see; no person."""

    type_objet = TYPE_RAPPEL

    @extend_schema(
        operation_id="rappels_statistiques",
        parameters=[MOTIF, OpenApiParameter("annee", int, description="année (défaut : en cours)")],
        responses={200: s.StatistiquesSerializer},
    )
    def get(self, request: Request) -> Response:
        brut = request.query_params.get("annee")
        annee = timezone.localdate().year
        if brut is not None:
            if not (brut.isascii() and brut.isdigit() and ANNEE_MIN <= int(brut) <= ANNEE_MAX):
                raise champ_invalide("annee", f"Année entre {ANNEE_MIN} et {ANNEE_MAX}.")
            annee = int(brut)
        lignes = selectors.statistiques_rappels(request.user, annee)
        communes = s.StatistiqueSerializer(lignes, many=True).data
        return Response({"annee": annee, "communes": communes})


def _transaction(request: Request, pk: uuid.UUID, code: int = 200) -> Response:
    objet = selectors.transaction_visible(request.user, pk)
    if objet is None:
        raise refuser(request, TYPE_TRANSACTION, pk, Raison.HORS_PERIMETRE, 404)
    corps = s.TransactionSerializer(objet, context={"request": request}).data
    tracer(request, TYPE_TRANSACTION, [objet], ActionAcces.CONSULTATION)
    return Response(corps, status=code, headers={"ETag": etag(objet)})


class TransactionListView(_Registre):
    type_objet = TYPE_TRANSACTION

    @extend_schema(
        operation_id="transactions_liste",
        parameters=[MOTIF, OpenApiParameter("page", int), OpenApiParameter("taille", int)],
        responses={200: s.TransactionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        lues = selectors.transactions_visibles(request.user)
        return _page(request, self, lues, s.TransactionSerializer, TYPE_TRANSACTION)  # type: ignore[no-any-return]

    @extend_schema(
        operation_id="transactions_proposer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.TransactionCreationSerializer,
        responses={201: s.TransactionSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_teneur(request)
        cle = idempotence.cle_de(request)
        entree = s.TransactionCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne, identite = _personne(request, d)
        lieu = commune(d["commune"])
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="transactions",
            cle=cle,
            corps=request.data,
            creer=lambda: transactions.transaction_proposer(
                commune=lieu,
                personne=personne,
                identite=identite,
                contravention=d["contravention"],
                date_constat=d["date_constat"],
                date_proposition=d["date_proposition"],
                nature=d["nature"],
                montant=d.get("montant"),
                heures=d.get("heures"),
                acteur=acteur(request),
            ),
        )
        return marquer_rejouee(_transaction(request, pk, status.HTTP_201_CREATED), rejouee)


def _a_decider(request: Request, pk: uuid.UUID) -> tuple[TransactionMunicipale, int]:
    objet = selectors.transaction_visible(request.user, pk)
    if objet is None:
        raise refuser(request, TYPE_TRANSACTION, pk, Raison.HORS_PERIMETRE, 404)
    return objet, version_attendue(request, objet)


class TransactionAcceptationView(_Registre):
    type_objet = TYPE_TRANSACTION

    @extend_schema(
        operation_id="transactions_acceptation",
        parameters=[MOTIF, IF_MATCH],
        request=s.AcceptationSerializer,
        responses={200: s.TransactionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        if selectors.transaction_visible(request.user, pk) is None:
            raise refuser(request, TYPE_TRANSACTION, pk, Raison.HORS_PERIMETRE, 404)
        self._exiger_teneur(request, pk)
        objet, version = _a_decider(request, pk)
        entree = s.AcceptationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        transactions.transaction_repondre(
            objet=objet,
            acceptee=entree.validated_data["acceptee"],
            version=version,
            acteur=acteur(request),
        )
        return _transaction(request, pk)


class TransactionHomologationView(_Registre):
    type_objet = TYPE_TRANSACTION

    @extend_schema(
        operation_id="transactions_homologation",
        parameters=[MOTIF, IF_MATCH],
        request=s.HomologationSerializer,
        responses={200: s.TransactionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        if selectors.transaction_visible(request.user, pk) is None:
            raise refuser(request, TYPE_TRANSACTION, pk, Raison.HORS_PERIMETRE, 404)
        if not politiques.peut_homologuer(perimetre_de(request.user)):
            raise refuser(request, TYPE_TRANSACTION, pk, Raison.ROLE_INSUFFISANT, 403)
        objet, version = _a_decider(request, pk)
        entree = s.HomologationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        transactions.transaction_homologuer(
            objet=objet,
            homologuee=d["homologuee"],
            autorite=d["autorite"],
            decision_le=d["decision_le"],
            version=version,
            acteur=acteur(request),
        )
        return _transaction(request, pk)
