# mypy: disallow-untyped-calls=False
"""Factories of the ``cellules`` app: cells, persons (encrypted identity) and cases.

Synthetic identities only (Faker fr_FR, or canaries from ``tests.canaris``). Rows are built
directly, without the services' scope checks, so that tests can place data anywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from faker import Faker

from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.enums import Role, TypeOrganisation
from acces.models import AcceptationCharte, Charte, Commune, Ressort, Utilisateur
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule
from cellules.dossiers.enums import Profil, SourceSignalement
from cellules.dossiers.models import Personne, Situation
from tests.acces.factories import commune as commune_ref
from tests.acces.factories import habilitation, organisation, utilisateur

faker = Faker("fr_FR")


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


def commune_de(code: str) -> Commune:
    """The reference row (get-or-create: a transactional test may have flushed the table)."""
    existante = Commune.objects.filter(code_insee=code).first()
    return existante or commune_ref(code, faker.city())


def cellule(
    commune: str | None = "21231",
    *,
    ressort: str = "tj-dijon",
    coordonnateurs: tuple[Utilisateur, ...] = (),
    cispd: bool = False,
) -> Cellule:
    # Out-of-ressort tests name ressorts of their own: reference rows, as in production.
    Ressort.objects.get_or_create(code=ressort, defaults={"nom": f"ressort {ressort}"})
    objet = Cellule.objects.create(
        nom=f"Cellule {faker.word()} {uuid.uuid4().hex[:6]}",
        type=TypeCellule.SUIVI_PERSONNALISE,
        commune=None if cispd or commune is None else commune_de(commune),
        cispd=cispd,
        ressort_id=ressort,
        reference_reglement_interieur="RI 2025-01",
    )
    objet.coordonnateurs.set(coordonnateurs)
    if cispd:
        objet.communes_membres.set(Commune.objects.all())
    return objet


def personne(
    ident: Identite | Any | None = None, *, cree_par: Utilisateur | None = None
) -> Personne:
    ident = ident or identite()
    cle = CleDonnees.nouvelle()
    cle.save()
    objet = Personne(id=uuid.uuid4(), cle=cle, cree_par=cree_par)
    chiffrer(objet, "nom", ident.nom)
    chiffrer(objet, "prenom", ident.prenom)
    chiffrer(objet, "date_naissance", ident.date_naissance)
    chiffrer(objet, "adresse", getattr(ident, "adresse", ""))
    chiffrer(objet, "commune_residence", getattr(ident, "commune_residence", ""))
    objet.index_identite = index_aveugle(ident.nom, ident.prenom, ident.date_naissance)
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
    objet = Situation(
        id=uuid.uuid4(),
        personne=pers,
        cellule=cell,
        commune=commune_de(commune) if commune else cell.commune,
        ressort=cell.ressort_id,
        cle_id=pers.cle_id,
        source_signalement=champs.pop("source_signalement", SourceSignalement.EDUCATION_NATIONALE),
        profils=champs.pop("profils", [Profil.DECROCHEUR_SCOLAIRE]),
        **champs,
    )
    chiffrer(objet, "observation", observation)
    objet.save(force_insert=True)
    return objet


def charte_acceptee(user: Utilisateur) -> None:
    charte = Charte.objects.order_by("-version").first() or Charte.objects.create(
        version=1, titre="Charte", texte="Texte de la charte.", en_vigueur_le=timezone.now()
    )
    AcceptationCharte.objects.get_or_create(utilisateur=user, charte=charte)


def agent(
    role: str,
    *,
    communes: tuple[str, ...] = (),
    charte: bool = True,
    type_organisation: str = TypeOrganisation.COMMUNE,
    **hab: Any,
) -> Utilisateur:
    """An account with one active habilitation (and the charter accepted by default)."""
    if role == Role.DELEGUE_PROCUREUR:
        hab.setdefault("ressort", "tj-dijon")
    org = organisation(nom=f"Structure {uuid.uuid4().hex[:8]}", type=type_organisation)
    user = utilisateur(organisation=org)
    habilitation(utilisateur=user, role=role, communes=list(communes), **hab)
    if charte:
        charte_acceptee(user)
    return user
