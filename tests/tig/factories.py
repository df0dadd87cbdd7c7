# mypy: disallow-untyped-calls=False
"""Synthetic data of the ``tig`` app (Faker ``fr_FR`` through the cellules factories)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.enums import Role, TypeOrganisation
from acces.models import Utilisateur
from cellules.dossiers.models import Personne
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tig.enums import NatureMesure
from tig.models import Mesure

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
