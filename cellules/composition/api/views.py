"""Thin views of cells and of their members (staff, not case subjects).

No personal data of a followed person here: no motif, no access event, but authentication and
scope. Writing needs the coordonnateur role (403 otherwise); a cell out of scope answers the
same 404 as a missing one; a cell seen but not run by the caller gives 403. A cell carries an
ETag (its version): ``PATCH`` needs ``If-Match`` (428 / 412, as for cases); the creating POSTs
accept ``Idempotency-Key``.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acces import politiques
from acces import services as services_acces
from acces.api.permissions import PeutExclure
from acces.auth.permissions import exige_verification_recente
from acces.enums import Role
from acces.models import Exclusion, Utilisateur
from acces.perimetre import perimetre_de
from audit import journal
from audit.enums import Raison
from cellules.composition import selectors as sel
from cellules.composition import services
from cellules.composition.api import serializers as s
from cellules.composition.models import Cellule, MembreCellule
from noyau import idempotence
from noyau.idempotence import marquer_rejouee
from noyau.schema import IDEMPOTENCE, IF_MATCH, PAGINATION
from noyau.vues import acteur
from socle.errors import ApiError
from socle.etags import etag, version_attendue
from socle.pagination import Pagination

# Query parameters of the staff directory; anything else is refused.
PARAMETRES_ANNUAIRE = frozenset({"recherche", "organisation", "page", "taille"})
RECHERCHE_MAX = 100


def _exiger_coordonnateur(request: Request) -> None:
    if not perimetre_de(request.user).a_role(Role.COORDONNATEUR):
        raise ApiError.acces_refuse()


def _cellule(request: Request, pk: uuid.UUID) -> Cellule:
    cellule = sel.cellule_visible(request.user, pk)
    if cellule is None:
        raise ApiError.introuvable()
    return cellule


def _cellule_geree(request: Request, pk: uuid.UUID) -> Cellule:
    _exiger_coordonnateur(request)
    cellule = _cellule(request, pk)
    if not sel.cellules_gerees(request.user).filter(pk=pk).exists():
        raise ApiError.acces_refuse()
    return cellule


def _corps_cellule(cellule: Cellule) -> dict[str, object]:
    return dict(s.CelluleSerializer(cellule).data)


def _reponse_cellule(cellule: Cellule, code: int = status.HTTP_200_OK) -> Response:
    return Response(_corps_cellule(cellule), status=code, headers={"ETag": etag(cellule)})


class _Cellules(APIView):
    permission_classes = [IsAuthenticated]


class CelluleListView(_Cellules):
    @extend_schema(
        operation_id="cellules_liste",
        description=(
            "Cellules de votre périmètre : celles que vous coordonnez (et celles du CISPD si "
            "votre habilitation le couvre), celles dont vous êtes membre, celles de votre "
            "commune pour le directeur de la tranquillité publique, celles du ressort pour le "
            "délégué du procureur. Chacune avec la version de sa charte en vigueur et si vous "
            "l'avez acceptée ; paginées."
        ),
        parameters=PAGINATION,
        responses={200: s.PageCellulesSerializer},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        queryset = sel.cellules_visibles(request.user).prefetch_related(
            "coordonnateurs", "communes_membres"
        )
        page = pagination.paginate_queryset(queryset, request, view=self) or []
        return pagination.get_paginated_response(s.CelluleSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cellules_creer",
        description=(
            "Réservé aux coordonnateurs (403 sinon) : une cellule d'une commune de votre "
            "périmètre, ou du CISPD si votre habilitation le couvre (communes membres : toutes "
            "par défaut) ; vous en devenez coordonnateur. Son ressort vient du référentiel "
            "(400 si la commune n'en a pas ou si les communes membres relèvent de ressorts "
            "différents). Idempotency-Key accepté. Réponse avec son ETag."
        ),
        parameters=[IDEMPOTENCE],
        request=s.CelluleCreationSerializer,
        responses={201: s.CelluleSerializer},
    )
    def post(self, request: Request) -> Response:
        _exiger_coordonnateur(request)
        cle = idempotence.cle_de(request)
        entree = s.CelluleCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="cellules",
            cle=cle,
            corps=request.data,
            creer=lambda: services.cellule_creer(
                nom=d["nom"],
                type=d["type"],
                commune=d.get("commune"),
                cispd=d["cispd"],
                communes=d.get("communes"),
                reference_reglement_interieur=d.get("reference_reglement_interieur", ""),
                acteur=acteur(request),
            ),
        )
        # A replay reads the cell again through the caller's current scope.
        cellule = _cellule(request, pk)
        return marquer_rejouee(_reponse_cellule(cellule, status.HTTP_201_CREATED), rejouee)


class CelluleDetailView(_Cellules):
    @extend_schema(
        operation_id="cellules_detail",
        description=(
            "Une cellule de votre périmètre, avec son ETag (sa version) ; hors périmètre, 404 "
            "comme une cellule absente."
        ),
        responses={200: s.CelluleSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _reponse_cellule(_cellule(request, pk))

    @extend_schema(
        operation_id="cellules_modifier",
        description=(
            "Par les coordonnateurs de la cellule : nom, type, référence du règlement "
            "intérieur ; seuls les champs envoyés changent. If-Match obligatoire (428 sans, "
            "412 si périmé). 403 pour un autre rôle ou une cellule vue sans la coordonner, 404 "
            "hors périmètre."
        ),
        parameters=[IF_MATCH],
        request=s.CelluleModificationSerializer,
        responses={200: s.CelluleSerializer},
    )
    def patch(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule_geree(request, pk)
        version = version_attendue(request, cellule)
        entree = s.CelluleModificationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        apres = services.cellule_modifier(
            cellule=cellule, version=version, acteur=acteur(request), **entree.validated_data
        )
        # Read again through the scope (with the caller's charter state).
        return _reponse_cellule(_cellule(request, apres.pk))


def _membres(cellule: Cellule) -> Response:
    membres = list(sel.membres(cellule))
    acceptee = sel.ont_accepte_charte(cellule.pk, [m.utilisateur_id for m in membres])
    corps = s.MembreSerializer(membres, many=True, context={"charte_acceptee": acceptee}).data
    return Response({"count": len(membres), "results": corps})


def _corps_membre(membre: MembreCellule) -> dict[str, object]:
    acceptee = sel.ont_accepte_charte(membre.cellule_id, [membre.utilisateur_id])
    return dict(s.MembreSerializer(membre, context={"charte_acceptee": acceptee}).data)


class MembreListView(_Cellules):
    @extend_schema(
        operation_id="cellules_membres_liste",
        description=(
            "Par les coordonnateurs de la cellule : ses membres, actifs puis retirés, avec leur "
            "organisation, leur fonction et s'ils ont accepté la charte de la plateforme en "
            "vigueur et, s'il y en a une, celle de la cellule. 403 pour un autre rôle ou une "
            "cellule vue sans la coordonner, 404 hors périmètre."
        ),
        responses={200: s.MembresSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return _membres(_cellule_geree(request, pk))

    @extend_schema(
        operation_id="cellules_membres_ajouter",
        description=(
            "Par les coordonnateurs de la cellule (403 sinon, 404 hors périmètre) : ajoute un "
            "professionnel, avec l'organisation de son compte, ou réintègre un membre retiré "
            "(les séances qui le convoquent encore lui rouvrent leurs situations). 400 pour un "
            "compte absent, sans habilitation active ou dont le rôle ne donne accès à aucune "
            "situation (role_sans_acces_aux_situations) ; 409 deja_membre. Idempotency-Key "
            "accepté."
        ),
        parameters=[IDEMPOTENCE],
        request=s.MembreAjoutSerializer,
        responses={201: s.MembreSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule_geree(request, pk)
        cle = idempotence.cle_de(request)
        entree = s.MembreAjoutSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        utilisateur = Utilisateur.objects.filter(pk=d["utilisateur"]).first()
        if utilisateur is None:
            raise ApiError.champ_invalide("utilisateur", "Utilisateur introuvable.")
        membre_pk, rejouee = idempotence.executer_une_fois(
            utilisateur=acteur(request),
            route="cellules-membres",
            cle=cle,
            # The cell is part of the request: the same key on another cell is another request.
            corps={"cellule": str(cellule.pk), "corps": request.data},
            creer=lambda: services.membre_ajouter(
                cellule=cellule,
                utilisateur=utilisateur,
                fonction=d["fonction"],
                acteur=acteur(request),
            ),
        )
        membre = sel.membre_de(cellule, membre_pk)
        if membre is None:
            raise ApiError.introuvable()
        corps = _corps_membre(membre)
        return marquer_rejouee(Response(corps, status=status.HTTP_201_CREATED), rejouee)


class MembreRetraitView(_Cellules):
    @extend_schema(
        operation_id="cellules_membres_retirer",
        description=(
            "Par les coordonnateurs de la cellule (403 sinon, 404 hors périmètre ou pour le "
            "membre d'une autre cellule) : retire le membre et, à l'instant, ses accès non "
            "échus aux situations de la cellule, dont le nombre est renvoyé ; retirer deux "
            "fois ne change rien."
        ),
        request=None,
        responses={200: s.RetraitSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID, membre_id: uuid.UUID) -> Response:
        cellule = _cellule_geree(request, pk)
        membre = sel.membre_de(cellule, membre_id)
        if membre is None:
            raise ApiError.introuvable()
        apres, retires = services.membre_retirer(membre=membre, acteur=acteur(request))
        return Response({"membre": _corps_membre(apres), "acces_retires": retires})


def _corps_exclusion(exclusion: Exclusion, cellules: list[uuid.UUID] | None = None) -> Any:
    if cellules is None:
        cellules = sorted(c.cellule_id for c in exclusion.cellules.all())
    return s.ExclusionSerializer({**vars(exclusion), "cellules": cellules}).data


class ExclusionView(APIView):
    """Exclusion with immediate effect (issue 9, item 1).

    The technical administrator excludes from the whole platform; a coordinator excludes a member
    from the cells he coordinates only. Any other target answers like a missing user.
    """

    permission_classes = [PeutExclure]

    @extend_schema(
        operation_id="exclusions_liste",
        description=(
            "Exclusions que vous pouvez lever, les plus récentes d'abord : toutes pour "
            "l'administrateur technique (qui approuve les habilitations), celles des cellules "
            "que vous coordonnez pour un coordonnateur ; 403 pour les autres rôles. Chacune "
            "dit qui l'a prononcée, ses cellules (vide : toute la plateforme) et, une fois "
            "levée, quand, par qui et pourquoi. Paginées."
        ),
        parameters=PAGINATION,
        responses={200: s.PageExclusionsSerializer},
    )
    def get(self, request: Request) -> Response:
        pagination = Pagination()
        queryset = sel.exclusions_visibles(request.user)
        page = pagination.paginate_queryset(queryset, request, view=self) or []
        return pagination.get_paginated_response([_corps_exclusion(e) for e in page])

    @extend_schema(
        operation_id="exclusions_prononcer",
        description=(
            "Exclusion à effet immédiat : l'administrateur technique exclut de toute la "
            "plateforme, un coordonnateur exclut un membre des seules cellules qu'il coordonne ; "
            "toute autre cible répond comme un compte absent."
        ),
        request=s.ExclusionEntreeSerializer,
        responses={201: s.ExclusionSerializer},
    )
    def post(self, request: Request) -> Response:
        entree = s.ExclusionEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        auteur = acteur(request)
        if d["utilisateur"] == auteur.pk:
            raise ApiError.conflit("auto_exclusion", "Vous ne pouvez pas vous exclure vous-même.")
        if perimetre_de(auteur).a_role(Role.ADMIN_TECHNIQUE):
            if "cellules" in d:
                raise ApiError.champ_invalide(
                    "cellules", "L'exclusion de l'administrateur vaut pour toute la plateforme."
                )
            cible = Utilisateur.objects.filter(pk=d["utilisateur"]).first()
            if cible is None:
                raise services._utilisateur_introuvable()
            exclusion = services_acces.utilisateur_exclure(
                utilisateur=cible, motif=d["motif"], acteur=auteur
            )
            cellules: list[uuid.UUID] = []
        else:
            try:
                exclusion, cellules = services.membre_exclure(
                    utilisateur_id=d["utilisateur"],
                    motif=d["motif"],
                    acteur=auteur,
                    cellules=d.get("cellules"),
                )
            except ApiError as erreur:
                # An account out of his cells: the attempt is kept, after the rollback.
                if erreur.status_code == 404:
                    journal.consigner_refus(
                        request, "acces.utilisateur", d["utilisateur"], Raison.HORS_PERIMETRE
                    )
                raise
        return Response(_corps_exclusion(exclusion, cellules), status=status.HTTP_201_CREATED)


class ExclusionLeveeView(APIView):
    """Lifting an exclusion: a second person, after a recent verification, logged."""

    # The administrator (who approves habilitations) and the coordinators; the rest is 403.
    permission_classes = [PeutExclure]

    @extend_schema(
        operation_id="exclusions_lever",
        description=(
            "Lève une exclusion en vigueur, avec un motif de la liste fermée et une "
            "vérification renforcée de moins de cinq minutes (403 verification_requise). "
            "L'administrateur technique lève toute exclusion ; un autre coordonnateur d'une "
            "des cellules visées lève l'exclusion prononcée par un coordonnateur. Jamais la "
            "personne qui l'a prononcée ni la personne exclue (403 levee_par_un_tiers, "
            "consigné au journal des accès) ; 403 pour les autres rôles ; 404 pour une "
            "exclusion absente ou que vous ne voyez pas ; 409 exclusion_levee si elle l'est "
            "déjà. La levée est un événement de sécurité (exclusion_levee) ; ensuite, la "
            "personne peut redevenir membre des cellules visées et, après une exclusion de "
            "la plateforme, recevoir de nouvelles habilitations."
        ),
        request=s.LeveeEntreeSerializer,
        responses={200: s.ExclusionSerializer},
    )
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        entree = s.LeveeEntreeSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        if not sel.exclusions_visibles(request.user).filter(pk=pk).exists():
            raise ApiError(404, "introuvable", "Exclusion introuvable.")
        try:
            exige_verification_recente(request)
        except ApiError:
            journal.consigner_refus(
                request, services_acces.TYPE_EXCLUSION, pk, Raison.VERIFICATION_REQUISE
            )
            raise
        exclusion = services.exclusion_lever(
            exclusion_id=pk, motif=entree.validated_data["motif"], acteur=acteur(request)
        )
        return Response(
            _corps_exclusion(sel.exclusions_visibles(request.user).get(pk=exclusion.pk))
        )


def _parametres_admis(request: Request, admis: frozenset[str]) -> None:
    inconnus = sorted(set(request.query_params) - admis)
    if inconnus:
        message = f"Paramètre inconnu (admis : {', '.join(sorted(admis))})."
        raise ApiError.donnees_invalides({nom[:50]: [message] for nom in inconnus})


class AnnuaireView(APIView):
    """Annuaire des professionnels que le coordonnateur peut ajouter à ses cellules."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="annuaire_liste",
        summary="Annuaire des professionnels",
        description=(
            "Comptes actifs, d'organisations actives, dont un rôle permet de siéger dans une "
            "cellule (les auditeurs, administrateurs techniques et référents de structure "
            "d'accueil n'y figurent pas) : nom, organisation, rôles et fonctions déjà "
            "exercées en cellule, sans adresse ni téléphone. Réservé aux coordonnateurs, qui "
            "composent les cellules ; pas de motif (les professionnels ne sont pas des "
            "personnes suivies). Triés par nom, paginés."
        ),
        parameters=[
            OpenApiParameter(
                "recherche",
                str,
                description="mots cherchés dans le prénom, le nom ou le nom de l'organisation "
                f"(tous doivent figurer ; {RECHERCHE_MAX} caractères au plus)",
            ),
            OpenApiParameter(
                "organisation", uuid.UUID, description="identifiant d'une organisation"
            ),
            *PAGINATION,
        ],
        responses={200: s.PageAnnuaireSerializer},
    )
    def get(self, request: Request) -> Response:
        if not politiques.peut_composer_cellules(perimetre_de(request.user)):
            raise ApiError.acces_refuse()
        _parametres_admis(request, PARAMETRES_ANNUAIRE)
        recherche = request.query_params.get("recherche", "")
        if len(recherche) > RECHERCHE_MAX:
            raise ApiError.champ_invalide("recherche", f"{RECHERCHE_MAX} caractères au plus.")
        brut = request.query_params.get("organisation")
        organisation = None
        if brut is not None:
            try:
                organisation = uuid.UUID(brut)
            except ValueError:
                raise ApiError.champ_invalide(
                    "organisation", "Identifiant d'organisation invalide (UUID attendu)."
                ) from None
        pagination = Pagination()
        comptes = sel.annuaire(recherche, organisation)
        page = pagination.paginate_queryset(comptes, request, view=self) or []
        return pagination.get_paginated_response(s.AnnuaireSerializer(page, many=True).data)


class PartenairesView(_Cellules):
    @extend_schema(
        operation_id="cellules_partenaires_liste",
        summary="Organisations partenaires d'une cellule",
        description=(
            "Organisations actives des membres actifs de la cellule et de ses coordonnateurs : "
            "celles parmi lesquelles choisir l'organisation responsable d'une orientation. "
            "Lisible par qui décide des orientations de la cellule (ses coordonnateurs, le "
            "délégué du procureur du ressort) ; 403 pour qui voit seulement la cellule, 404 "
            "hors périmètre."
        ),
        responses={200: s.PartenairesSerializer},
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        cellule = _cellule(request, pk)
        if not sel.cellules_modifiables(request.user).filter(pk=pk).exists():
            raise ApiError(
                403,
                "acces_refuse",
                "Seuls les coordonnateurs de la cellule et le délégué du procureur du ressort, "
                "qui décident de ses orientations, consultent ses partenaires.",
            )
        organisations = list(sel.partenaires(cellule))
        corps = s.PartenaireSerializer(organisations, many=True).data
        return Response({"count": len(organisations), "results": corps})
