"""Rappel à l'ordre register: refusals, author's delegation, minors at the date, transmission."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from acces.crypto.champs import dechiffrer
from acces.enums import Role
from cellules.registres import services as rappels
from cellules.registres.enums import Accompagnant, FaitRappel, MotifSansAccompagnant, QualiteAuteur
from cellules.registres.models import RappelOrdre
from cellules.registres.services import IdentiteNouvelle, Qualification
from socle.errors import ApiError
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.orientations import factories as f_orientations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referentiel() -> None:
    f_orientations.referentiel()


@pytest.fixture
def directeur() -> Any:
    return f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))


def _majeur() -> IdentiteNouvelle:
    return IdentiteNouvelle("Durand-Fictif", "Léon", dt.date(1995, 4, 2))


def _enregistrer(directeur: Any, **champs: Any) -> RappelOrdre:
    valeurs: dict[str, Any] = {
        "commune": f_composition.commune_de("21231"),
        "date": timezone.localdate() - dt.timedelta(days=2),
        "qualite_auteur": QualiteAuteur.MAIRE,
        "faits": [FaitRappel.NUISANCES_SONORES],
        "acteur": directeur,
    }
    valeurs.update(champs)
    if "personne" not in valeurs and "identite" not in valeurs:
        valeurs["identite"] = _majeur()
    return rappels.rappel_enregistrer(**valeurs)


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


def _age_limite() -> tuple[dt.date, dt.date]:
    """A rappel date at which the person was 17, while the person is 18 today."""
    date_rappel = timezone.localdate() - dt.timedelta(days=60)
    dix_huit_ans = date_rappel + dt.timedelta(days=30)
    jour = 28 if (dix_huit_ans.month, dix_huit_ans.day) == (2, 29) else dix_huit_ans.day
    return date_rappel, dt.date(dix_huit_ans.year - 18, dix_huit_ans.month, jour)


def test_entry_by_the_mayor_for_an_adult(directeur: Any) -> None:
    rappel = _enregistrer(directeur)
    assert rappel.mineur is False and rappel.accompagnant == ""
    assert rappel.reference.code == "rappel_ordre" and "L132-7" in rappel.reference.article
    assert dechiffrer(rappel.personne, "nom") == "Durand-Fictif"
    assert "Durand" not in str(rappel)


@pytest.mark.parametrize(
    ("qualification", "code", "mot"),
    [
        (Qualification(crime_ou_delit=True), "faits_penaux", "crime ou d'un délit"),
        (Qualification(plainte_en_cours=True), "plainte_en_cours", "plainte"),
        (Qualification(enquete_en_cours=True), "enquete_en_cours", "enquête"),
    ],
)
def test_refused_for_penal_facts_complaint_or_investigation(
    directeur: Any, qualification: Qualification, code: str, mot: str
) -> None:
    refus = _erreur(lambda: _enregistrer(directeur, qualification=qualification))
    assert (refus.status_code, refus.code) == (400, code)
    assert mot in refus.message
    assert not RappelOrdre.objects.exists()


def test_adjoint_needs_the_delegation_reference(directeur: Any) -> None:
    refus = _erreur(lambda: _enregistrer(directeur, qualite_auteur=QualiteAuteur.ADJOINT))
    assert "reference_delegation" in refus.champs
    rappel = _enregistrer(
        directeur,
        qualite_auteur=QualiteAuteur.CONSEILLER_MUNICIPAL,
        reference_delegation="Arrêté 2025-114",
    )
    assert rappel.reference_delegation == "Arrêté 2025-114"


def test_minor_at_the_date_needs_an_accompanying_person_or_a_reason(directeur: Any) -> None:
    date_rappel, naissance = _age_limite()
    identite = IdentiteNouvelle("Petit-Fictif", "Inès", naissance)
    assert (
        "accompagnant"
        in _erreur(lambda: _enregistrer(directeur, date=date_rappel, identite=identite)).champs
    )
    deux = _erreur(
        lambda: _enregistrer(
            directeur,
            date=date_rappel,
            identite=identite,
            accompagnant=Accompagnant.PARENTS,
            motif_sans_accompagnant=MotifSansAccompagnant.URGENCE,
        )
    )
    assert "accompagnant" in deux.champs
    avec = _enregistrer(
        directeur, date=date_rappel, identite=identite, accompagnant=Accompagnant.EDUCATEUR
    )
    assert avec.mineur is True
    # Adult today, minor on the day of the rappel: the date of the rappel decides.
    assert avec.personne.mineur_au(timezone.localdate()) is False
    sans = _enregistrer(
        directeur,
        date=date_rappel,
        personne=avec.personne,
        motif_sans_accompagnant=MotifSansAccompagnant.PARENTS_INJOIGNABLES,
    )
    assert sans.mineur is True and sans.accompagnant == ""


def test_adult_takes_no_accompanying_person(directeur: Any) -> None:
    refus = _erreur(lambda: _enregistrer(directeur, accompagnant=Accompagnant.PARENTS))
    assert "accompagnant" in refus.champs


def test_transmission_to_the_parquet_under_the_convention(directeur: Any) -> None:
    date_rappel = timezone.localdate() - dt.timedelta(days=5)
    sans_convention = _erreur(
        lambda: _enregistrer(directeur, date=date_rappel, transmis_au_parquet_le=date_rappel)
    )
    assert "reference_convention" in sans_convention.champs
    avant = _erreur(
        lambda: _enregistrer(
            directeur,
            date=date_rappel,
            transmis_au_parquet_le=date_rappel - dt.timedelta(days=1),
            reference_convention="Convention 2024",
        )
    )
    assert "transmis_au_parquet_le" in avant.champs
    rappel = _enregistrer(
        directeur,
        date=date_rappel,
        transmis_au_parquet_le=timezone.localdate(),
        reference_convention="Convention parquet 2024-03",
    )
    assert rappel.transmis_au_parquet_le == timezone.localdate()


def test_dates_and_closed_lists(directeur: Any) -> None:
    demain = timezone.localdate() + dt.timedelta(days=1)
    assert "date" in _erreur(lambda: _enregistrer(directeur, date=demain)).champs
    assert "faits" in _erreur(lambda: _enregistrer(directeur, faits=[])).champs
    assert "faits" in _erreur(lambda: _enregistrer(directeur, faits=["vol"])).champs
    naissance_future = IdentiteNouvelle("A", "B", demain)
    assert (
        "date_naissance"
        in _erreur(lambda: _enregistrer(directeur, identite=naissance_future)).champs
    )


def test_only_the_directeur_of_the_commune_keeps_the_register(directeur: Any) -> None:
    autre = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    assert "commune" in _erreur(lambda: _enregistrer(autre)).champs
    for role in (Role.COORDONNATEUR, Role.DELEGUE_PROCUREUR):
        intrus = f_composition.agent(role, communes=("21231",))
        assert _erreur(lambda intrus=intrus: _enregistrer(intrus)).status_code == 403
    assert not RappelOrdre.objects.exists()


def test_same_identity_reuses_the_person_of_the_register(directeur: Any) -> None:
    premier = _enregistrer(directeur)
    second = _enregistrer(directeur)
    assert premier.personne_id == second.personne_id


def test_C1_D8_register_rows_and_change_log_hold_no_identity(directeur: Any) -> None:
    c = canari()
    rappel = _enregistrer(
        directeur, identite=IdentiteNouvelle(c.nom, c.prenom, dt.date(1990, 1, 2))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cellules_rappelordre WHERE id=%s", [rappel.pk])
        ligne = cursor.fetchone()
        cursor.execute(
            "SELECT nom, prenom FROM cellules_personne WHERE id=%s", [rappel.personne_id]
        )
        identite = cursor.fetchone()
    brut = repr(ligne).encode() + b"".join(bytes(v) for v in identite)
    assert scanner(brut, [c]) == []
    entrees = LogEntry.objects.filter(object_pk__in=[str(rappel.pk), str(rappel.personne_id)])
    journal = repr([(e.object_repr, e.changes) for e in entrees])
    assert entrees.exists() and scanner(journal, [c]) == []
    assert FaitRappel.NUISANCES_SONORES not in journal  # facts masked entirely
