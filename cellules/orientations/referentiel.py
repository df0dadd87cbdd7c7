"""Seed of the legal references and of the closed list of measures (data migration).

Article numbers live here only as seed data, editable afterwards by the technical
administrator: the code de procédure pénale is being renumbered, code never reads them.
"""

from __future__ import annotations

from typing import Any

from cellules.registres.enums import REFERENCE_RAPPEL_ORDRE, REFERENCE_TRANSACTION

# code -> (libellé, article en vigueur, ancienne référence)
REFERENCES: dict[str, tuple[str, str, str]] = {
    REFERENCE_RAPPEL_ORDRE: (
        "rappel à l'ordre par le maire",
        "article L132-7 du code de la sécurité intérieure",
        "article L2212-2-1 du code général des collectivités territoriales",
    ),
    REFERENCE_TRANSACTION: (
        "transaction proposée par le maire",
        "article 44-1 du code de procédure pénale",
        "",
    ),
    "alternatives_poursuites": (
        "alternatives aux poursuites",
        "article 41-1 du code de procédure pénale",
        "",
    ),
    "composition_penale": (
        "composition pénale",
        "article 41-2 du code de procédure pénale",
        "",
    ),
    "tig": ("travail d'intérêt général", "article 131-8 du code pénal", ""),
    "cddf": (
        "conseil pour les droits et devoirs des familles",
        "article L141-1 du code de l'action sociale et des familles",
        "",
    ),
    "secret_partage": (
        "échange d'informations dans les groupes de travail",
        "article L132-5 du code de la sécurité intérieure",
        "article L2211-5 du code général des collectivités territoriales",
    ),
}

J, E, S, SA, INS = "judiciaire", "educative", "sociale", "sanitaire", "insertion"

# code -> (libellé, types d'orientation, référence)
MESURES: dict[str, tuple[str, list[str], str | None]] = {
    "rappel_ordre": ("rappel à l'ordre", [E, J], REFERENCE_RAPPEL_ORDRE),
    "transaction_municipale": ("transaction municipale", [J], REFERENCE_TRANSACTION),
    "avertissement_penal_probatoire": (
        "avertissement pénal probatoire",
        [J],
        "alternatives_poursuites",
    ),
    "reparation_penale": ("réparation", [J], "alternatives_poursuites"),
    "stage_citoyennete": ("stage de citoyenneté", [J], "alternatives_poursuites"),
    "stage_parentalite": (
        "stage de responsabilité parentale",
        [J],
        "alternatives_poursuites",
    ),
    "orientation_structure": (
        "orientation vers une structure sanitaire, sociale ou professionnelle",
        [J],
        "alternatives_poursuites",
    ),
    "regularisation": ("régularisation de la situation", [J], "alternatives_poursuites"),
    "mediation_penale": ("médiation", [J], "alternatives_poursuites"),
    "composition_penale": ("composition pénale", [J], "composition_penale"),
    "travail_non_remunere": ("travail non rémunéré (TNR)", [J], "composition_penale"),
    "tig": ("travail d'intérêt général (TIG)", [J], "tig"),
    "accompagnement_multirecidivistes": (
        "accompagnement renforcé des multi-récidivistes",
        [J, INS, S],
        None,
    ),
    "programme_reussite_educative": ("programme de réussite éducative (PRE)", [E], None),
    "cddf": ("conseil pour les droits et devoirs des familles (CDDF)", [E, S], "cddf"),
    "mission_locale": ("accompagnement par la mission locale", [INS], None),
    "prevention_specialisee": ("suivi par la prévention spécialisée", [E, S], None),
    "soins_addictions": ("soins / prise en charge des addictions", [SA], None),
    "soutien_parentalite": ("soutien à la parentalité", [E, S], None),
    "accompagnement_social": ("accompagnement social", [S], None),
    "raccrochage_scolaire": ("dispositif de raccrochage scolaire", [E], None),
    "chantier_educatif": ("chantier éducatif", [E, INS], None),
}


def charger(
    apps: Any, schema_editor: Any = None, *, modele_mesure: str = "MesureOrientation"
) -> None:
    """Create the missing rows; existing ones (maybe edited since) are left as they are.

    ``modele_mesure`` is the measure model's name in ``apps`` (``Mesure`` before migration 0012).
    """
    reference_modele = apps.get_model("cellules", "ReferenceJuridique")
    mesure_modele = apps.get_model("cellules", modele_mesure)
    references = {}
    for code, (libelle, article, ancienne) in REFERENCES.items():
        references[code], _ = reference_modele.objects.get_or_create(
            code=code,
            defaults={"libelle": libelle, "article": article, "ancienne_reference": ancienne},
        )
    for ordre, (code, (libelle, types, reference)) in enumerate(MESURES.items()):
        mesure_modele.objects.get_or_create(
            code=code,
            defaults={
                "libelle": libelle,
                "types": types,
                "reference": references[reference] if reference else None,
                "ordre": ordre,
            },
        )
