"""Writes of persons and cases: typed, atomic, checked against the actor's scope.

The change log (django-auditlog) records each save in the same transaction; concurrent writers
of one case are serialised by a row lock and refused on a stale ``version`` (checklist F1).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer, dechiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.enums import Action
from acces.enums import CategorieInformation as Cat
from acces.models import Commune, Utilisateur
from acces.perimetre import perimetre_de
from acces.politiques import peut_lire_categorie
from cellules.composition.models import Cellule
from cellules.composition.services import texte_valide
from cellules.dossiers import politiques, selectors
from cellules.dossiers.categories import CATEGORIES_PROFILS, CATEGORIES_SOURCES, REPLIS
from cellules.dossiers.enums import (
    STATUTS_OUVERTS,
    TRANSITIONS,
    MotifCloture,
    Profil,
    StatutSituation,
    Transition,
)
from cellules.dossiers.models import TEXTES_LIBRES, AccesSituation, Personne, Situation
from socle.errors import ApiError

OBSERVATION_MAX = TEXTES_LIBRES["cellules.situation.observation"]
IDENTITE_MAX = 100
ADRESSE_MAX = 300
NAISSANCE_MIN = dt.date(1900, 1, 1)
CHAMPS_MODIFIABLES = frozenset({"source_signalement", "profils", "observation", "referent"})


def _naissance(valeur: dt.date) -> dt.date:
    if not NAISSANCE_MIN <= valeur <= timezone.localdate():
        raise ApiError.champ_invalide("date_naissance", "Date de naissance impossible.")
    return valeur


def _profils(valeurs: Iterable[str]) -> list[str]:
    liste = list(valeurs)
    if any(v not in Profil.values for v in liste):
        raise ApiError.champ_invalide("profils", "Profil inconnu.")
    # Stable order, no duplicates: the stored list is a set of closed-list values.
    return [v for v in Profil.values if v in liste]


def _observation(valeur: str | None) -> str | None:
    if valeur is None:
        return None
    propre = texte_valide("observation", valeur, OBSERVATION_MAX, obligatoire=False)
    return propre or None


def _exiger_createur(acteur: Utilisateur) -> None:
    if not politiques.peut_ouvrir_situation(perimetre_de(acteur)):
        raise ApiError.acces_refuse()


DOUBLONS_MAX = 20


class PersonneDejaEnregistree(ApiError):
    """409 ``doublon``: it confirms an identity, so the view logs it like a search (the ids
    never reach the response body)."""

    def __init__(self, personnes: list[uuid.UUID]) -> None:
        super().__init__(
            409,
            "doublon",
            "Cette personne est déjà enregistrée dans votre périmètre : recherchez-la.",
        )
        self.personnes = personnes


@transaction.atomic
def personne_creer(
    *,
    nom: str,
    prenom: str,
    date_naissance: dt.date,
    adresse: str,
    commune_residence: str,
    acteur: Utilisateur,
) -> Personne:
    """Register a person; a duplicate is refused only when it lies within the actor's scope."""
    _exiger_createur(acteur)
    nom = texte_valide("nom", nom, IDENTITE_MAX)
    prenom = texte_valide("prenom", prenom, IDENTITE_MAX)
    date_naissance = _naissance(date_naissance)
    existantes = list(
        selectors.personnes_recherche(acteur, nom, prenom, date_naissance).values_list(
            "pk", flat=True
        )[:DOUBLONS_MAX]
    )
    if existantes:
        raise PersonneDejaEnregistree(existantes)
    cle = CleDonnees.nouvelle()
    cle.save()
    personne = Personne(id=uuid.uuid4(), cle=cle, cree_par=acteur)
    chiffrer(personne, "nom", nom)
    chiffrer(personne, "prenom", prenom)
    chiffrer(personne, "date_naissance", date_naissance)
    chiffrer(personne, "adresse", texte_valide("adresse", adresse, ADRESSE_MAX, obligatoire=False))
    chiffrer(
        personne,
        "commune_residence",
        texte_valide("commune_residence", commune_residence, IDENTITE_MAX, obligatoire=False),
    )
    personne.index_identite = index_aveugle(nom, prenom, date_naissance)
    personne.full_clean()
    personne.save(force_insert=True)
    return personne


IDENTITE_RECTIFIABLE = ("nom", "prenom", "date_naissance", "adresse", "commune_residence")


def _identite_valide(champ: str, valeur: Any) -> Any:
    if champ == "date_naissance":
        return _naissance(valeur)
    if champ in ("nom", "prenom"):
        return texte_valide(champ, valeur, IDENTITE_MAX)
    maximum = ADRESSE_MAX if champ == "adresse" else IDENTITE_MAX
    return texte_valide(champ, valeur, maximum, obligatoire=False)


@transaction.atomic
def personne_rectifier(
    *, personne: Personne, version: int, acteur: Utilisateur, **champs: Any
) -> Personne:
    """Correct a person's identity (GDPR art. 16), compare-and-swap on ``version``.

    Open to who may modify one of the person's cases (or registered her, before any case).
    Only the fields whose value changes are encrypted again, so the change log (masked values)
    names exactly those; the blind index follows the new identity. An identity already
    registered within the actor's scope is refused as at registration (409 ``doublon``).
    """
    inconnus = set(champs) - set(IDENTITE_RECTIFIABLE)
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non rectifiable.")
    if not champs:
        raise ApiError.champ_invalide("identite", "Indiquez au moins un champ à rectifier.")
    courante: Personne | None = (
        Personne.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=personne.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    if courante.version != version:
        raise ApiError.version_perimee()
    nouvelles = {champ: _identite_valide(champ, valeur) for champ, valeur in champs.items()}
    changes = {c: v for c, v in nouvelles.items() if dechiffrer(courante, c) != v}
    if not changes:
        return courante
    if {"nom", "prenom", "date_naissance"} & set(changes):
        nom = str(changes.get("nom", dechiffrer(courante, "nom")))
        prenom = str(changes.get("prenom", dechiffrer(courante, "prenom")))
        naissance: dt.date = changes.get("date_naissance", courante.naissance())
        autres = list(
            selectors.personnes_recherche(acteur, nom, prenom, naissance)
            .exclude(pk=courante.pk)
            .values_list("pk", flat=True)[:DOUBLONS_MAX]
        )
        if autres:
            raise PersonneDejaEnregistree(autres)
        courante.index_identite = index_aveugle(nom, prenom, naissance)
    for champ, valeur in changes.items():
        chiffrer(courante, champ, valeur)
    courante.version += 1
    # A person registered by a script or the demo has no creator: nothing to validate there.
    courante.full_clean(exclude=["cree_par"])
    courante.rectifies = tuple(c for c in IDENTITE_RECTIFIABLE if c in changes)
    courante.save()
    courante.rectifies = ()
    return courante


def _exiger_charte_cellule(cellule: Cellule, acteur: Utilisateur) -> None:
    """No case is opened in a cell whose charter in force the actor has not accepted."""
    from cellules.chartes.selectors import ont_accepte

    if acteur.pk not in ont_accepte(cellule.pk, [acteur.pk]):
        raise ApiError(
            403,
            "charte_cellule_non_acceptee",
            "Acceptez la charte de confidentialité de la cellule avant d'y ouvrir une situation.",
        )


def _commune_de_situation(cellule: Cellule, commune: Commune | None) -> Commune:
    """A case's commune decides which director reads it (issue 9, item 3).

    A communal cell's cases carry that cell's commune; a CISPD cell's, one of its member
    communes. Anything else would disclose the case to another commune's director.
    """
    if cellule.commune is not None:
        if commune is not None and commune.pk != cellule.commune_id:
            raise ApiError.champ_invalide(
                "commune", "Une situation porte la commune de sa cellule."
            )
        return cellule.commune
    if commune is None:
        raise ApiError.champ_invalide(
            "commune", "La commune est obligatoire pour une cellule du CISPD."
        )
    if not cellule.communes_membres.filter(pk=commune.pk).exists():
        raise ApiError.champ_invalide(
            "commune", "Cette commune n'est pas membre de la cellule du CISPD."
        )
    return commune


CONTRAINTE_SITUATION_OUVERTE = "situation_ouverte_unique"


def _situation_ouverte(personne: Personne, cellule: Cellule) -> uuid.UUID | None:
    """The open case of this person in this cell, whoever may read it (the rule is global)."""
    pk: uuid.UUID | None = (
        Situation.objects.filter(personne=personne, cellule=cellule, statut__in=STATUTS_OUVERTS)
        .values_list("pk", flat=True)
        .first()
    )
    return pk


def refus_situation_ouverte(existante: uuid.UUID | None, acteur: Utilisateur) -> ApiError:
    """409 ``situation_ouverte_existante``; it names the open case only to who may read it
    (anyone else learns that a case exists, which the constraint cannot hide, and nothing more).
    """
    if (
        existante is not None
        and Situation.objects.restrict(acteur, Action.LIRE).filter(pk=existante).exists()
    ):
        return ApiError(
            409,
            "situation_ouverte_existante",
            "Cette personne a déjà une situation ouverte dans cette cellule : "
            f"/api/v1/situations/{existante}/.",
            {"situation": [str(existante)]},
        )
    return ApiError.conflit(
        "situation_ouverte_existante",
        "Cette personne a déjà une situation ouverte dans cette cellule.",
    )


@transaction.atomic
def situation_creer(
    *,
    personne: Personne,
    cellule: Cellule,
    source: str,
    profils: Iterable[str],
    observation: str | None,
    acteur: Utilisateur,
    commune: Commune | None = None,
    referent: Utilisateur | None = None,
    signalee_le: dt.date | None = None,
) -> Situation:
    """Open a case in a cell the actor runs, for a person the actor may reach."""
    _exiger_createur(acteur)
    if not Cellule.objects.restrict(acteur, Action.MODIFIER).filter(pk=cellule.pk).exists():
        raise ApiError.introuvable()
    _exiger_charte_cellule(cellule, acteur)
    if not Personne.objects.restrict(acteur, Action.LIRE).filter(pk=personne.pk).exists():
        raise ApiError.introuvable()
    existante = _situation_ouverte(personne, cellule)
    if existante is not None:
        raise refus_situation_ouverte(existante, acteur)
    situation = Situation(
        id=uuid.uuid4(),
        personne=personne,
        cellule=cellule,
        commune=_commune_de_situation(cellule, commune),
        ressort=cellule.ressort_id,
        cle_id=personne.cle_id,
        source_signalement=source,
        profils=_profils(profils),
        referent=referent,
        signalee_le=signalee_le or timezone.localdate(),
    )
    chiffrer(situation, "observation", _observation(observation))
    # The constraint is checked below, by the database (a concurrent creation may have won).
    situation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            situation.save(force_insert=True)
    except IntegrityError as erreur:
        if CONTRAINTE_SITUATION_OUVERTE not in str(erreur):
            raise
        raise refus_situation_ouverte(_situation_ouverte(personne, cellule), acteur) from None
    return situation


def _verrouiller(situation: Situation, version: int, acteur: Utilisateur) -> Situation:
    """The locked, current row, if the actor may write it and ``version`` is the current one."""
    courante: Situation | None = (
        Situation.objects.restrict(acteur, Action.MODIFIER)
        .select_for_update()
        .filter(pk=situation.pk)
        .first()
    )
    if courante is None:
        raise ApiError.introuvable()
    if courante.version != version:
        raise ApiError(412, "version_perimee", "La situation a été modifiée depuis votre lecture.")
    return courante


@transaction.atomic
def situation_modifier(
    *, situation: Situation, version: int, acteur: Utilisateur, **champs: Any
) -> Situation:
    """Change the closed-list facts, the observation or the referent (compare-and-swap)."""
    inconnus = set(champs) - CHAMPS_MODIFIABLES
    if inconnus:
        raise ApiError.champ_invalide(sorted(inconnus)[0], "Champ non modifiable.")
    courante = _verrouiller(situation, version, acteur)
    if "profils" in champs:
        # Values the actor may not read stay as they are: he cannot see them to keep them.
        perimetre = perimetre_de(acteur)
        caches = [
            v for v in courante.profils if not peut_lire_categorie(perimetre, CATEGORIES_PROFILS[v])
        ]
        courante.profils = _profils([*champs["profils"], *caches])
    if "source_signalement" in champs:
        # A source the actor may not read is shown to him as the list's fallback: sending that
        # fallback back keeps it (refusing would tell it is hidden).
        perimetre = perimetre_de(acteur)
        cachee = not peut_lire_categorie(
            perimetre, CATEGORIES_SOURCES.get(courante.source_signalement, Cat.FAITS_SIGNALES)
        )
        if not (cachee and champs["source_signalement"] == REPLIS["source_signalement"]):
            courante.source_signalement = champs["source_signalement"]
    if "referent" in champs:
        courante.referent = champs["referent"]
    if "observation" in champs:
        chiffrer(courante, "observation", _observation(champs["observation"]))
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


@transaction.atomic
def situation_transitionner(
    *,
    situation: Situation,
    transition: str,
    version: int,
    acteur: Utilisateur,
    motif_cloture: str | None = None,
) -> Situation:
    """Move a case along signalée → inscrite → suivie → clôturée → archivée."""
    if transition not in TRANSITIONS:
        raise ApiError.champ_invalide("transition", "Transition inconnue.")
    courante = _verrouiller(situation, version, acteur)
    depuis, vers = TRANSITIONS[transition]
    if courante.statut not in depuis:
        raise ApiError.transition_impossible()
    if transition == Transition.CLOTURER:
        if motif_cloture not in MotifCloture.values:
            raise ApiError.champ_invalide(
                "motif_cloture", "Motif de clôture obligatoire (liste fermée)."
            )
        courante.motif_cloture = str(motif_cloture)
        courante.cloturee_le = timezone.localdate()
    elif motif_cloture is not None:
        raise ApiError.champ_invalide("motif_cloture", "Seule la clôture prend un motif.")
    if vers == StatutSituation.ARCHIVEE:
        courante.archivee_le = timezone.localdate()
    courante.statut = vers
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


def situation_inscrire(*, situation: Situation, version: int, acteur: Utilisateur) -> Situation:
    return situation_transitionner(
        situation=situation, transition=Transition.INSCRIRE, version=version, acteur=acteur
    )


def situation_desinscrire(*, situation: Situation, acteur: Utilisateur) -> Situation:
    """Back to ``signalee`` a case taken off the only agenda it was on (no API transition:
    only the agenda's removal does it). Any other status is left as it is."""
    courante = _verrouiller(situation, situation.version, acteur)
    if courante.statut != StatutSituation.INSCRITE_ORDRE_DU_JOUR:
        return courante
    courante.statut = StatutSituation.SIGNALEE
    courante.version += 1
    courante.full_clean()
    courante.save()
    return courante


def situation_suivre(*, situation: Situation, version: int, acteur: Utilisateur) -> Situation:
    return situation_transitionner(
        situation=situation, transition=Transition.SUIVRE, version=version, acteur=acteur
    )


def situation_cloturer(
    *, situation: Situation, motif: str, version: int, acteur: Utilisateur
) -> Situation:
    return situation_transitionner(
        situation=situation,
        transition=Transition.CLOTURER,
        version=version,
        acteur=acteur,
        motif_cloture=motif,
    )


def situation_archiver(*, situation: Situation, version: int, acteur: Utilisateur) -> Situation:
    return situation_transitionner(
        situation=situation, transition=Transition.ARCHIVER, version=version, acteur=acteur
    )


def _permission_lecture() -> Permission:
    return Permission.objects.get(
        codename=politiques.CODENAME_LECTURE,
        content_type=ContentType.objects.get_for_model(Situation),
    )


@transaction.atomic
def acces_accorder(
    *,
    situation: Situation,
    utilisateur: Utilisateur,
    jusqu_au: dt.datetime | None,
    acteur: Utilisateur,
) -> AccesSituation:
    """Grant one user read access to one case, until ``jusqu_au`` (None: until withdrawn)."""
    if not Situation.objects.restrict(acteur, Action.MODIFIER).filter(pk=situation.pk).exists():
        raise ApiError.introuvable()
    if jusqu_au is not None and jusqu_au <= timezone.now():
        raise ApiError.champ_invalide("jusqu_au", "L'échéance doit être dans le futur.")
    resultat = AccesSituation.objects.update_or_create(
        user=utilisateur,
        permission=_permission_lecture(),
        content_object=situation,
        defaults={"expire_le": jusqu_au, "accorde_par": acteur, "accorde_le": timezone.now()},
    )
    acces: AccesSituation = resultat[0]
    return acces


@transaction.atomic
def acces_retirer(*, situation: Situation, utilisateur: Utilisateur, acteur: Utilisateur) -> int:
    """Withdraw an explicit grant; takes effect on the user's next request."""
    if not Situation.objects.restrict(acteur, Action.MODIFIER).filter(pk=situation.pk).exists():
        raise ApiError.introuvable()
    retires = 0
    for acces in AccesSituation.objects.filter(user=utilisateur, content_object=situation):
        acces.delete()
        retires += 1
    return retires
