"""Writes of the acces app: typed, atomic, keyword-only, with the acting user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from acces import ports
from acces.auth.sessions import sessions_fermer
from acces.enums import (
    ROLES_A_APPROUVER,
    ROLES_A_RESSORT,
    TYPES_ORGANISATION_CONSEILLER,
    CategorieInformation,
    MotifExclusion,
    MotifLevee,
    PorteeExclusion,
    Role,
    TypeOrganisation,
    famille_de_role,
)
from acces.evenements import Raison
from acces.models import (
    AcceptationCharte,
    AutorisationCategorie,
    Charte,
    Commune,
    Exclusion,
    Habilitation,
    Organisation,
    Ressort,
    Utilisateur,
)
from socle.errors import ApiError


def evenement_securite(
    raison: str,
    type_objet: str,
    objet_id: object,
    acteur: Utilisateur | None,
    *,
    refuse: bool = False,
) -> None:
    """A security event of the access log, which the auditor reads (grants, exclusions,
    accounts): the one helper of every app for these events."""
    ports.consigner_evenement_securite(
        raison,
        request=ports.requete_courante(),
        utilisateur=acteur,
        type_objet=type_objet,
        objet_id=objet_id,  # type: ignore[arg-type]
        refuse=refuse,
    )


TYPE_HABILITATION = "acces.habilitation"
TYPE_EXCLUSION = "acces.exclusion"


@transaction.atomic
def organisation_creer(
    *, nom: str, type: str, communes: Iterable[Commune], acteur: Utilisateur
) -> Organisation:
    organisation = Organisation(nom=nom, type=type)
    organisation.full_clean()
    organisation.save()
    organisation.communes.set(list(communes))
    return organisation


@transaction.atomic
def organisation_modifier(
    *,
    organisation: Organisation,
    acteur: Utilisateur,
    nom: str | None = None,
    active: bool | None = None,
    communes: Iterable[Commune] | None = None,
) -> Organisation:
    if nom is not None:
        organisation.nom = nom
    desactivee = active is False and organisation.active
    if active is not None:
        organisation.active = active
    organisation.full_clean()
    organisation.save()
    if desactivee:
        # Its people lose every role at once (acces.perimetre): end their sessions now.
        for membre in Utilisateur.objects.filter(organisation=organisation):
            sessions_fermer(utilisateur=membre, jetons=False)
    if communes is not None:
        organisation.communes.set(list(communes))
    return organisation


def _refus(raison: str, objet_id: object, acteur: Utilisateur, erreur: ApiError) -> ApiError:
    """Log a refused grant as a security event (outside any rolled-back transaction)."""
    evenement_securite(raison, TYPE_HABILITATION, objet_id, acteur, refuse=True)
    return erreur


def _familles_en_cours(utilisateur: Utilisateur) -> set[str]:
    roles = Habilitation.objects.en_cours().filter(utilisateur=utilisateur)
    return {famille_de_role(r) for r in roles.values_list("role", flat=True)}


def habilitation_controler(*, utilisateur: Utilisateur, role: str, acteur: Utilisateur) -> None:
    """The grant rules of issue 9, item 2, checked before anything is written.

    Refused attempts are security events too: a self-grant is what an intruder tries first.
    """
    if utilisateur.pk == acteur.pk:
        raise _refus(
            Raison.AUTO_HABILITATION,
            utilisateur.pk,
            acteur,
            ApiError(403, "auto_habilitation", "Vous ne pouvez pas vous attribuer un rôle."),
        )
    if (
        Exclusion.objects.en_vigueur()
        .filter(utilisateur=utilisateur, portee=PorteeExclusion.PLATEFORME)
        .exists()
    ):
        raise _refus(
            Raison.UTILISATEUR_EXCLU,
            utilisateur.pk,
            acteur,
            ApiError.conflit(
                "utilisateur_exclu",
                "Ce compte est exclu de la plateforme : levez d'abord l'exclusion "
                "(POST /api/v1/exclusions/<id>/levee/) avant de lui accorder un rôle.",
            ),
        )
    familles = _familles_en_cours(utilisateur)
    if familles - {famille_de_role(role)}:
        raise _refus(
            Raison.ROLES_INCOMPATIBLES,
            utilisateur.pk,
            acteur,
            _roles_incompatibles(),
        )


def _roles_incompatibles() -> ApiError:
    return ApiError(
        409,
        "roles_incompatibles",
        "Ce rôle est incompatible avec un rôle que ce compte détient : l'auditeur et "
        "l'administrateur technique ne détiennent aucun autre rôle.",
        {"role": ["Rôle incompatible avec les habilitations en cours du compte."]},
    )


def _exiger_ressort(role: str, ressort: str) -> None:
    """A ressort is a code of the reference list; the délégué's and the conseiller's scope is
    one (issue 9, item 4)."""
    if ressort and not Ressort.objects.filter(pk=ressort).exists():
        raise ApiError.champ_invalide(
            "ressort", "Ressort inconnu : choisissez un code de la liste des ressorts."
        )
    if role in ROLES_A_RESSORT and not ressort:
        raise ApiError.champ_invalide(
            "ressort",
            "Le délégué du procureur et le conseiller d'exécution sont habilités sur un ressort.",
        )


def _exiger_organisation(utilisateur: Utilisateur, role: str) -> None:
    """A conseiller d'exécution is an agent of a SPIP or of the PJJ (his organisation's type)."""
    if role != Role.CONSEILLER_EXECUTION:
        return
    organisation = utilisateur.organisation
    if organisation is None or organisation.type not in TYPES_ORGANISATION_CONSEILLER:
        raise ApiError.champ_invalide(
            "role",
            "Le conseiller d'exécution est un agent d'un SPIP ou de la PJJ : "
            "l'organisation du compte doit être de l'un de ces types.",
        )


def habilitation_creer(
    *,
    utilisateur: Utilisateur,
    role: str,
    communes: Iterable[Commune],
    ressort: str,
    perimetre_cispd: bool,
    fin: datetime | None,
    acteur: Utilisateur,
) -> Habilitation:
    """Grant a role. A role that reads personal data waits for a second person's approval."""
    habilitation_controler(utilisateur=utilisateur, role=role, acteur=acteur)
    _exiger_ressort(role, ressort)
    _exiger_organisation(utilisateur, role)
    try:
        with transaction.atomic():
            habilitation = Habilitation(
                utilisateur=utilisateur,
                role=role,
                ressort=ressort,
                perimetre_cispd=perimetre_cispd,
                fin=fin,
                accordee_par=acteur,
                approuvee_le=None if role in ROLES_A_APPROUVER else timezone.now(),
            )
            habilitation.full_clean()
            habilitation.save()
            habilitation.communes.set(list(communes))
            evenement_securite(
                Raison.HABILITATION_ACCORDEE, TYPE_HABILITATION, habilitation.pk, acteur
            )
    except IntegrityError as erreur:
        # The database's own rule (a concurrent grant passed the check above at the same time).
        if "roles_incompatibles" in str(erreur):
            # Logged like the same refusal found by the check (the write has rolled back).
            raise _refus(
                Raison.ROLES_INCOMPATIBLES, utilisateur.pk, acteur, _roles_incompatibles()
            ) from None
        raise
    return habilitation


def habilitation_approuver(*, habilitation: Habilitation, acteur: Utilisateur) -> Habilitation:
    """The second pair of eyes: someone other than the grantor and the holder approves.

    An approval by either of them is refused and logged as a security event, before the
    transaction (whose rollback would take the event with it); neither can change afterwards.
    """
    if acteur.pk in (habilitation.utilisateur_id, habilitation.accordee_par_id):
        raise _refus(
            Raison.AUTO_HABILITATION,
            habilitation.pk,
            acteur,
            ApiError(
                403,
                "approbation_par_un_tiers",
                "Une habilitation est approuvée par une autre personne que celle qui l'a "
                "accordée et que son titulaire.",
            ),
        )
    return _approuver(habilitation, acteur)


@transaction.atomic
def _approuver(habilitation: Habilitation, acteur: Utilisateur) -> Habilitation:
    courante = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
    if courante.approuvee_le is not None:
        raise ApiError.conflit("deja_approuvee", "Cette habilitation est déjà approuvée.")
    if not Habilitation.objects.en_cours().filter(pk=courante.pk).exists():
        raise ApiError.conflit("habilitation_close", "Cette habilitation est révoquée ou échue.")
    courante.approuvee_par = acteur
    courante.approuvee_le = timezone.now()
    courante.save(update_fields=["approuvee_par", "approuvee_le"])
    evenement_securite(Raison.HABILITATION_APPROUVEE, TYPE_HABILITATION, courante.pk, acteur)
    return courante


@transaction.atomic
def habilitation_revoquer(*, habilitation: Habilitation, acteur: Utilisateur) -> Habilitation:
    """Takes effect on the user's next request: scopes are recomputed per request.

    When no active habilitation remains, the account's sessions are deleted at once.
    """
    if habilitation.revoquee_le is None:
        habilitation.revoquee_le = timezone.now()
        habilitation.save(update_fields=["revoquee_le"])
        evenement_securite(Raison.HABILITATION_REVOQUEE, TYPE_HABILITATION, habilitation.pk, acteur)
    if (
        not Habilitation.objects.actives()
        .filter(utilisateur_id=habilitation.utilisateur_id)
        .exists()
    ):
        sessions_fermer(utilisateur=habilitation.utilisateur, jetons=False)
    return habilitation


@transaction.atomic
def utilisateur_desactiver(*, utilisateur: Utilisateur, acteur: Utilisateur) -> Utilisateur:
    utilisateur.is_active = False
    utilisateur.save(update_fields=["is_active"])
    sessions_fermer(utilisateur=utilisateur)
    return utilisateur


@transaction.atomic
def utilisateur_exclure(
    *, utilisateur: Utilisateur, motif: MotifExclusion | str, acteur: Utilisateur
) -> Exclusion:
    """Exclusion with immediate effect: every active habilitation is revoked now."""
    exclusion = Exclusion(utilisateur=utilisateur, motif=motif, par=acteur)
    exclusion.full_clean()
    exclusion.save()
    revoquees = list(
        Habilitation.objects.filter(utilisateur=utilisateur, revoquee_le__isnull=True).values_list(
            "pk", flat=True
        )
    )
    ports.mettre_a_jour(
        Habilitation.objects.filter(pk__in=revoquees), revoquee_le=exclusion.exclu_le
    )
    sessions_fermer(utilisateur=utilisateur)
    evenement_securite(Raison.UTILISATEUR_EXCLU, TYPE_EXCLUSION, exclusion.pk, acteur)
    for pk in revoquees:
        evenement_securite(Raison.HABILITATION_REVOQUEE, TYPE_HABILITATION, pk, acteur)
    return exclusion


def exclusion_lever(
    *, exclusion: Exclusion, motif: MotifLevee | str, acteur: Utilisateur
) -> Exclusion:
    """Lift a standing exclusion: a second person, neither its author nor the excluded one.

    Who may lift it at all (administrators; for a cell exclusion, the other coordinators of its
    cells) is the caller's check. A refusal is a security event, logged before the transaction.
    """
    if acteur.pk in (exclusion.par_id, exclusion.utilisateur_id):
        evenement_securite(
            Raison.EXCLUSION_LEVEE, TYPE_EXCLUSION, exclusion.pk, acteur, refuse=True
        )
        raise ApiError(
            403,
            "levee_par_un_tiers",
            "Une exclusion est levée par une autre personne que celle qui l'a prononcée et "
            "que la personne exclue.",
        )
    return _lever(exclusion, motif, acteur)


@transaction.atomic
def _lever(exclusion: Exclusion, motif: MotifLevee | str, acteur: Utilisateur) -> Exclusion:
    courante = Exclusion.objects.select_for_update().get(pk=exclusion.pk)
    if courante.levee_le is not None:
        raise ApiError.conflit("exclusion_levee", "Cette exclusion est déjà levée.")
    courante.levee_le = timezone.now()
    courante.levee_par = acteur
    courante.motif_levee = motif
    courante.full_clean()
    courante.save(update_fields=["levee_le", "levee_par", "motif_levee"])
    evenement_securite(Raison.EXCLUSION_LEVEE, TYPE_EXCLUSION, courante.pk, acteur)
    return courante


@transaction.atomic
def matrice_categories_remplacer(
    *, autorisations: dict[str, Iterable[str]], acteur: Utilisateur
) -> None:
    """Replace the whole organisation-type by category matrix."""
    valides_types = set(TypeOrganisation.values)
    valides_categories = set(CategorieInformation.values)
    lignes = []
    for type_organisation, categories in autorisations.items():
        if type_organisation not in valides_types:
            raise ValueError(type_organisation)
        for categorie in set(categories):
            if categorie not in valides_categories:
                raise ValueError(categorie)
            lignes.append(
                AutorisationCategorie(type_organisation=type_organisation, categorie=categorie)
            )
    # Row by row, so that the change log records every cell that changes (no bulk writes).
    voulues = {(ligne.type_organisation, ligne.categorie) for ligne in lignes}
    for existante in AutorisationCategorie.objects.select_for_update():
        if (existante.type_organisation, existante.categorie) not in voulues:
            existante.delete()
    presentes = set(AutorisationCategorie.objects.values_list("type_organisation", "categorie"))
    for ligne in lignes:
        if (ligne.type_organisation, ligne.categorie) not in presentes:
            ligne.save()


@transaction.atomic
def charte_publier(*, titre: str, texte: str, acteur: Utilisateur) -> Charte:
    """A new version in force now: everyone must accept it before reading personal data."""
    derniere = Charte.objects.select_for_update().order_by("-version").first()
    charte = Charte(titre=titre, texte=texte, version=(derniere.version + 1) if derniere else 1)
    charte.full_clean()
    charte.save()
    return charte


@transaction.atomic
def charte_accepter(*, charte: Charte, acteur: Utilisateur) -> AcceptationCharte:
    acceptation, _ = AcceptationCharte.objects.get_or_create(utilisateur=acteur, charte=charte)
    return acceptation
