"""Demo rappels à l'ordre per commune, drawn by the orientations' demo step with its random
sequence (``cellules.orientations.demo.charger``). Synthetic data only; running it again adds
nothing: rappels are topped up to ``RAPPELS_PAR_COMMUNE``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from acces.models import Utilisateur
from cellules.composition.demo import COMMUNES_QPV
from cellules.dossiers.models import Personne
from cellules.orientations.models import ReferenceJuridique
from cellules.registres.enums import REFERENCE_RAPPEL_ORDRE, Accompagnant, FaitRappel, QualiteAuteur
from cellules.registres.models import RappelOrdre

RAPPELS_PAR_COMMUNE = 6


def _rappel(hasard: random.Random, commune: str, personne: Personne, auteur: Utilisateur) -> None:
    date = timezone.localdate() - dt.timedelta(days=hasard.randint(1, 330))
    mineur = personne.mineur_au(date)
    RappelOrdre.objects.create(
        id=uuid.uuid4(),
        commune_id=commune,
        date=date,
        qualite_auteur=QualiteAuteur.MAIRE,
        personne=personne,
        faits=sorted(hasard.sample(FaitRappel.values, 1)),
        mineur=mineur,
        accompagnant=Accompagnant.PARENTS if mineur else "",
        reference=ReferenceJuridique.objects.get(code=REFERENCE_RAPPEL_ORDRE),
        cree_par=auteur,
    )


def rappels(hasard: random.Random, decideur: Utilisateur) -> None:
    """Top up each QPV commune's register to ``RAPPELS_PAR_COMMUNE`` entries."""
    for commune in COMMUNES_QPV:
        personnes = list(
            Personne.objects.filter(situations__commune_id=commune).order_by("id")[:50]
        )
        manquants = RAPPELS_PAR_COMMUNE - RappelOrdre.objects.filter(commune_id=commune).count()
        for _ in range(max(0, manquants) if personnes else 0):
            _rappel(hasard, commune, hasard.choice(personnes), decideur)
