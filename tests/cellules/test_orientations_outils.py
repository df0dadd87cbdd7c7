# mypy: disallow-untyped-calls=False
"""Factories of orientations, rappels à l'ordre and transactions (no tests in this module).

Rows are built directly, without the services' checks, so that tests can place data anywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from acces.models import Organisation, Utilisateur
from cellules.dossiers.models import Personne, Situation
from cellules.orientations.enums import TypeOrientation
from cellules.orientations.models import MesureOrientation, Orientation, ReferenceJuridique
from cellules.registres.enums import (
    REFERENCE_RAPPEL_ORDRE,
    REFERENCE_TRANSACTION,
    ContraventionTransaction,
    FaitRappel,
    NatureTransaction,
    QualiteAuteur,
)
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from tests.acces.factories import organisation as organisation_ref
from tests.cellules import factories as f


def referentiel() -> None:
    """The seed of the data migration (a transactional test may have flushed it)."""
    from django.apps import apps

    from cellules.orientations import referentiel as seed

    seed.charger(apps)


def mesure(code: str = "prevention_specialisee") -> MesureOrientation:
    referentiel()
    return MesureOrientation.objects.get(code=code)


def orientation(
    situation: Situation | None = None,
    *,
    decideur: Utilisateur | None = None,
    type: str = TypeOrientation.EDUCATIVE,
    code_mesure: str = "prevention_specialisee",
    organisation: Organisation | None = None,
    **champs: Any,
) -> Orientation:
    situation = situation or f.situation()
    decideur = decideur or f.agent("coordonnateur", communes=("21231",))
    objet = Orientation(
        id=uuid.uuid4(),
        situation=situation,
        type=type,
        mesure=mesure(code_mesure),
        organisation=organisation or organisation_ref(nom=f"Partenaire {uuid.uuid4().hex[:8]}"),
        echeance=champs.pop("echeance", timezone.localdate() + dt.timedelta(days=30)),
        decidee_par=decideur,
        **champs,
    )
    objet.save(force_insert=True)
    return objet


def rappel(
    commune: str = "21231",
    *,
    personne: Personne | None = None,
    auteur: Utilisateur | None = None,
    **champs: Any,
) -> RappelOrdre:
    referentiel()
    personne = personne or f.personne(f.identite(age_min=19, age_max=25))
    date = champs.pop("date", timezone.localdate() - dt.timedelta(days=10))
    objet = RappelOrdre(
        id=uuid.uuid4(),
        commune=f.commune_de(commune),
        date=date,
        qualite_auteur=champs.pop("qualite_auteur", QualiteAuteur.MAIRE),
        personne=personne,
        faits=champs.pop("faits", [FaitRappel.INCIVILITES]),
        mineur=champs.pop("mineur", personne.mineur_au(date)),
        reference=ReferenceJuridique.objects.get(code=REFERENCE_RAPPEL_ORDRE),
        cree_par=auteur or f.agent("directeur_tranquillite", communes=(commune,)),
        **champs,
    )
    objet.save(force_insert=True)
    return objet


def transaction(
    commune: str = "21231",
    *,
    personne: Personne | None = None,
    auteur: Utilisateur | None = None,
    **champs: Any,
) -> TransactionMunicipale:
    referentiel()
    aujourd_hui = timezone.localdate()
    objet = TransactionMunicipale(
        id=uuid.uuid4(),
        commune=f.commune_de(commune),
        personne=personne or f.personne(),
        contravention=champs.pop("contravention", ContraventionTransaction.DEGRADATION_LEGERE),
        date_constat=champs.pop("date_constat", aujourd_hui - dt.timedelta(days=5)),
        date_proposition=champs.pop("date_proposition", aujourd_hui),
        nature=champs.pop("nature", NatureTransaction.REPARATION),
        montant=champs.pop("montant", Decimal("80.00")),
        reference=ReferenceJuridique.objects.get(code=REFERENCE_TRANSACTION),
        proposee_par=auteur or f.agent("directeur_tranquillite", communes=(commune,)),
        **champs,
    )
    objet.save(force_insert=True)
    return objet


def objets_matrice(decideur: Utilisateur) -> dict[str, str]:
    """Objects of the permission matrix, on the Dijon case made just before."""
    situation = (
        Situation.objects.filter(commune_id="21231", ressort="tj-dijon")
        .order_by("creee_le")
        .first()
    )
    assert situation is not None
    aujourd_hui = timezone.localdate()
    return {
        "orientation": str(orientation(situation, decideur=decideur).pk),
        "mesure": str(mesure().pk),
        "rappel": str(rappel("21231", personne=situation.personne, auteur=decideur).pk),
        "transaction": str(transaction("21231", auteur=decideur).pk),
        "echeance": (aujourd_hui + dt.timedelta(days=30)).isoformat(),
        "aujourdhui": aujourd_hui.isoformat(),
    }
