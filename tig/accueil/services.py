"""Writes of reception sites and posts.

Sites are created by the managers of the ressort (``politiques.ROLES_GESTION``); a site's
référents change its practical details and its posts, never its kind, commune, TIG
habilitation, référents or active flag. A post's ``confirme_le`` is its last confirmation
(``poste_confirmer``): a post left unconfirmed ``TIG_POSTE_PERIME_JOURS`` days is stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from acces.enums import Action, Role
from acces.models import Commune, Habilitation, Utilisateur
from acces.perimetre import perimetre_de
from socle.errors import ApiError
from tig.accueil.models import Activite, Poste, StructureAccueil
from tig.accueil.politiques import ROLES_GESTION, ressorts_geres

CHAMPS_STRUCTURE = frozenset(
    {
        "nom",
        "type",
        "commune",
        "adresse",
        "latitude",
        "longitude",
        "habilitation_par",
        "habilitation_le",
        "habilitation_jusqu_au",
        "contact_service",
        "contact_courriel",
        "contact_telephone",
        "referents",
        "active",
    }
)
# What only a manager of the ressort changes (a référent may not habilitate his own site).
CHAMPS_GESTION = frozenset(
    {"type", "commune", "habilitation_par", "habilitation_le", "habilitation_jusqu_au"}
    | {"referents", "active"}
)
CHAMPS_POSTE = frozenset(
    {
        "activite",
        "commune",
        "lieu",
        "latitude",
        "longitude",
        "capacite",
        "creneaux",
        "ouvert_week_end",
        "age_minimum",
        "natures",
        "desserte_transports",
        "desserte_detail",
        "actif",
        "reference_tig360",
    }
)


def _valider(objet: models.Model) -> None:
    try:
        objet.full_clean()
    except ValidationError as erreur:
        raise ApiError.donnees_invalides(
            {champ: [str(m) for m in messages] for champ, messages in erreur.message_dict.items()}
        ) from None


def _gere(acteur: Utilisateur) -> bool:
    return perimetre_de(acteur).a_role(*ROLES_GESTION)


def _commune(acteur: Utilisateur, code: str) -> Commune:
    commune = Commune.objects.filter(pk=code).first()
    if commune is None or commune.ressort_id not in ressorts_geres(perimetre_de(acteur)):
        raise ApiError.champ_invalide("commune", "Commune inconnue ou hors de votre ressort.")
    return commune


def _referents(ids: Iterable[Any]) -> list[Utilisateur]:
    """Accounts holding (or waiting for) the référent de structure d'accueil role."""
    ids = list(ids)
    titulaires = set(
        Habilitation.objects.en_cours()
        .filter(role=Role.REFERENT_ACCUEIL, utilisateur_id__in=ids, utilisateur__is_active=True)
        .values_list("utilisateur_id", flat=True)
    )
    if set(ids) - titulaires:
        raise ApiError.champ_invalide(
            "referents", "Chaque référent doit avoir le rôle de référent de structure d'accueil."
        )
    return list(Utilisateur.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def structure_creer(
    *, acteur: Utilisateur, commune: str, referents: Iterable[Any] = (), **champs: Any
) -> StructureAccueil:
    """A reception site in a commune of the manager's ressort (403 for any other role)."""
    if not _gere(acteur):
        raise ApiError.acces_refuse()
    inconnus = set(champs) - CHAMPS_STRUCTURE
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ inconnu.")
    structure = StructureAccueil(commune=_commune(acteur, commune), **champs)
    _valider(structure)
    structure.save(force_insert=True)
    structure.referents.set(_referents(referents))
    return structure


@transaction.atomic
def structure_modifier(
    *, structure: StructureAccueil, version: int, acteur: Utilisateur, **champs: Any
) -> StructureAccueil:
    """Change the fields sent (compare-and-swap on ``version``)."""
    inconnus = set(champs) - CHAMPS_STRUCTURE
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non modifiable.")
    courante = (
        StructureAccueil.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=structure.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    gere = ressorts_geres(perimetre_de(acteur))
    manager = courante.commune.ressort_id in gere
    if not manager and CHAMPS_GESTION & set(champs):
        raise ApiError.acces_refuse()
    if courante.version != version:
        raise ApiError.version_perimee()
    referents = champs.pop("referents", None)
    if "commune" in champs:
        courante.commune = _commune(acteur, champs.pop("commune"))
    for nom, valeur in champs.items():
        setattr(courante, nom, valeur)
    courante.version += 1
    _valider(courante)
    courante.save()
    if referents is not None:
        courante.referents.set(_referents(referents))
    return courante


def _structure_modifiable(acteur: Utilisateur, pk: Any) -> StructureAccueil:
    structure = (
        StructureAccueil.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=pk)
        .first()
    )
    if structure is None:
        raise ApiError.champ_invalide("structure", "Structure d'accueil introuvable.")
    return structure


def _activite(code: str) -> Activite:
    activite = Activite.objects.filter(pk=code, active=True).first()
    if activite is None:
        raise ApiError.champ_invalide("activite", "Activité inconnue.")
    return activite


def _commune_du_poste(site: StructureAccueil, code: str | None) -> Commune:
    """The post's commune: the site's by default, else one of the same ressort."""
    if code is None or code == site.commune_id:
        return site.commune
    commune = Commune.objects.filter(pk=code).first()
    if commune is None or commune.ressort_id != site.commune.ressort_id:
        raise ApiError.champ_invalide(
            "commune", "Commune inconnue ou hors du ressort de la structure."
        )
    return commune


@transaction.atomic
def poste_creer(*, acteur: Utilisateur, structure: Any, activite: str, **champs: Any) -> Poste:
    """A post at a site the caller manages (a référent: his own site only). Created means
    confirmed today."""
    inconnus = set(champs) - CHAMPS_POSTE
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ inconnu.")
    site = _structure_modifiable(acteur, structure)
    commune = _commune_du_poste(site, champs.pop("commune", None))
    poste = Poste(
        structure=site,
        activite=_activite(activite),
        commune=commune,
        confirme_le=timezone.localdate(),
        **champs,
    )
    _valider(poste)
    poste.save(force_insert=True)
    return poste


def _poste_modifiable(acteur: Utilisateur, poste: Poste, version: int | None) -> Poste:
    courant = (
        Poste.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=poste.pk)
        .first()
    )
    if courant is None:
        raise ApiError.introuvable()
    if version is not None and courant.version != version:
        raise ApiError.version_perimee()
    return courant


@transaction.atomic
def poste_modifier(*, poste: Poste, version: int, acteur: Utilisateur, **champs: Any) -> Poste:
    """Change the fields sent (compare-and-swap on ``version``); the site never changes."""
    inconnus = set(champs) - CHAMPS_POSTE
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non modifiable.")
    courant = _poste_modifiable(acteur, poste, version)
    if "activite" in champs:
        courant.activite = _activite(champs.pop("activite"))
    if "commune" in champs:
        courant.commune = _commune_du_poste(courant.structure, champs.pop("commune"))
    for nom, valeur in champs.items():
        setattr(courant, nom, valeur)
    courant.version += 1
    _valider(courant)
    courant.save()
    return courant


@transaction.atomic
def poste_confirmer(*, poste: Poste, acteur: Utilisateur) -> Poste:
    """The post is still offered as described: ``confirme_le`` becomes today."""
    courant = _poste_modifiable(acteur, poste, None)
    courant.confirme_le = timezone.localdate()
    courant.version += 1
    courant.save(update_fields=["confirme_le", "version"])
    return courant
