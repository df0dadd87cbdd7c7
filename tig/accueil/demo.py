"""Demo reception sites and posts across the 23 communes of the métropole, and one référent
account per site (secrets derived from the demo seed, like the other demo accounts).

Synthetic data only, idempotent: a second run adds nothing. Posts sit near their commune's
centroid (reference data), each commune has at least one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from acces.demo import COMPTES, CompteDemo, creer_compte
from acces.enums import Role, TypeOrganisation
from acces.models import Commune, Utilisateur
from tig.accueil import referentiel
from tig.accueil.enums import TypeStructure
from tig.accueil.models import Activite, Poste, StructureAccueil


@dataclass(frozen=True)
class SiteDemo:
    referent: str
    nom: str
    type: str
    commune: str
    # (commune of the post, activity, capacity, natures, minimum age)
    postes: tuple[tuple[str, str, int, tuple[str, ...], int], ...]


_TOUT = ("tnr", "tig", "reparation")
_TNR_TIG = ("tnr", "tig")

SITES = (
    SiteDemo(
        "referent.dijon",
        "Ville de Dijon — services techniques",
        TypeStructure.COMMUNE,
        "21231",
        (
            ("21231", "espaces_verts", 4, _TOUT, 16),
            ("21231", "proprete_urbaine", 3, _TNR_TIG, 16),
            ("21231", "entretien_batiments", 2, _TNR_TIG, 18),
        ),
    ),
    SiteDemo(
        "referent.chenove",
        "Ville de Chenôve — centre technique municipal",
        TypeStructure.COMMUNE,
        "21166",
        (("21166", "espaces_verts", 3, _TOUT, 16), ("21166", "restauration", 2, _TNR_TIG, 16)),
    ),
    SiteDemo(
        "referent.quetigny",
        "Ville de Quetigny — services techniques",
        TypeStructure.COMMUNE,
        "21515",
        (("21515", "proprete_urbaine", 2, _TOUT, 16),),
    ),
    SiteDemo(
        "referent.talant",
        "Ville de Talant — services techniques",
        TypeStructure.COMMUNE,
        "21617",
        (("21617", "entretien_batiments", 2, _TNR_TIG, 16),),
    ),
    SiteDemo(
        "referent.metropole",
        "Dijon Métropole — direction des espaces verts",
        TypeStructure.ETABLISSEMENT_PUBLIC,
        "21231",
        tuple(
            (code, "espaces_verts", 2, _TNR_TIG, 16)
            for code in (
                "21540",
                "21390",
                "21171",
                "21452",
                "21485",
                "21481",
                "21605",
                "21003",
                "21263",
                "21223",
                "21473",
                "21315",
                "21105",
                "21106",
                "21370",
                "21192",
                "21270",
            )
        ),
    ),
    SiteDemo(
        "referent.bailleur",
        "Bailleur social fictif — agence de Dijon",
        TypeStructure.BAILLEUR_SOCIAL,
        "21231",
        (
            ("21231", "entretien_batiments", 2, _TNR_TIG, 18),
            ("21166", "proprete_urbaine", 2, _TOUT, 16),
            ("21617", "mediation", 1, _TNR_TIG, 18),
        ),
    ),
    SiteDemo(
        "referent.transport",
        "Réseau de transport métropolitain (opérateur fictif)",
        TypeStructure.OPERATEUR_TRANSPORT,
        "21231",
        (
            ("21231", "transport", 2, _TNR_TIG, 18),
            ("21278", "logistique", 2, _TNR_TIG, 16),
            ("21515", "proprete_urbaine", 2, _TNR_TIG, 16),
        ),
    ),
    SiteDemo(
        "referent.accueil",
        "Régie de quartier de Longvic",
        TypeStructure.ASSOCIATION,
        "21355",
        (("21355", "espaces_verts", 3, _TOUT, 16), ("21355", "administratif", 1, _TOUT, 16)),
    ),
    SiteDemo(
        "referent.ess",
        "Atelier solidaire fictif (entreprise de l'ESS)",
        TypeStructure.ENTREPRISE_ESS,
        "21171",
        (("21171", "logistique", 2, ("tig",), 18),),
    ),
)
# Accounts the acces demo step already prints.
DEJA_LISTES = frozenset(c.username for c in COMPTES)
# Habilitation decision of the non-public demo sites.
HABILITATION_PAR = "juge de l'application des peines du tribunal judiciaire de Dijon"
CRENEAUX = {"lundi": ["matin", "apres_midi"], "mercredi": ["matin"], "vendredi": ["matin"]}
CRENEAUX_WEEK_END = {"mardi": ["apres_midi"], "samedi": ["matin"]}


def _decalage(graine: str, amplitude: Decimal = Decimal("0.006")) -> tuple[Decimal, Decimal]:
    """A small fixed offset from the centroid (stable across runs)."""
    octets = hashlib.sha256(graine.encode()).digest()
    a, b = (octets[0] - 128) / 128, (octets[1] - 128) / 128
    return (Decimal(a) * amplitude).quantize(Decimal("0.00001")), (Decimal(b) * amplitude).quantize(
        Decimal("0.00001")
    )


def _centre(commune: Commune) -> tuple[Decimal, Decimal]:
    """The commune's centroid (reference data: every commune of the métropole has one)."""
    assert commune.latitude is not None and commune.longitude is not None
    return Decimal(commune.latitude), Decimal(commune.longitude)


def _referent(site: SiteDemo, commune: Commune) -> tuple[Utilisateur, dict[str, Any]]:
    compte = CompteDemo(
        site.referent,
        Role.REFERENT_ACCUEIL,
        site.nom,
        TypeOrganisation.STRUCTURE_ACCUEIL,
        (commune.code_insee,),
    )
    return creer_compte(compte, communes_organisation=False)


def _structure(site: SiteDemo, commune: Commune) -> StructureAccueil:
    existante = StructureAccueil.objects.filter(nom=site.nom).first()
    if existante is not None:
        return existante
    de_droit = site.type in (TypeStructure.COMMUNE, TypeStructure.ETABLISSEMENT_PUBLIC)
    dlat, dlon = _decalage(site.nom)
    lat, lon = _centre(commune)
    structure = StructureAccueil(
        nom=site.nom,
        type=site.type,
        commune=commune,
        adresse=f"{len(site.nom)} rue de la Démonstration, {commune.code_postal} {commune.nom}",
        latitude=lat + dlat,
        longitude=lon + dlon,
        habilitation_par="" if de_droit else HABILITATION_PAR,
        habilitation_le=None if de_droit else timezone.localdate() - dt.timedelta(days=200),
        contact_service="Service de la tranquillité publique",
        contact_courriel=f"tranquillite.{site.referent.split('.')[-1]}@demo.invalid",
        contact_telephone="03 80 00 00 00",
    )
    structure.full_clean()
    structure.save(force_insert=True)
    return structure


def charger() -> list[dict[str, Any]]:
    communes = {c.pk: c for c in Commune.objects.all()}
    referentiel.charger(apps)
    activites = {a.pk: a for a in Activite.objects.all()}
    comptes: list[dict[str, Any]] = []
    aujourd_hui = timezone.localdate()
    for site in SITES:
        commune = communes[site.commune]
        user, compte = _referent(site, commune)
        if site.referent not in DEJA_LISTES:
            comptes.append(compte)
        structure = _structure(site, commune)
        structure.referents.add(user)
        if structure.postes.exists():
            continue
        for rang, (code, activite, capacite, natures, age) in enumerate(site.postes):
            lieu = communes[code]
            dlat, dlon = _decalage(f"{site.nom}/{rang}")
            lat, lon = _centre(lieu)
            week_end = rang % 4 == 3
            poste = Poste(
                structure=structure,
                activite=activites[activite],
                commune=lieu,
                lieu=f"{activites[activite].libelle.capitalize()} — {lieu.nom}",
                latitude=lat + dlat,
                longitude=lon + dlon,
                capacite=capacite,
                creneaux=CRENEAUX_WEEK_END if week_end else CRENEAUX,
                ouvert_week_end=week_end,
                age_minimum=age,
                natures=list(natures),
                desserte_transports=rang % 3 != 2,
                desserte_detail="arrêt de bus à 300 m" if rang % 3 == 0 else "",
                # One post in five was last confirmed long ago: the demo shows stale posts.
                confirme_le=aujourd_hui - dt.timedelta(days=120 if rang % 5 == 4 else rang * 3),
            )
            poste.full_clean()
            poste.save(force_insert=True)
    return comptes
