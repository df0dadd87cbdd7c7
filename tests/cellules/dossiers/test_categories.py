"""Issue 9, item 6: judicial, school and family values follow the category matrix, and every
field of every personal-data serializer is declared (category or plain reference)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from rest_framework import serializers

import cellules
from acces.api.categories import ChampsParCategorie, champs_non_declares
from acces.enums import Role, TypeOrganisation
from cellules.dossiers import services
from cellules.dossiers.enums import MotifCloture, Profil, SourceSignalement, StatutSituation
from socle.serializers import EntreeStricte
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/situations/"
JUDICIAIRES = {
    Profil.SORTANT_DE_DETENTION,
    Profil.RECIDIVISTE,
    Profil.SUIVI_PJJ,
    Profil.REITERANT,
    Profil.PRIMO_DELINQUANT,
}


def _situation_judiciaire() -> Any:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    return f.situation(
        cellule,
        source_signalement=SourceSignalement.PJJ,
        profils=[
            Profil.SORTANT_DE_DETENTION,
            Profil.RECIDIVISTE,
            Profil.SUIVI_PJJ,
            Profil.CONDUITES_PERTURBATRICES,
            Profil.DECROCHEUR_SCOLAIRE,
        ],
        statut=StatutSituation.CLOTUREE,
        motif_cloture=MotifCloture.INCARCERATION,
    )


@pytest.mark.django_db
def test_item6_director_no_longer_reads_judicial_or_school_values() -> None:
    """Issue 9, item 6 (reproduction): a commune's director read ``sortant_de_detention``,
    ``recidiviste``, ``suivi_pjj`` and ``motif_cloture: incarceration``."""
    situation = _situation_judiciaire()
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    client = client_pour(directeur)
    detail = client.get(f"{URL}{situation.pk}/", **MOTIF)
    assert detail.status_code == 200, detail.content
    liste = client.get(URL, **MOTIF).json()["results"]
    for corps in (detail.json(), *liste):
        assert corps["profils"] == [Profil.CONDUITES_PERTURBATRICES]
        # Shown as the lists' "autre", which real cases carry too: ``None`` would have named
        # the one judicial closing reason (review of issue 9, item 6).
        assert corps["motif_cloture"] == MotifCloture.AUTRE
        assert corps["source_signalement"] == SourceSignalement.AUTRE
        assert "nom" in corps  # identity is still his to read
    assert not JUDICIAIRES & set(str(detail.content))


@pytest.mark.django_db
def test_item6_each_value_goes_to_the_organisations_allowed_to_receive_it() -> None:
    situation = _situation_judiciaire()
    parquet = f_composition.agent(
        Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET
    )
    complet = client_pour(parquet).get(f"{URL}{situation.pk}/", **MOTIF).json()
    assert complet["profils"] == situation.profils
    assert complet["motif_cloture"] == MotifCloture.INCARCERATION
    assert complet["source_signalement"] == SourceSignalement.PJJ

    ecole = f_composition.agent(
        Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.EDUCATION_NATIONALE
    )
    services.acces_accorder(
        situation=situation,
        utilisateur=ecole,
        jusqu_au=None,
        acteur=situation.cellule.coordonnateurs.get(),
    )
    corps = client_pour(ecole).get(f"{URL}{situation.pk}/", **MOTIF).json()
    # Schooling only: no reported facts, no judicial record, no follow-up.
    assert corps["profils"] == [Profil.DECROCHEUR_SCOLAIRE]
    # Not even its fallback is his to read: ``None``, among the many values he may not read.
    assert corps["source_signalement"] is None
    assert "motif_cloture" not in corps

    police = f_composition.agent(
        Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.POLICE_NATIONALE
    )
    services.acces_accorder(
        situation=situation,
        utilisateur=police,
        jusqu_au=None,
        acteur=situation.cellule.coordonnateurs.get(),
    )
    corps = client_pour(police).get(f"{URL}{situation.pk}/", **MOTIF).json()
    assert set(corps["profils"]) == {
        Profil.SORTANT_DE_DETENTION,
        Profil.RECIDIVISTE,
        Profil.SUIVI_PJJ,
        Profil.CONDUITES_PERTURBATRICES,
    }
    assert corps["motif_cloture"] == MotifCloture.INCARCERATION


@pytest.mark.django_db
def test_item6_closing_answer_hides_a_judicial_reason_from_a_commune_coordinator() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    situation = f.situation(cellule, statut=StatutSituation.SUIVIE)
    response = client_pour(coord).post(
        f"{URL}{situation.pk}/transitions/",
        {"transition": "cloturer", "motif_cloture": MotifCloture.INCARCERATION},
        format="json",
        HTTP_IF_MATCH=f'"{situation.pk}.1"',
        **MOTIF,
    )
    assert response.status_code == 200, response.content
    assert response.json()["motif_cloture"] == MotifCloture.AUTRE
    situation.refresh_from_db()
    assert situation.motif_cloture == MotifCloture.INCARCERATION


def _serializers_du_projet() -> list[type[serializers.Serializer[Any]]]:
    classes: dict[str, type[serializers.Serializer[Any]]] = {}
    for module in pkgutil.walk_packages(cellules.__path__, "cellules."):
        if ".api" not in module.name:
            continue
        for _, classe in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if (
                issubclass(classe, serializers.Serializer)
                and classe.__module__.startswith("cellules.")
                and not issubclass(classe, EntreeStricte)
            ):
                classes[f"{classe.__module__}.{classe.__qualname__}"] = classe
    return list(classes.values())


# Names that always mean a person's data ("nom" and "type" also name cells and decisions; a
# serializer with a person's name has his first name and birth date too).
CHAMPS_PERSONNELS = frozenset(
    {"prenom", "date_naissance", "age", "mineur", "adresse", "commune_residence"}
    | {"profils", "source_signalement", "motif_cloture", "observation", "note", "faits"}
    | {"contravention", "accompagnant", "motif_sans_accompagnant", "resultat"}
)


def defauts_de_categorie(classe: type[Any], personnels: frozenset[str] | set[str]) -> set[str]:
    """Fields of an output serializer that may disclose a person's data without a category."""
    if issubclass(classe, ChampsParCategorie):
        return champs_non_declares(classe)
    defauts = set()
    for nom, champ in classe._declared_fields.items():
        if isinstance(champ, serializers.BaseSerializer):
            continue  # nested serializers are checked on their own
        maison = not type(champ).__module__.startswith("rest_framework")
        if nom in personnels or maison:
            defauts.add(nom)
    return defauts


def test_item6_every_field_of_every_personal_data_serializer_has_a_category() -> None:
    """Issue 9, item 6: fails when a field of a personal-data serializer has no category."""
    classes = _serializers_du_projet()
    assert len(classes) > 20
    categorises = [c for c in classes if issubclass(c, ChampsParCategorie)]
    assert len(categorises) >= 8
    defauts = {
        classe.__qualname__: champs
        for classe in classes
        if (champs := defauts_de_categorie(classe, CHAMPS_PERSONNELS))
    }
    assert defauts == {}


def test_item6_the_meta_test_catches_a_field_without_category() -> None:
    class Oubli(ChampsParCategorie, serializers.Serializer):  # type: ignore[type-arg]
        categories_des_champs = {"nom": "identite"}
        champs_references = frozenset({"id"})
        id = serializers.UUIDField()
        nom = serializers.CharField()
        profils = serializers.ListField()

    class Nue(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.UUIDField()
        motif_cloture = serializers.CharField()

    assert defauts_de_categorie(Oubli, {"motif_cloture"}) == {"profils"}
    assert defauts_de_categorie(Nue, {"motif_cloture"}) == {"motif_cloture"}


@pytest.mark.django_db
def test_item6_a_reader_who_cannot_see_a_profile_does_not_erase_it() -> None:
    """Issue 9, item 6: a commune coordinator replacing the profiles keeps the judicial ones."""
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    situation = f.situation(cellule, profils=[Profil.RECIDIVISTE, Profil.EXPOSE_AUX_RISQUES])
    response = client_pour(coord).patch(
        f"{URL}{situation.pk}/",
        {"profils": [Profil.CONDUITES_PERTURBATRICES]},
        format="json",
        HTTP_IF_MATCH=f'"{situation.pk}.1"',
        **MOTIF,
    )
    assert response.status_code == 200, response.content
    assert response.json()["profils"] == [Profil.CONDUITES_PERTURBATRICES]
    situation.refresh_from_db()
    assert situation.profils == [Profil.CONDUITES_PERTURBATRICES, Profil.RECIDIVISTE]


@pytest.mark.django_db
def test_a_hidden_source_sent_back_as_shown_is_kept() -> None:
    """A commune coordinator reads a parquet report as ``autre``; a form sent back as read
    must not replace the real source (the profiles rule, for the single value)."""
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    situation = f.situation(cellule, source_signalement=SourceSignalement.PARQUET)
    client = client_pour(coord)
    lu = client.get(f"{URL}{situation.pk}/", **MOTIF)
    assert lu.json()["source_signalement"] == SourceSignalement.AUTRE
    renvoye = client.patch(
        f"{URL}{situation.pk}/",
        {"source_signalement": lu.json()["source_signalement"]},
        format="json",
        HTTP_IF_MATCH=lu["ETag"],
        **MOTIF,
    )
    assert renvoye.status_code == 200, renvoye.content
    situation.refresh_from_db()
    assert situation.source_signalement == SourceSignalement.PARQUET
    # Another value he may read replaces it, as any edit does.
    change = client.patch(
        f"{URL}{situation.pk}/",
        {"source_signalement": SourceSignalement.POLICE_MUNICIPALE},
        format="json",
        HTTP_IF_MATCH=renvoye["ETag"],
        **MOTIF,
    )
    assert change.status_code == 200, change.content
    situation.refresh_from_db()
    assert situation.source_signalement == SourceSignalement.POLICE_MUNICIPALE


@pytest.mark.django_db
def test_a_withheld_closing_reason_reads_like_a_real_autre() -> None:
    """Review of issue 9, item 6: ``motif_cloture: null`` could only mean incarceration."""
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    incarceration, autre = (
        f.situation(cellule, statut=StatutSituation.CLOTUREE, motif_cloture=motif)
        for motif in (MotifCloture.INCARCERATION, MotifCloture.AUTRE)
    )
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    client = client_pour(directeur)
    vus = {
        cle: {k: v for k, v in client.get(f"{URL}{s.pk}/", **MOTIF).json().items() if k in CLES}
        for cle, s in (("incarceration", incarceration), ("autre", autre))
    }
    assert (
        vus["incarceration"]
        == vus["autre"]
        == {
            "statut": StatutSituation.CLOTUREE,
            "motif_cloture": MotifCloture.AUTRE,
        }
    )
    parquet = f_composition.agent(
        Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET
    )
    lu = client_pour(parquet).get(f"{URL}{incarceration.pk}/", **MOTIF).json()
    assert lu["motif_cloture"] == MotifCloture.INCARCERATION


CLES = {"statut", "motif_cloture"}
