"""Demo cells (``cellules.composition.demo``) and ~200 synthetic cases, then the charte de
confidentialité of the Quetigny cell (its cases stay hidden until accepted).

Identities come from Faker ``fr_FR`` with a fixed seed (synthetic, stable across runs). Running
it again adds nothing: cells are looked up by name and cases are only topped up to ``NOMBRE``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.utils import timezone
from faker import Faker

from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.models import Commune
from cellules.composition import demo as demo_cellules
from cellules.composition.demo import COMMUNES_QPV
from cellules.composition.models import Cellule
from cellules.dossiers.enums import MotifCloture, Profil, SourceSignalement, StatutSituation
from cellules.dossiers.models import Personne, Situation

NOMBRE = 200
GRAINE = 2025
STATUTS = (
    (StatutSituation.SIGNALEE, 4),
    (StatutSituation.INSCRITE_ORDRE_DU_JOUR, 3),
    (StatutSituation.SUIVIE, 6),
    (StatutSituation.CLOTUREE, 2),
)


def _personne(faker: Faker, aujourd_hui: dt.date) -> Personne:
    nom, prenom = faker.last_name(), faker.first_name()
    naissance = aujourd_hui - dt.timedelta(days=faker.random_int(12 * 365, 25 * 365))
    cle = CleDonnees.nouvelle()
    cle.save()
    personne = Personne(id=uuid.uuid4(), cle=cle)
    chiffrer(personne, "nom", nom)
    chiffrer(personne, "prenom", prenom)
    chiffrer(personne, "date_naissance", naissance)
    chiffrer(personne, "adresse", faker.street_address())
    chiffrer(personne, "commune_residence", faker.city())
    personne.index_identite = index_aveugle(nom, prenom, naissance)
    personne.save(force_insert=True)
    return personne


def _situation(
    hasard: random.Random, faker: Faker, cellule: Cellule, communes: list[Commune]
) -> None:
    personne = _personne(faker, timezone.localdate())
    statut = hasard.choices([s for s, _ in STATUTS], weights=[p for _, p in STATUTS])[0]
    signalee_le = timezone.localdate() - dt.timedelta(days=hasard.randint(10, 360))
    cloturee = statut == StatutSituation.CLOTUREE
    situation = Situation(
        id=uuid.uuid4(),
        personne=personne,
        cellule=cellule,
        commune=cellule.commune or hasard.choice(communes),
        ressort=cellule.ressort_id,
        cle_id=personne.cle_id,
        statut=statut,
        source_signalement=hasard.choice(SourceSignalement.values),
        profils=sorted(hasard.sample(Profil.values, hasard.randint(1, 3))),
        signalee_le=signalee_le,
        cloturee_le=signalee_le + dt.timedelta(days=hasard.randint(1, 9)) if cloturee else None,
        motif_cloture=hasard.choice(MotifCloture.values) if cloturee else "",
    )
    chiffrer(situation, "observation", None)
    situation.save(force_insert=True)


def charger() -> list[dict[str, Any]]:
    """Load the demo cells and cases; returns no account (the ``acces`` step makes them)."""
    cellules = demo_cellules.cellules()
    existantes = Situation.objects.filter(cellule__in=cellules).count()
    hasard = random.Random(GRAINE + existantes)  # noqa: S311 - synthetic demo data
    faker = Faker("fr_FR")
    faker.seed_instance(GRAINE + existantes)
    communes = list(Commune.objects.filter(code_insee__in=COMMUNES_QPV))
    # Cells weighted towards Dijon (the largest commune), then the others evenly.
    poids = [4 if c.commune_id == "21231" else 1 for c in cellules]
    for _ in range(max(0, NOMBRE - existantes)):
        _situation(hasard, faker, hasard.choices(cellules, weights=poids)[0], communes)
    demo_cellules.charte(cellules)
    return []
