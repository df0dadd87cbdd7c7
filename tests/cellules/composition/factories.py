# mypy: disallow-untyped-calls=False
"""Factories of ``cellules.composition``: cells, their members, the agents who sit in them.

Synthetic data only (Faker fr_FR). Rows are built directly, without the services' scope checks,
so that tests can place data anywhere. ``cellule("21231", coordonnateurs=(coord,))`` makes a
Dijon cell; ``agent(Role.COORDONNATEUR, communes=("21231",))`` an account with one active
habilitation and the charter accepted; ``membre(cellule)`` a PJJ member of a cell.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, PostGeneration, SubFactory
from factory.django import DjangoModelFactory
from faker import Faker

from acces.enums import Role, TypeOrganisation
from acces.models import AcceptationCharte, Charte, Commune, Ressort, Utilisateur
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule, MembreCellule
from tests.acces.factories import CommuneFactory, habilitation, organisation, utilisateur

faker = Faker("fr_FR")


def commune_de(code: str) -> Commune:
    """The reference row (get-or-create: a transactional test may have flushed the table)."""
    objet = CommuneFactory(code_insee=code, nom=faker.city())
    assert isinstance(objet, Commune)
    return objet


class RessortFactory(DjangoModelFactory[Ressort]):
    """Out-of-ressort tests name ressorts of their own: reference rows, as in production."""

    class Meta:
        model = Ressort
        django_get_or_create = ("code",)

    code = "tj-dijon"
    nom = LazyAttribute(lambda o: f"ressort {o.code}")


class CelluleFactory(DjangoModelFactory[Cellule]):
    """A cell of Dijon by default; ``cispd=True`` makes an intercommunal one (every commune)."""

    class Meta:
        model = Cellule
        skip_postgeneration_save = True

    ressort = SubFactory(RessortFactory)
    cispd = False
    commune = LazyAttribute(lambda o: None if o.cispd else commune_de("21231"))
    nom = LazyFunction(lambda: f"Cellule {faker.word()} {uuid.uuid4().hex[:6]}")
    type = TypeCellule.SUIVI_PERSONNALISE
    reference_reglement_interieur = "RI 2025-01"

    coordonnateurs = PostGeneration(
        lambda obj, create, extracted, **kwargs: _coordonnateurs(obj, create, extracted)
    )
    communes_membres = PostGeneration(
        lambda obj, create, extracted, **kwargs: _communes_membres(obj, create)
    )


def _coordonnateurs(objet: Cellule, create: bool, extracted: Any) -> None:
    if create:
        objet.coordonnateurs.set(extracted or ())


def _communes_membres(objet: Cellule, create: bool) -> None:
    if create and objet.cispd:
        objet.communes_membres.set(Commune.objects.all())


def cellule(
    commune: str | None = "21231",
    *,
    ressort: str = "tj-dijon",
    coordonnateurs: tuple[Utilisateur, ...] = (),
    cispd: bool = False,
) -> Cellule:
    objet = CelluleFactory(
        ressort__code=ressort,
        cispd=cispd,
        commune=None if cispd or commune is None else commune_de(commune),
        coordonnateurs=coordonnateurs,
    )
    assert isinstance(objet, Cellule)
    return objet


def charte_acceptee(user: Utilisateur) -> None:
    """The charter in force (created if none is) accepted by ``user``."""
    charte = Charte.objects.order_by("-version").first() or Charte.objects.create(
        version=1, titre="Charte", texte="Texte de la charte.", en_vigueur_le=timezone.now()
    )
    AcceptationCharte.objects.get_or_create(utilisateur=user, charte=charte)


def agent(
    role: str,
    *,
    communes: tuple[str, ...] = (),
    charte: bool = True,
    type_organisation: str = TypeOrganisation.COMMUNE,
    **hab: Any,
) -> Utilisateur:
    """An account with one active habilitation (and the charter accepted by default)."""
    if role == Role.DELEGUE_PROCUREUR:
        hab.setdefault("ressort", "tj-dijon")
    org = organisation(nom=f"Structure {uuid.uuid4().hex[:8]}", type=type_organisation)
    user = utilisateur(organisation=org)
    habilitation(utilisateur=user, role=role, communes=list(communes), **hab)
    if charte:
        charte_acceptee(user)
    return user


class MembreCelluleFactory(DjangoModelFactory[MembreCellule]):
    """A member of a cell: an educator of the PJJ by default, in the account's organisation."""

    class Meta:
        model = MembreCellule

    cellule = SubFactory(CelluleFactory)
    utilisateur = LazyFunction(
        lambda: agent(Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.PJJ)
    )
    organisation = LazyAttribute(lambda o: o.utilisateur.organisation)
    fonction = "éducateur"


def membre(cellule: Cellule, type_organisation: str = TypeOrganisation.PJJ) -> MembreCellule:
    user = agent(Role.MEMBRE_CELLULE, type_organisation=type_organisation)
    assert user.organisation is not None
    objet = MembreCelluleFactory(cellule=cellule, utilisateur=user)
    assert isinstance(objet, MembreCellule)
    return objet


def partenaire(cellule: Cellule, org: Any = None) -> Any:
    """An organisation (``org`` or a new one) for which an active member sits in ``cellule``:
    a partner of the cell, which orientations may be entrusted to."""
    org = org or organisation(nom=f"Partenaire {uuid.uuid4().hex[:6]}")
    user = agent(Role.MEMBRE_CELLULE)
    user.organisation = org
    user.save(update_fields=["organisation"])
    MembreCelluleFactory(cellule=cellule, utilisateur=user, organisation=org)
    return org
