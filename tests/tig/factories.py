# mypy: disallow-untyped-calls=False
"""Synthetic data of the ``tig`` app (Faker ``fr_FR``, also through the cellules factories)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from acces.crypto.champs import chiffrer
from acces.enums import Role, TypeOrganisation
from acces.models import Commune, Utilisateur
from cellules.dossiers.models import Personne
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tig.accueil import referentiel
from tig.accueil.enums import TypeStructure
from tig.accueil.models import Activite, Poste, StructureAccueil
from tig.enums import NatureMesure
from tig.models import Mesure

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


def activite(code: str) -> Activite:
    """An activity of the reference list (loaded again: a transactional test may flush it)."""
    from django.apps import apps

    referentiel.charger(apps)
    return Activite.objects.get(pk=code)


def poste(site: StructureAccueil | None = None, **champs: Any) -> Poste:
    site = site or structure()
    valeurs: dict[str, Any] = {
        "structure": site,
        "activite": activite("espaces_verts"),
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


# --- measures created by agents (conseiller d'exécution, délégué du procureur) -----------------


def conseiller(
    type_organisation: str = TypeOrganisation.SPIP, ressort: str = "tj-dijon", **kwargs: Any
) -> Utilisateur:
    """A conseiller d'exécution of a SPIP (adults) or of the PJJ (minors), charter accepted."""
    return f_composition.agent(
        Role.CONSEILLER_EXECUTION, type_organisation=type_organisation, ressort=ressort, **kwargs
    )


def personne_agee(age: int, **kwargs: Any) -> Personne:
    """A synthetic person exactly ``age`` years old today (plus a few days)."""
    aujourd_hui = timezone.localdate()
    naissance = aujourd_hui.replace(year=aujourd_hui.year - age) - dt.timedelta(days=10)
    ident = f_dossiers.identite()
    return f_dossiers.personne(f_dossiers.Identite(ident.nom, ident.prenom, naissance), **kwargs)


def mesure_agent(
    personne: Personne,
    *,
    nature: str = NatureMesure.TIG,
    commune: str = "21231",
    mineur: bool = False,
    heures: int = 120,
) -> Mesure:
    """A running measure as an agent creates it, the communes to avoid encrypted (none)."""
    mesure = Mesure(
        id=uuid.uuid4(),
        nature=nature,
        personne=personne,
        commune_id=commune,
        heures_prevues=heures,
        validee_le=timezone.localdate(),
        date_limite=timezone.localdate() + dt.timedelta(days=540),
        mineur=mineur,
        cle_id=personne.cle_id,
    )
    chiffrer(mesure, "communes_a_eviter", "")
    mesure.save(force_insert=True)
    return mesure
