# mypy: disallow-untyped-calls=False
"""Factories of ``cellules.registres``: the mayor's rappels à l'ordre and municipal transactions.

Both registers cite a legal reference of the seed (``referentiel()``). Rows are built directly,
without the services' checks, so that tests can place data anywhere: ``rappel("21231")`` is a
rappel à l'ordre of an adult, entered ten days ago by a Dijon director of public tranquillity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SubFactory
from factory.django import DjangoModelFactory
from factory.faker import Faker as FakerFactory

from acces.enums import Role
from acces.models import Utilisateur
from cellules.dossiers.models import Personne
from cellules.orientations.models import ReferenceJuridique
from cellules.registres.enums import (
    REFERENCE_RAPPEL_ORDRE,
    REFERENCE_TRANSACTION,
    ContraventionTransaction,
    FaitRappel,
    NatureTransaction,
    QualiteAuteur,
)
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from tests.cellules.composition.factories import agent, commune_de
from tests.cellules.dossiers.factories import PersonneFactory, identite
from tests.cellules.dossiers.factories import personne as personne_de
from tests.cellules.orientations.factories import referentiel


def _reference(code: str) -> ReferenceJuridique:
    referentiel()
    return ReferenceJuridique.objects.get(code=code)


def _directeur(o: Any) -> Utilisateur:
    """A director of public tranquillity of the register's commune."""
    return agent(Role.DIRECTEUR_TRANQUILLITE, communes=(o.commune.code_insee,))


class RappelOrdreFactory(DjangoModelFactory[RappelOrdre]):
    """A rappel à l'ordre by the mayor, ten days ago, of an adult, for incivilities."""

    class Meta:
        model = RappelOrdre

    reference = LazyFunction(lambda: _reference(REFERENCE_RAPPEL_ORDRE))
    id = LazyFunction(uuid.uuid4)
    personne = SubFactory(
        PersonneFactory,
        date_naissance=FakerFactory(
            "date_of_birth", locale="fr_FR", minimum_age=19, maximum_age=25
        ),
    )
    date = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    commune = LazyFunction(lambda: commune_de("21231"))
    qualite_auteur = QualiteAuteur.MAIRE
    faits = LazyFunction(lambda: [FaitRappel.INCIVILITES])
    mineur = LazyAttribute(lambda o: o.personne.mineur_au(o.date))
    cree_par = LazyAttribute(_directeur)


def rappel(
    commune: str = "21231",
    *,
    personne: Personne | None = None,
    auteur: Utilisateur | None = None,
    **champs: Any,
) -> RappelOrdre:
    referentiel()
    personne = personne or personne_de(identite(age_min=19, age_max=25))
    if auteur is not None:
        champs["cree_par"] = auteur
    objet = RappelOrdreFactory(commune=commune_de(commune), personne=personne, **champs)
    assert isinstance(objet, RappelOrdre)
    return objet


class TransactionMunicipaleFactory(DjangoModelFactory[TransactionMunicipale]):
    """A repair of 80 € proposed today for a minor damage found five days ago."""

    class Meta:
        model = TransactionMunicipale

    reference = LazyFunction(lambda: _reference(REFERENCE_TRANSACTION))
    id = LazyFunction(uuid.uuid4)
    commune = LazyFunction(lambda: commune_de("21231"))
    personne = SubFactory(PersonneFactory)
    contravention = ContraventionTransaction.DEGRADATION_LEGERE
    date_constat = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    date_proposition = LazyFunction(timezone.localdate)
    nature = NatureTransaction.REPARATION
    montant = Decimal("80.00")
    proposee_par = LazyAttribute(_directeur)


def transaction(
    commune: str = "21231",
    *,
    personne: Personne | None = None,
    auteur: Utilisateur | None = None,
    **champs: Any,
) -> TransactionMunicipale:
    referentiel()
    if personne is not None:
        champs["personne"] = personne
    if auteur is not None:
        champs["proposee_par"] = auteur
    objet = TransactionMunicipaleFactory(commune=commune_de(commune), **champs)
    assert isinstance(objet, TransactionMunicipale)
    return objet
