"""Demo cells and cases: one cell per commune with a QPV, the CISPD group, ~200 synthetic cases,
and the charte de confidentialité of the Quetigny cell (its cases stay hidden until accepted).

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
from acces.enums import TypeQuartier
from acces.models import Commune, Ressort, Utilisateur
from cellules.enums import (
    MotifCloture,
    Profil,
    SourceSignalement,
    StatutSituation,
    TypeCellule,
)
from cellules.models import Cellule, Personne, Situation

NOMBRE = 200
GRAINE = 2025
RESSORT = "tj-dijon"  # acces reference data (migration 0013)
COMMUNES_QPV = ("21231", "21166", "21617", "21515", "21355")
# commune -> (kind of cell, coordinating demo account)
CELLULES: dict[str, tuple[str, str | None]] = {
    "21231": (TypeCellule.SUIVI_PERSONNALISE, None),
    "21166": (TypeCellule.COMMISSION_RESTREINTE, None),
    "21617": (TypeCellule.SUIVI_PERSONNALISE, None),
    "21515": (TypeCellule.SUIVI_PERSONNALISE, "coord.quetigny"),
    "21355": (TypeCellule.GROUPE_OPERATIONNEL, None),
}
# The one demo cell with its own charter, published by its coordinator (accepted by nobody).
CHARTE_COMMUNE = "21515"
CHARTE_TITRE = "Charte de confidentialité de la cellule de Quetigny"
CHARTE_TEXTE = (
    "1. Les informations partagées en cellule sont couvertes par le secret partagé : elles ne "
    "servent qu'au suivi des jeunes inscrits à l'ordre du jour.\n"
    "2. Aucune information n'est transmise hors de la cellule, ni recopiée dans un autre "
    "fichier.\n"
    "3. Tout manquement peut entraîner l'exclusion immédiate du membre."
)
STATUTS = (
    (StatutSituation.SIGNALEE, 4),
    (StatutSituation.INSCRITE_ORDRE_DU_JOUR, 3),
    (StatutSituation.SUIVIE, 6),
    (StatutSituation.CLOTUREE, 2),
)


def _coordonner(cellule: Cellule, username: str | None) -> None:
    if username:
        cellule.coordonnateurs.add(*Utilisateur.objects.filter(username=username))


def _cellules() -> list[Cellule]:
    codes = set(
        Commune.objects.filter(quartiers__type=TypeQuartier.QPV).values_list(
            "code_insee", flat=True
        )
    ) or set(COMMUNES_QPV)
    # Reference data (acces migration 0013), present again if a test flushed it.
    Ressort.objects.get_or_create(code=RESSORT, defaults={"nom": "tribunal judiciaire de Dijon"})
    cellules: list[Cellule] = []
    for commune in Commune.objects.filter(code_insee__in=codes).order_by("code_insee"):
        type_cellule, coordonnateur = CELLULES.get(commune.code_insee, (TypeCellule.AUTRE, None))
        cellule, _ = Cellule.objects.get_or_create(
            nom=f"{TypeCellule(type_cellule).label} — {commune.nom}",
            defaults={
                "type": type_cellule,
                "commune": commune,
                "ressort_id": commune.ressort_id or RESSORT,
                "reference_reglement_interieur": f"RI-{commune.code_insee}-2025",
            },
        )
        _coordonner(cellule, coordonnateur)
        cellules.append(cellule)
    cispd, _ = Cellule.objects.get_or_create(
        nom="Groupe opérationnel du CISPD",
        defaults={
            "type": TypeCellule.GROUPE_OPERATIONNEL,
            "cispd": True,
            "ressort_id": RESSORT,
            "reference_reglement_interieur": "RI-CISPD-2025",
        },
    )
    cispd.communes_membres.set(Commune.objects.all())
    _coordonner(cispd, "coord.cispd")
    return [*cellules, cispd]


def _charte(cellules: list[Cellule]) -> None:
    """Publish the demo charter of one cell through the service, once."""
    from cellules.chartes.services import charte_cellule_publier

    cellule = next((c for c in cellules if c.commune_id == CHARTE_COMMUNE), None)
    if cellule is None or cellule.chartes.exists():
        return
    coordonnateur = cellule.coordonnateurs.order_by("username").first()
    if coordonnateur is None:
        return
    charte_cellule_publier(
        cellule=cellule, titre=CHARTE_TITRE, texte=CHARTE_TEXTE, acteur=coordonnateur
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
    cellules = _cellules()
    existantes = Situation.objects.filter(cellule__in=cellules).count()
    hasard = random.Random(GRAINE + existantes)  # noqa: S311 - synthetic demo data
    faker = Faker("fr_FR")
    faker.seed_instance(GRAINE + existantes)
    communes = list(Commune.objects.filter(code_insee__in=COMMUNES_QPV))
    # Cells weighted towards Dijon (the largest commune), then the others evenly.
    poids = [4 if c.commune_id == "21231" else 1 for c in cellules]
    for _ in range(max(0, NOMBRE - existantes)):
        _situation(hasard, faker, hasard.choices(cellules, weights=poids)[0], communes)
    _charte(cellules)
    return []
