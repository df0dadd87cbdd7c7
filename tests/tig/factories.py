"""Factories of the ``tig`` app (synthetic data, Faker fr_FR)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from acces.enums import Role, TypeOrganisation
from acces.models import Commune, Utilisateur
from tests.cellules.composition import factories as f_composition
from tig.accueil.enums import TypeStructure
from tig.accueil.models import Activite, Poste, StructureAccueil

_faker = Faker("fr_FR")


def referent(*, communes: tuple[str, ...] = ("21231",)) -> Utilisateur:
    """An account with the référent de structure d'accueil role (names from Faker)."""
    user = f_composition.agent(
        Role.REFERENT_ACCUEIL,
        communes=communes,
        type_organisation=TypeOrganisation.STRUCTURE_ACCUEIL,
    )
    user.first_name = _faker.first_name()
    user.last_name = _faker.last_name()
    user.email = f"{_faker.user_name()}@demo.invalid"
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


def structure(
    commune: str = "21231", *, referents: tuple[Utilisateur, ...] = (), **champs: Any
) -> StructureAccueil:
    lieu = Commune.objects.get(pk=commune)
    valeurs: dict[str, Any] = {
        "nom": f"Association {_faker.last_name()}",
        "type": TypeStructure.ASSOCIATION,
        "commune": lieu,
        "adresse": _faker.street_address(),
        "latitude": Decimal(str(lieu.latitude)),
        "longitude": Decimal(str(lieu.longitude)),
        "habilitation_par": "juge de l'application des peines",
        "habilitation_le": timezone.localdate() - dt.timedelta(days=100),
        "contact_service": "Service de la tranquillité publique",
        "contact_courriel": "tranquillite@demo.invalid",
        "contact_telephone": "03 80 00 00 00",
    }
    valeurs.update(champs)
    objet = StructureAccueil(**valeurs)
    objet.full_clean()
    objet.save(force_insert=True)
    objet.referents.set(referents)
    return objet


def poste(site: StructureAccueil | None = None, **champs: Any) -> Poste:
    site = site or structure()
    valeurs: dict[str, Any] = {
        "structure": site,
        "activite": Activite.objects.get(pk="espaces_verts"),
        "commune": site.commune,
        "lieu": f"Parc {_faker.last_name()}",
        "latitude": site.latitude,
        "longitude": site.longitude,
        "capacite": 2,
        "creneaux": {"lundi": ["matin"], "jeudi": ["matin", "apres_midi"]},
        "natures": ["tnr", "tig"],
    }
    valeurs.update(champs)
    objet = Poste(**valeurs)
    objet.full_clean()
    objet.save(force_insert=True)
    return objet
