"""Issue 9, item 11: the change log masks case content as consistently as the API hides it."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from acces.api.categories import ChampsParCategorie
from acces.enums import Role
from audit.changements import MASQUE
from cellules.dossiers.api import serializers as s_cellules
from cellules.dossiers.enums import MotifCloture, Profil, SourceSignalement
from cellules.dossiers.models import Situation
from cellules.orientations import models as m_orientations
from cellules.orientations.api import serializers as s_orientations
from cellules.registres import models as m_registres
from cellules.registres.api import serializers as s_registres
from cellules.seances.api import serializers as s_seances
from cellules.seances.models import Decision
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
migration = importlib.import_module(
    "cellules.migrations.0009_masquer_contenu_journal_modifications"
)

# Each personal-data serializer and the model whose rows it shows.
SERIALISEURS_MODELES: list[tuple[type[ChampsParCategorie], type[Any]]] = [
    (s_cellules.SituationSerializer, Situation),
    (s_cellules.EtatSituationSerializer, Situation),
    (s_cellules.SituationArchiveeLigneSerializer, Situation),
    (s_orientations.OrientationSerializer, m_orientations.Orientation),
    (s_registres.RappelSerializer, m_registres.RappelOrdre),
    (s_registres.TransactionSerializer, m_registres.TransactionMunicipale),
    (s_seances.DecisionReleveSerializer, Decision),
]


def _entrees(situation: Situation) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(situation).order_by("timestamp", "pk"))


@pytest.mark.django_db
def test_item11_case_source_and_closing_reason_are_masked_in_the_change_log() -> None:
    """Issue 9, item 11 (reproduction): ``source_signalement`` and ``motif_cloture`` were kept
    in clear next to the person id."""
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f.personne(cree_par=coord)
    client = client_pour(coord)
    cree = client.post(
        "/api/v1/situations/",
        {
            "personne": str(personne.pk),
            "cellule": str(cellule.pk),
            "source_signalement": SourceSignalement.PJJ,
            "profils": [Profil.SORTANT_DE_DETENTION],
        },
        format="json",
        **MOTIF,
    )
    assert cree.status_code == 201, cree.content
    situation = Situation.objects.get(pk=cree.json()["id"])
    etapes = [("inscrire", None), ("suivre", None), ("cloturer", MotifCloture.INCARCERATION)]
    for transition, motif in etapes:
        corps = {"transition": transition, **({"motif_cloture": motif} if motif else {})}
        response = client.post(
            f"/api/v1/situations/{situation.pk}/transitions/",
            corps,
            format="json",
            HTTP_IF_MATCH=f'"{situation.pk}.{situation.version}"',
            **MOTIF,
        )
        assert response.status_code == 200, response.content
        situation.refresh_from_db()
    entrees = _entrees(situation)
    assert entrees
    vus = {champ for e in entrees for champ in (e.changes or {})}
    assert {"source_signalement", "profils", "motif_cloture"} <= vus
    for entree in entrees:
        texte = json.dumps(entree.changes) + entree.changes_text + entree.object_repr
        for clair in (SourceSignalement.PJJ, Profil.SORTANT_DE_DETENTION, "incarceration"):
            assert clair not in texte
        for champ in ("source_signalement", "profils", "motif_cloture"):
            if champ in (entree.changes or {}):
                assert entree.changes[champ] == [MASQUE, MASQUE]
    # Who did what, and when, is still there.
    assert "statut" in vus and all(e.actor_id == coord.pk for e in entrees)


def _masques(modele: type[Any]) -> set[str]:
    options = auditlog.get_model_fields(modele)
    return set(options["mask_fields"]) | set(options["exclude_fields"])


def test_item11_every_categorised_field_of_a_model_is_masked_in_the_change_log() -> None:
    """Issue 9, item 11: what the API shows only by category never reaches the change log."""
    manquants: dict[str, set[str]] = {}
    for classe, modele in SERIALISEURS_MODELES:
        colonnes = {c.name for c in modele._meta.concrete_fields}
        champs = classe._declared_fields  # type: ignore[attr-defined]
        for nom in classe.categories_des_champs:
            source = champs[nom].source or nom
            colonne = source.removesuffix("_id")
            if colonne == "personne":
                continue  # identity: encrypted in Personne, excluded from its change log
            if colonne in colonnes and colonne not in _masques(modele):
                manquants.setdefault(modele.__name__, set()).add(colonne)
    assert manquants == {}


@pytest.mark.django_db
def test_item11_migration_masks_the_rows_written_before() -> None:
    situation = f.situation()
    type_ = ContentType.objects.get_for_model(Situation)
    ancienne = LogEntry.objects.create(
        content_type=type_,
        object_pk=str(situation.pk),
        object_repr=str(situation),
        action=LogEntry.Action.UPDATE,
        changes={
            "motif_cloture": ["", "incarceration"],
            "source_signalement": ["pjj", "spip"],
            "statut": ["suivie", "cloturee"],
        },
        changes_text=json.dumps({"motif_cloture": ["", "incarceration"]}),
    )
    migration.masquer(apps, None)
    ancienne.refresh_from_db()
    assert ancienne.changes == {
        "motif_cloture": [MASQUE, MASQUE],
        "source_signalement": [MASQUE, MASQUE],
        "statut": ["suivie", "cloturee"],
    }
    assert "incarceration" not in ancienne.changes_text
    migration.masquer(apps, None)  # idempotent
    ancienne.refresh_from_db()
    assert ancienne.changes["statut"] == ["suivie", "cloturee"]
