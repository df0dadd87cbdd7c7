"""Writes of cells and of their members: coordinators only, within their habilitation scope.

Members are staff, not case subjects: nothing here is personal data of a followed person. The
change log (django-auditlog) records each save and delete in the same transaction. Every change
of a cell (its fields, its members) bumps its ``version`` under a row lock (checklist F1).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from acces import services as services_acces
from acces.enums import MotifExclusion, MotifLevee, PorteeExclusion, Role, TypeOrganisation
from acces.models import Commune, Exclusion, Habilitation, Utilisateur
from acces.perimetre import Portee, perimetre_de
from audit.enums import Raison
from cellules.composition import selectors as selectors_cellules
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule, ExclusionCellule, MembreCellule
from cellules.dossiers.models import AccesSituation
from cellules.dossiers.politiques import lit_en_membre
from socle.errors import ApiError

NOM_MAX = 150
REFERENCE_MAX = 200
FONCTION_MAX = 100
CHAMPS_MODIFIABLES = frozenset({"nom", "type", "reference_reglement_interieur"})


def texte_valide(champ: str, valeur: str, maximum: int, *, obligatoire: bool = True) -> str:
    """A short text, stripped: no control character, ``maximum`` characters at most."""
    propre = valeur.strip()
    if obligatoire and not propre:
        raise ApiError.champ_invalide(champ, "Ce champ est obligatoire.")
    if len(propre) > maximum:
        raise ApiError.champ_invalide(champ, f"{maximum} caractères au plus.")
    if any(ord(c) < 32 for c in propre):
        raise ApiError.champ_invalide(champ, "Caractères de contrôle refusés.")
    return propre


def _portee_coordonnateur(acteur: Utilisateur) -> Portee:
    perimetre = perimetre_de(acteur)
    if not perimetre.a_role(Role.COORDONNATEUR):
        raise ApiError.acces_refuse()
    return perimetre.portee(Role.COORDONNATEUR)


def _type(valeur: str) -> str:
    if valeur not in TypeCellule.values:
        raise ApiError.champ_invalide("type", "Valeur hors de la liste fermée.")
    return valeur


def _commune(code: str | None, cispd: bool, portee: Portee) -> Commune | None:
    if cispd:
        if code:
            raise ApiError.champ_invalide(
                "commune", "Une cellule du CISPD n'est rattachée à aucune commune."
            )
        if not portee.cispd:
            raise ApiError.champ_invalide("cispd", "Votre habilitation ne couvre pas le CISPD.")
        return None
    if not code:
        raise ApiError.champ_invalide("commune", "Ce champ est obligatoire.")
    # Same answer for an unknown commune and one outside the scope.
    commune = Commune.objects.filter(pk=code).first() if code in portee.communes else None
    if commune is None:
        raise ApiError.champ_invalide("commune", "Commune hors de votre périmètre.")
    return commune


def _communes_membres(codes: Iterable[str] | None, cispd: bool) -> list[Commune]:
    """A CISPD cell's member communes (default: every commune of the reference list)."""
    if not cispd:
        if codes is not None:
            raise ApiError.champ_invalide(
                "communes", "Seule une cellule du CISPD a des communes membres."
            )
        return []
    if codes is None:
        return list(Commune.objects.all())
    voulues = set(codes)
    communes = list(Commune.objects.filter(pk__in=voulues))
    if not voulues or len(communes) != len(voulues):
        raise ApiError.champ_invalide("communes", "Communes inconnues ou liste vide.")
    return communes


def _ressort(commune: Commune | None, membres: list[Commune]) -> str:
    """The ressort comes from the reference data, never from typed text (issue 9, item 4)."""
    ressorts = {c.ressort_id for c in ([commune] if commune else membres)}
    if None in ressorts or not ressorts:
        raise ApiError.champ_invalide(
            "commune", "Cette commune n'est rattachée à aucun ressort judiciaire."
        )
    if len(ressorts) > 1:
        raise ApiError.champ_invalide(
            "communes", "Les communes membres relèvent de ressorts différents."
        )
    return str(ressorts.pop())


@transaction.atomic
def cellule_creer(
    *,
    nom: str,
    type: str,
    acteur: Utilisateur,
    commune: str | None = None,
    cispd: bool = False,
    communes: Iterable[str] | None = None,
    reference_reglement_interieur: str = "",
) -> Cellule:
    """Create a cell of a commune of the actor's scope (or of the CISPD); he coordinates it.

    Its ressort is its commune's (a CISPD cell's, the one of its member communes).
    """
    portee = _portee_coordonnateur(acteur)
    de_la_commune = _commune(commune, cispd, portee)
    membres = _communes_membres(communes, cispd)
    cellule = Cellule(
        nom=texte_valide("nom", nom, NOM_MAX),
        type=_type(type),
        commune=de_la_commune,
        cispd=cispd,
        ressort_id=_ressort(de_la_commune, membres),
        reference_reglement_interieur=texte_valide(
            "reference_reglement_interieur",
            reference_reglement_interieur,
            REFERENCE_MAX,
            obligatoire=False,
        ),
    )
    cellule.full_clean()
    cellule.save(force_insert=True)
    cellule.coordonnateurs.add(acteur)
    cellule.communes_membres.set(membres)
    return cellule


def _cellule_geree(cellule: Cellule, acteur: Utilisateur, *, verrou: bool = False) -> Cellule:
    _portee_coordonnateur(acteur)
    queryset = selectors_cellules.cellules_gerees(acteur)
    if verrou:
        queryset = queryset.select_for_update()
    courante = queryset.filter(pk=cellule.pk).first()
    if courante is None:
        raise ApiError.introuvable()
    return courante


def _nouvelle_version(courante: Cellule) -> None:
    """Bump the version of a locked cell (its ETag changes)."""
    courante.version += 1
    courante.save(update_fields=["version"])


@transaction.atomic
def cellule_modifier(
    *, cellule: Cellule, version: int, acteur: Utilisateur, **champs: Any
) -> Cellule:
    """Rename a cell, change its kind or its règlement intérieur reference (compare-and-swap)."""
    inconnus = set(champs) - CHAMPS_MODIFIABLES
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non modifiable.")
    courante = _cellule_geree(cellule, acteur, verrou=True)
    if courante.version != version:
        raise ApiError(412, "version_perimee", "La cellule a été modifiée depuis votre lecture.")
    if "nom" in champs:
        courante.nom = texte_valide("nom", champs["nom"], NOM_MAX)
    if "type" in champs:
        courante.type = _type(champs["type"])
    if "reference_reglement_interieur" in champs:
        courante.reference_reglement_interieur = texte_valide(
            "reference_reglement_interieur",
            champs["reference_reglement_interieur"],
            REFERENCE_MAX,
            obligatoire=False,
        )
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


def _exiger_habilite(utilisateur: Utilisateur) -> None:
    organisation = utilisateur.organisation
    perimetre = perimetre_de(utilisateur)
    if perimetre.vide or organisation is None or not organisation.active:
        raise ApiError.champ_invalide(
            "utilisateur", "Cet utilisateur n'a pas d'habilitation active."
        )
    if not lit_en_membre(perimetre):
        # Derived from the case policy: a member only reads what his role lets him read.
        raise ApiError.refus(
            "role_sans_acces_aux_situations",
            "Le rôle de cet utilisateur (par exemple auditeur, administrateur technique ou "
            "référent de structure d'accueil) ne donne accès à aucune situation : il ne peut "
            "pas être membre d'une cellule.",
            "utilisateur",
        )


def _exiger_non_exclu(cellule: Cellule, utilisateur: Utilisateur) -> None:
    """A standing exclusion (platform-wide, or naming this cell) keeps him out until lifted."""
    couvrant = (
        Exclusion.objects.en_vigueur()
        .filter(utilisateur=utilisateur)
        .filter(
            Q(portee=PorteeExclusion.PLATEFORME)
            | Q(pk__in=ExclusionCellule.objects.filter(cellule=cellule).values("exclusion_id"))
        )
    )
    if couvrant.exists():
        raise ApiError.conflit(
            "membre_exclu",
            "Cet utilisateur est exclu de cette cellule : l'exclusion doit d'abord être levée "
            "(POST /api/v1/exclusions/<id>/levee/) par une autre personne que celle qui l'a "
            "prononcée.",
        )


@transaction.atomic
def membre_ajouter(
    *, cellule: Cellule, utilisateur: Utilisateur, fonction: str, acteur: Utilisateur
) -> MembreCellule:
    """Add (or bring back) a member; the organisation is the member's own."""
    courante = _cellule_geree(cellule, acteur, verrou=True)
    _exiger_non_exclu(courante, utilisateur)
    _exiger_habilite(utilisateur)
    fonction = texte_valide("fonction", fonction, FONCTION_MAX)
    existant = (
        MembreCellule.objects.select_for_update()
        .filter(cellule=courante, utilisateur=utilisateur)
        .first()
    )
    if existant is not None and existant.actif:
        raise ApiError.conflit("deja_membre", "Cet utilisateur est déjà membre de la cellule.")
    membre = existant or MembreCellule(cellule=courante, utilisateur=utilisateur)
    membre.organisation = utilisateur.organisation  # type: ignore[assignment]
    membre.fonction = fonction
    membre.actif = True
    membre.full_clean()
    membre.save()
    if existant is not None:
        from cellules.seances.droits import synchroniser_membre

        # Brought back: the meetings that still convene him open their cases again.
        synchroniser_membre(membre, acteur)
    _nouvelle_version(courante)
    return membre


@transaction.atomic
def membre_retirer(*, membre: MembreCellule, acteur: Utilisateur) -> tuple[MembreCellule, int]:
    """Withdraw a member and, at once, his unexpired grants on the cases of the cell.

    Returns the member and the number of grants withdrawn. Withdrawing twice is harmless (and
    leaves the cell's version alone).
    """
    courante = _cellule_geree(membre.cellule, acteur, verrou=True)
    ligne = MembreCellule.objects.select_for_update().filter(pk=membre.pk, cellule=courante).first()
    if ligne is None:
        raise ApiError.introuvable()
    etait_actif = ligne.actif
    if etait_actif:
        ligne.actif = False
        ligne.save(update_fields=["actif"])
    acces = AccesSituation.objects.filter(
        user_id=ligne.utilisateur_id, content_object__cellule=courante
    ).filter(Q(expire_le__isnull=True) | Q(expire_le__gt=timezone.now()))
    retires = 0
    # One delete per row, so that the change log records each grant withdrawn.
    for grant in acces:
        grant.delete()
        retires += 1
    if etait_actif or retires:
        _nouvelle_version(courante)
    return ligne, retires


# A coordinator never excludes the parquet, the auditors nor the administrators (issue 9, item 1).
ROLES_HORS_EXCLUSION = frozenset({Role.DELEGUE_PROCUREUR, Role.AUDITEUR, Role.ADMIN_TECHNIQUE})


def _utilisateur_introuvable() -> ApiError:
    # The same answer for an unknown id and a target outside the coordinator's cells.
    return ApiError(404, "introuvable", "Utilisateur introuvable.")


def _hors_exclusion(cible: Utilisateur) -> bool:
    if cible.organisation is not None and cible.organisation.type == TypeOrganisation.PARQUET:
        return True
    return Habilitation.objects.filter(
        utilisateur=cible, role__in=ROLES_HORS_EXCLUSION, revoquee_le__isnull=True
    ).exists()


@transaction.atomic
def membre_exclure(
    *,
    utilisateur_id: uuid.UUID,
    motif: MotifExclusion | str,
    acteur: Utilisateur,
    cellules: Iterable[uuid.UUID] | None = None,
) -> tuple[Exclusion, list[uuid.UUID]]:
    """Exclude a member, with immediate effect, from the cells ``acteur`` coordinates.

    Every active membership of the target in those cells (or in the ones named) is withdrawn with
    its grants on their cases. The target keeps his other roles: only the technical
    administrator excludes from the whole platform. Returns the exclusion and the cells.
    """
    _portee_coordonnateur(acteur)
    gerees = selectors_cellules.cellules_gerees(acteur)
    demandees = None if cellules is None else set(cellules)
    if demandees is not None:
        gerees = gerees.filter(pk__in=demandees)
    membres = list(
        MembreCellule.objects.select_related("cellule")
        .filter(cellule__in=gerees, utilisateur_id=utilisateur_id, actif=True)
        .order_by("cellule_id")
    )
    cible = Utilisateur.objects.select_related("organisation").filter(pk=utilisateur_id).first()
    if (
        cible is None
        or not membres
        or (demandees is not None and {m.cellule_id for m in membres} != demandees)
        or _hors_exclusion(cible)
    ):
        raise _utilisateur_introuvable()
    exclusion = Exclusion(
        utilisateur=cible, motif=motif, par=acteur, portee=PorteeExclusion.CELLULES
    )
    exclusion.full_clean()
    exclusion.save()
    for membre in membres:
        ExclusionCellule.objects.create(exclusion=exclusion, cellule_id=membre.cellule_id)
        membre_retirer(membre=membre, acteur=acteur)
    services_acces.evenement_securite(
        Raison.UTILISATEUR_EXCLU, "acces.exclusion", exclusion.pk, acteur
    )
    return exclusion, [m.cellule_id for m in membres]


def exclusion_lever(
    *, exclusion_id: uuid.UUID, motif: MotifLevee | str, acteur: Utilisateur
) -> Exclusion:
    """Lift an exclusion the actor may see (administrators: all of them; a coordinator: those
    of the cells he runs); an exclusion he may not see answers like a missing one."""
    exclusion = selectors_cellules.exclusions_visibles(acteur).filter(pk=exclusion_id).first()
    if exclusion is None:
        raise ApiError(404, "introuvable", "Exclusion introuvable.")
    return services_acces.exclusion_lever(exclusion=exclusion, motif=motif, acteur=acteur)
