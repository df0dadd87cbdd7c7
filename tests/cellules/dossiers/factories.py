# mypy: disallow-untyped-calls=False
"""Factories of ``cellules.dossiers``: persons (encrypted identity) and their cases.

Synthetic identities only (Faker fr_FR, or canaries from ``tests.canaris``). Rows are built
directly, without the services' scope checks, so that tests can place data anywhere; the
encrypted fields are written as the services write them (``chiffrer`` under the row's own key,
plus the blind index of the identity). Explicit grants go through
``cellules.dossiers.services.acces_accorder``, as in production.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from factory.declarations import LazyAttribute, LazyFunction, SubFactory
from factory.django import DjangoModelFactory
from factory.faker import Faker as FakerFactory
from faker import Faker

from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.models import Utilisateur
from cellules.composition.models import Cellule
from cellules.dossiers.enums import Profil, SourceSignalement
from cellules.dossiers.models import Personne, Situation
from tests.cellules.composition.factories import CelluleFactory, cellule, commune_de

faker = Faker("fr_FR")

IDENTITE = ("nom", "prenom", "date_naissance", "adresse", "commune_residence")


@dataclass(frozen=True)
class Identite:
    nom: str
    prenom: str
    date_naissance: dt.date
    adresse: str = ""
    commune_residence: str = ""


def identite(age_min: int = 12, age_max: int = 25) -> Identite:
    return Identite(
        nom=faker.last_name(),
        prenom=faker.first_name(),
        date_naissance=faker.date_of_birth(minimum_age=age_min, maximum_age=age_max),
        adresse=faker.street_address(),
        commune_residence=faker.city(),
    )


class PersonneFactory(DjangoModelFactory[Personne]):
    """A person aged 12 to 25, with a data key of its own and the blind index of the identity."""

    class Meta:
        model = Personne

    id = LazyFunction(uuid.uuid4)
    nom = FakerFactory("last_name", locale="fr_FR")
    prenom = FakerFactory("first_name", locale="fr_FR")
    date_naissance = FakerFactory("date_of_birth", locale="fr_FR", minimum_age=12, maximum_age=25)
    adresse = FakerFactory("street_address", locale="fr_FR")
    commune_residence = FakerFactory("city", locale="fr_FR")
    cree_par = None

    @classmethod
    def _create(cls, model_class: type[Personne], *args: Any, **kwargs: Any) -> Personne:
        valeurs = {champ: kwargs.pop(champ) for champ in IDENTITE}
        cle = CleDonnees.nouvelle()
        cle.save()
        objet = model_class(cle=cle, **kwargs)
        for champ, valeur in valeurs.items():
            chiffrer(objet, champ, valeur)
        objet.index_identite = index_aveugle(
            valeurs["nom"], valeurs["prenom"], valeurs["date_naissance"]
        )
        objet.save(force_insert=True)
        return objet


def personne(
    ident: Identite | Any | None = None, *, cree_par: Utilisateur | None = None
) -> Personne:
    ident = ident or identite()
    objet = PersonneFactory(
        nom=ident.nom,
        prenom=ident.prenom,
        date_naissance=ident.date_naissance,
        adresse=getattr(ident, "adresse", ""),
        commune_residence=getattr(ident, "commune_residence", ""),
        cree_par=cree_par,
    )
    assert isinstance(objet, Personne)
    return objet


class SituationFactory(DjangoModelFactory[Situation]):
    """A case of a school dropout in the commune and ressort of its cell, under the person's key."""

    class Meta:
        model = Situation

    id = LazyFunction(uuid.uuid4)
    cellule = SubFactory(CelluleFactory)
    personne = SubFactory(PersonneFactory)
    commune = LazyAttribute(lambda o: o.cellule.commune)
    ressort = LazyAttribute(lambda o: o.cellule.ressort_id)
    cle_id = LazyAttribute(lambda o: o.personne.cle_id)
    source_signalement = SourceSignalement.EDUCATION_NATIONALE
    profils = LazyFunction(lambda: [Profil.DECROCHEUR_SCOLAIRE])
    observation = None

    @classmethod
    def _create(cls, model_class: type[Situation], *args: Any, **kwargs: Any) -> Situation:
        observation = kwargs.pop("observation")
        objet = model_class(**kwargs)
        chiffrer(objet, "observation", observation)
        objet.save(force_insert=True)
        return objet


def situation(
    cell: Cellule | None = None,
    pers: Personne | None = None,
    *,
    commune: str | None = None,
    observation: str | None = None,
    **champs: Any,
) -> Situation:
    cell = cell or cellule()
    pers = pers or personne()
    if commune:
        champs["commune"] = commune_de(commune)
    objet = SituationFactory(cellule=cell, personne=pers, observation=observation, **champs)
    assert isinstance(objet, Situation)
    return objet
