"""What one user may reach right now, computed once per request from active habilitations.

Nothing here is cached across requests: a revoked habilitation or an exclusion takes effect on
the next request (ASVS 8.3.2). Scopes stay attached to the role that grants them: a directeur
de la tranquillité publique of one commune who is also membre de cellule elsewhere does not
read the other commune's cases as directeur.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.contrib.auth.models import AnonymousUser

from acces.enums import ROLES_SANS_DONNEES_PERSONNELLES
from acces.models import AutorisationCategorie, Habilitation, Utilisateur

_ATTRIBUT = "_perimetre_acces"


@dataclass(frozen=True)
class Portee:
    """The territory one role covers: communes, ressorts, and the CISPD as a whole."""

    communes: frozenset[str] = frozenset()
    ressorts: frozenset[str] = frozenset()
    cispd: bool = False

    def union(self, autre: Portee) -> Portee:
        return Portee(
            self.communes | autre.communes,
            self.ressorts | autre.ressorts,
            self.cispd or autre.cispd,
        )


_VIDE = Portee()


@dataclass(frozen=True, eq=False)
class Perimetre:
    utilisateur_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    type_organisation: str | None
    categories: frozenset[str]
    portees: Mapping[str, Portee] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.portees)

    def a_role(self, *roles: str) -> bool:
        return any(role in self.portees for role in roles)

    def portee(self, role: str) -> Portee:
        """The scope granted by ``role`` only (empty if the user does not hold it)."""
        return self.portees.get(role, _VIDE)

    @property
    def vide(self) -> bool:
        return not self.portees

    @property
    def lit_donnees_personnelles(self) -> bool:
        """Some role of this user may read case content (auditors and IT never do)."""
        return bool(self.roles - ROLES_SANS_DONNEES_PERSONNELLES)


AUCUN = Perimetre(None, None, None, frozenset())


def perimetre_de(user: Utilisateur | AnonymousUser | None) -> Perimetre:
    """The scope of ``user`` for the current request (memoised on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AUCUN
    assert isinstance(user, Utilisateur)
    cached = getattr(user, _ATTRIBUT, None)
    if isinstance(cached, Perimetre):
        return cached
    organisation = user.organisation
    active = organisation is not None and organisation.active
    # A deactivated organisation has left the partnership: its people keep no role at all.
    habilitations = (
        []
        if organisation is not None and not active
        else list(
            Habilitation.objects.actives().filter(utilisateur=user).prefetch_related("communes")
        )
    )
    type_organisation = organisation.type if organisation is not None and active else None
    categories: frozenset[str] = frozenset()
    if type_organisation and habilitations:
        categories = frozenset(
            AutorisationCategorie.objects.filter(type_organisation=type_organisation).values_list(
                "categorie", flat=True
            )
        )
    portees: dict[str, Portee] = {}
    for h in habilitations:
        portee = Portee(
            communes=frozenset(c.code_insee for c in h.communes.all()),
            ressorts=frozenset({h.ressort}) if h.ressort else frozenset(),
            cispd=h.perimetre_cispd,
        )
        portees[h.role] = portees.get(h.role, _VIDE).union(portee)
    perimetre = Perimetre(
        utilisateur_id=user.pk,
        organisation_id=organisation.pk if organisation is not None and active else None,
        type_organisation=type_organisation,
        categories=categories,
        portees=MappingProxyType(portees),
    )
    setattr(user, _ATTRIBUT, perimetre)
    return perimetre


def oublier(user: Utilisateur) -> None:
    """Drop the memoised scope (after a change of habilitations within one request)."""
    if hasattr(user, _ATTRIBUT):
        delattr(user, _ATTRIBUT)


__all__ = ["AUCUN", "Perimetre", "Portee", "oublier", "perimetre_de"]
