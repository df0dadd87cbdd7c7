"""What one user may reach right now, computed once per request from active habilitations.

Nothing here is cached across requests: a revoked habilitation or an exclusion takes effect on
the next request (ASVS 8.3.2).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from acces.enums import ROLES_SANS_DONNEES_PERSONNELLES
from acces.models import AutorisationCategorie, Habilitation, Utilisateur

_ATTRIBUT = "_perimetre_acces"


@dataclass(frozen=True)
class Perimetre:
    utilisateur_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    type_organisation: str | None
    roles: frozenset[str]
    communes: frozenset[str]
    ressorts: frozenset[str]
    cispd: bool
    categories: frozenset[str]

    def a_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def vide(self) -> bool:
        return not self.roles

    @property
    def lit_donnees_personnelles(self) -> bool:
        """Some role of this user may read case content (auditors and IT never do)."""
        return bool(self.roles - ROLES_SANS_DONNEES_PERSONNELLES)


AUCUN = Perimetre(None, None, None, frozenset(), frozenset(), frozenset(), False, frozenset())


def perimetre_de(user: Utilisateur | AnonymousUser | None) -> Perimetre:
    """The scope of ``user`` for the current request (memoised on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AUCUN
    assert isinstance(user, Utilisateur)
    cached = getattr(user, _ATTRIBUT, None)
    if isinstance(cached, Perimetre):
        return cached
    habilitations = list(
        Habilitation.objects.actives().filter(utilisateur=user).prefetch_related("communes")
    )
    organisation = user.organisation
    type_organisation = organisation.type if organisation and organisation.active else None
    categories: frozenset[str] = frozenset()
    if type_organisation and habilitations:
        categories = frozenset(
            AutorisationCategorie.objects.filter(type_organisation=type_organisation).values_list(
                "categorie", flat=True
            )
        )
    perimetre = Perimetre(
        utilisateur_id=user.pk,
        organisation_id=organisation.pk if organisation and organisation.active else None,
        type_organisation=type_organisation,
        roles=frozenset(h.role for h in habilitations),
        communes=frozenset(c.code_insee for h in habilitations for c in h.communes.all()),
        ressorts=frozenset(h.ressort for h in habilitations if h.ressort),
        cispd=any(h.perimetre_cispd for h in habilitations),
        categories=categories,
    )
    setattr(user, _ATTRIBUT, perimetre)
    return perimetre


def oublier(user: Utilisateur) -> None:
    """Drop the memoised scope (after a change of habilitations within one request)."""
    if hasattr(user, _ATTRIBUT):
        delattr(user, _ATTRIBUT)


__all__ = ["AUCUN", "Perimetre", "oublier", "perimetre_de"]
