"""Thin views of persons and cases: parse, call one selector or service, render.

They stand on the doorway (``noyau.vues.VueDonnees``): an operational role, the charter
accepted and a motif (``X-Motif``); exactly one access event per personal record returned; a
case out of scope answers the same 404 as a missing one, and the attempt is logged.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from acces.enums import Action
from acces.enums import CategorieInformation as Cat
from acces.models import Commune
from acces.perimetre import perimetre_de
from acces.politiques import peut_lire_categorie
from audit.enums import ActionAcces
from cellules.dossiers import politiques, selectors, services
from cellules.dossiers.api import serializers as s
from cellules.dossiers.api.filtres import SituationFiltre
from cellules.dossiers.models import Personne, Situation
from noyau.filtres import parametres_openapi
from noyau.schema import IDEMPOTENCE, IF_MATCH, MOTIF, PAGINATION
from noyau.vues import VueDonnees
from socle.errors import ApiError

RECHERCHE_MAX = 20


class _Dossiers(VueDonnees):
    def _exiger_createur(self) -> None:
        self.exiger(politiques.peut_ouvrir_situation(perimetre_de(self.request.user)))


class _Situations(_Dossiers):
    modele = Situation
    selecteur = staticmethod(selectors.situations_visibles)
    serializer_class = s.SituationSerializer


class _Personnes(_Dossiers):
    modele = Personne
    selecteur = staticmethod(selectors.personnes_visibles)
    serializer_class = s.PersonneSerializer


class SituationListView(_Situations):
    filterset_class = SituationFiltre

    @extend_schema(
        operation_id="situations_liste",
        parameters=[MOTIF, *parametres_openapi(SituationFiltre), *PAGINATION],
        responses={200: s.PageSituationsSerializer},
    )
    def get(self, request: Request) -> Response:
        return self.rendre_page(self.selection())

    @extend_schema(
        operation_id="situations_creer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.SituationCreationSerializer,
        responses={201: s.SituationSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_createur()
        cle = self.cle_idempotence()
        entree = s.SituationCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        personne = selectors.personne_visible(request.user, d["personne"])
        if personne is None:
            raise ApiError.champ_invalide("personne", "Personne introuvable.")
        cellule = selectors.cellule_pour_ecrire(request.user, d["cellule"])
        if cellule is None:
            raise ApiError.champ_invalide("cellule", "Cellule introuvable.")
        commune = None
        if "commune" in d:
            commune = Commune.objects.filter(pk=d["commune"]).first()
            if commune is None:
                raise ApiError.champ_invalide("commune", "Commune inconnue.")
        pk, _ = self.creer_une_fois(
            "situations",
            cle,
            lambda: services.situation_creer(
                personne=personne,
                cellule=cellule,
                commune=commune,
                source=d["source_signalement"],
                profils=d.get("profils", []),
                observation=d.get("observation"),
                acteur=self.acteur,
            ),
        )
        return self.rendre(self.trouver(pk), status.HTTP_201_CREATED)


class SituationDetailView(_Situations):
    @extend_schema(
        operation_id="situations_detail",
        parameters=[MOTIF],
        responses={200: s.SituationSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self.rendre(self.trouver(pk))

    @extend_schema(
        operation_id="situations_modifier",
        parameters=[MOTIF, IF_MATCH],
        request=s.SituationModificationSerializer,
        responses={200: s.SituationSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        situation = self.trouver(pk, Action.MODIFIER)
        version = self.version_attendue(situation)
        entree = s.SituationModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        services.situation_modifier(
            situation=situation, version=version, acteur=self.acteur, **entree.validated_data
        )
        return self.rendre(self.trouver(pk))


class SituationTransitionView(_Situations):
    @extend_schema(
        operation_id="situations_transition",
        parameters=[MOTIF, IF_MATCH],
        request=s.TransitionSerializer,
        responses={200: s.EtatSituationSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        situation = self.trouver(pk, Action.MODIFIER)
        version = self.version_attendue(situation)
        entree = s.TransitionSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        apres = services.situation_transitionner(
            situation=situation,
            transition=entree.validated_data["transition"],
            motif_cloture=entree.validated_data.get("motif_cloture"),
            version=version,
            acteur=self.acteur,
        )
        # The closing reason is case content: the answer is a read like any other.
        return self.rendre(apres, serializer=s.EtatSituationSerializer)


class PersonneCreationView(_Personnes):
    @extend_schema(
        operation_id="personnes_creer",
        parameters=[MOTIF, IDEMPOTENCE],
        request=s.PersonneCreationSerializer,
        responses={201: s.PersonneSerializer},
    )
    def post(self, request: Request) -> Response:
        self._exiger_createur()
        cle = self.cle_idempotence()
        entree = s.PersonneCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        try:
            pk, _ = self.creer_une_fois(
                "personnes",
                cle,
                lambda: services.personne_creer(
                    nom=d["nom"],
                    prenom=d["prenom"],
                    date_naissance=d["date_naissance"],
                    adresse=d.get("adresse", ""),
                    commune_residence=d.get("commune_residence", ""),
                    acteur=self.acteur,
                ),
            )
        except services.PersonneDejaEnregistree as doublon:
            # The refusal confirms who exists: traced like the search it amounts to, after the
            # write has rolled back.
            self.tracer_ids(Personne, doublon.personnes, ActionAcces.RECHERCHE)
            raise
        return self.rendre(self.trouver(pk), status.HTTP_201_CREATED)


class PersonneDetailView(_Personnes):
    """A person's identity; its rectification (GDPR art. 16) by who may modify her cases."""

    @extend_schema(
        operation_id="personnes_detail",
        description="Identité d'une personne (catégorie « identité »), avec son ETag.",
        parameters=[MOTIF],
        responses={200: s.PersonneSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return self.rendre(self.trouver(pk))

    @extend_schema(
        operation_id="personnes_rectifier",
        description="Rectification de l'identité (droit de rectification, RGPD art. 16) : "
        "réservée à qui peut modifier l'une des situations de la personne, avec l'ETag lu "
        "(If-Match). Seuls les champs envoyés changent ; l'index de recherche suit la "
        "nouvelle identité ; l'historique des modifications en garde la trace, valeurs "
        "masquées. Une identité déjà enregistrée dans votre périmètre : 409 doublon.",
        parameters=[MOTIF, IF_MATCH],
        request=s.RectificationSerializer,
        responses={200: s.PersonneSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        personne = self.trouver(pk, Action.MODIFIER)
        self.exiger(
            peut_lire_categorie(perimetre_de(request.user), Cat.IDENTITE), pk
        )  # who does not receive an identity does not write one
        version = self.version_attendue(personne)
        entree = s.RectificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        try:
            services.personne_rectifier(
                personne=personne, version=version, acteur=self.acteur, **entree.validated_data
            )
        except services.PersonneDejaEnregistree as doublon:
            # The refusal confirms who exists: traced like the search it amounts to.
            self.tracer_ids(Personne, doublon.personnes, ActionAcces.RECHERCHE)
            raise
        return self.rendre(self.trouver(pk))


class PersonneRechercheView(_Personnes):
    """Exact search by identity, in the body (names never travel in URLs or access logs)."""

    @extend_schema(
        operation_id="personnes_recherche",
        description=(
            "Recherche exacte par identité, dans le corps de la requête (les noms ne passent "
            "jamais dans les URL ni dans les journaux)."
        ),
        parameters=[MOTIF],
        request=s.IdentiteSerializer,
        responses={200: s.RechercheReponseSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.IdentiteSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        trouvees: list[Personne] = list(
            selectors.personnes_recherche(request.user, d["nom"], d["prenom"], d["date_naissance"])[
                :RECHERCHE_MAX
            ]
        )
        corps = self.serialiser(trouvees, many=True, action=ActionAcces.RECHERCHE)
        return Response({"count": len(trouvees), "results": corps})
