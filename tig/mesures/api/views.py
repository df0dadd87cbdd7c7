"""Measures (TNR, TIG, réparation) for the délégué du procureur and the conseiller d'exécution.

Every measure returned leaves one access event naming its person; a measure out of scope answers
the 404 of a missing one. Other roles get a logged 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.perimetre import perimetre_de
from noyau.filtres import parametres_openapi
from noyau.schema import IDEMPOTENCE, IF_MATCH, MOTIF, PAGINATION
from noyau.vues import VueDonnees
from tig import politiques, services
from tig.mesures import selectors
from tig.mesures.api import serializers as s
from tig.mesures.api.filtres import MesureFiltre
from tig.models import Mesure


def _contraintes(d: dict[str, Any]) -> services.Contraintes:
    return services.Contraintes(
        commune_domicile=d.get("commune_domicile"),
        sans_domicile="commune_domicile" in d and d["commune_domicile"] is None,
        communes_a_eviter=d.get("communes_a_eviter"),
        jours_disponibles=d.get("jours_disponibles"),
        activites_a_eviter=d.get("activites_a_eviter"),
    )


class _Mesures(VueDonnees):
    modele = Mesure
    selecteur = staticmethod(selectors.mesures_visibles)
    serializer_class = s.MesureTigSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.exiger(politiques.peut_gerer_mesures(perimetre_de(request.user)))


class MesureListView(_Mesures):
    filterset_class = MesureFiltre

    @extend_schema(
        operation_id="mesures_tig_liste",
        summary="Lister les mesures",
        description=(
            "Les mesures de votre ressort : toutes pour le délégué du procureur ; les TIG "
            "seulement pour le conseiller d'exécution, des mineurs pour un agent de la PJJ, des "
            "majeurs pour un agent du SPIP. Chaque mesure rendue est inscrite au journal des "
            "accès."
        ),
        parameters=[MOTIF, *parametres_openapi(MesureFiltre), *PAGINATION],
        responses={200: s.MesureTigSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return self.rendre_page(self.selection())

    @extend_schema(
        operation_id="mesures_tig_creer",
        summary="Créer une mesure",
        description=(
            "Le délégué du procureur crée un TNR de composition pénale (100 heures au plus) ou "
            "une réparation pour un mineur ; le conseiller d'exécution crée un TIG (20 à 400 "
            "heures, à exécuter dans les 18 mois ; SPIP : majeurs, PJJ : mineurs). La personne "
            "est déjà enregistrée ; la commune des faits est dans votre ressort. La date limite "
            "est calculée depuis la date de validation par le juge. Une valeur hors des limites "
            "(réglages, valeurs légales par défaut) répond 422 en nommant le champ et les "
            "bornes. Les communes à éviter sont chiffrées."
        ),
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.MesureTigCreationSerializer,
        responses={201: s.MesureTigSerializer},
    )
    def post(self, request: Request) -> Response:
        cle = self.cle_idempotence()
        entree = s.MesureTigCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        pk, _ = self.creer_une_fois(
            "mesures",
            cle,
            lambda: services.mesure_creer(
                nature=d["nature"],
                personne_id=d["personne"],
                situation_id=d.get("situation"),
                heures_prevues=d["heures_prevues"],
                validee_le=d["validee_le"],
                commune=d["commune"],
                contraintes=_contraintes(d),
                acteur=self.acteur,
            ),
        )
        return self.rendre(self.trouver(pk), status.HTTP_201_CREATED)


class MesureDetailView(_Mesures):
    @extend_schema(
        operation_id="mesures_tig_detail",
        summary="Consulter une mesure",
        description=(
            "Une mesure de votre périmètre, avec son ETag ; hors périmètre : 404 comme une "
            "mesure inexistante."
        ),
        parameters=[MOTIF],
        responses={200: s.MesureTigSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self.rendre(self.trouver(pk))

    @extend_schema(
        operation_id="mesures_tig_contraintes_modifier",
        summary="Modifier les contraintes d'une mesure",
        description=(
            "Commune du domicile, communes à éviter, jours disponibles, activités à éviter "
            "d'une mesure en cours. If-Match obligatoire (428 sans, 412 si périmé) ; la "
            "modification est inscrite au journal des modifications, valeurs masquées."
        ),
        parameters=[MOTIF, IF_MATCH],
        request=s.ContraintesSerializer,
        responses={200: s.MesureTigSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        objet = self.trouver(pk)
        version = self.version_attendue(objet)
        entree = s.ContraintesSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.mesure_contraintes_modifier(
            mesure=objet,
            contraintes=_contraintes(dict(entree.validated_data)),
            version=version,
            acteur=self.acteur,
        )
        return self.rendre(self.trouver(pk))
