"""Small shared pieces of the orientations, register and transactions services."""

from __future__ import annotations

from acces.enums import Role
from acces.models import Commune, Utilisateur
from acces.perimetre import perimetre_de
from cellules.orientations import politiques
from cellules.orientations.models import ReferenceJuridique
from socle.errors import ApiError


def invalide(champ: str, message: str) -> ApiError:
    return ApiError(
        400, "donnees_invalides", "Les données envoyées sont invalides.", {champ: [message]}
    )


def refus(code: str, message: str, champ: str) -> ApiError:
    """A business-rule refusal (400) with its own machine code and a clear French message."""
    return ApiError(400, code, message, {champ: [message]})


def introuvable() -> ApiError:
    return ApiError(404, "introuvable", "Ressource introuvable.")


def interdit() -> ApiError:
    return ApiError(403, "acces_refuse", "Accès refusé.")


def version_perimee() -> ApiError:
    return ApiError(412, "version_perimee", "La ressource a été modifiée depuis votre lecture.")


def transition_impossible() -> ApiError:
    return ApiError(
        409, "transition_impossible", "Cette transition n'est pas possible dans cet état."
    )


def reference(code: str) -> ReferenceJuridique:
    """The reference row of ``code`` (seeded by the data migration)."""
    trouvee = ReferenceJuridique.objects.filter(code=code).first()
    if trouvee is None:
        raise ApiError(503, "referentiel_absent", "Le référentiel juridique n'est pas chargé.")
    return trouvee


def texte_court(champ: str, valeur: str, maximum: int) -> str:
    propre = valeur.strip()
    if len(propre) > maximum:
        raise invalide(champ, f"{maximum} caractères au plus.")
    if any(ord(c) < 32 for c in propre):
        raise invalide(champ, "Caractères de contrôle refusés.")
    return propre


def exiger_registre(commune: Commune, acteur: Utilisateur) -> None:
    """The actor keeps the register of ``commune`` (directeur de la tranquillité publique)."""
    p = perimetre_de(acteur)
    if not politiques.peut_tenir_registre(p):
        raise interdit()
    if commune.pk not in p.portee(Role.DIRECTEUR_TRANQUILLITE).communes:
        raise invalide("commune", "Commune hors de votre périmètre.")
