"""Mask, in the change-log rows already written, the case content that is now masked when
written (issue 9, item 11): a case's source, profiles and closing reason, and the content of
orientations, rappel à l'ordre entries and transactions. Irreversible on purpose."""

import json

from django.db import migrations

MASQUE = "[masqué]"
# Frozen copy of the masks of cellules/journal_modifications.py and orientations/journal.py (now
# the historique.py modules of cellules/dossiers, cellules/orientations and cellules/registres).
CONTENU = {
    "situation": ["source_signalement", "profils", "motif_cloture"],
    "orientation": ["type", "mesure", "organisation", "echeance", "statut", "resultat"],
    "rappelordre": [
        "faits",
        "mineur",
        "accompagnant",
        "motif_sans_accompagnant",
        "transmis_au_parquet_le",
    ],
    "transactionmunicipale": [
        "contravention",
        "date_constat",
        "date_proposition",
        "nature",
        "montant",
        "heures",
        "statut",
        "autorite_homologation",
        "decision_le",
    ],
    "decision": ["type"],
    "seance": ["lieu"],
}


def _masquer(changes, champs):
    if not isinstance(changes, dict):
        return changes, False
    modifie = False
    for champ in champs:
        valeurs = changes.get(champ)
        if isinstance(valeurs, list) and any(v != MASQUE for v in valeurs):
            changes[champ] = [MASQUE for _ in valeurs]
            modifie = True
    return changes, modifie


def masquer(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    for modele, champs in CONTENU.items():
        type_ = ContentType.objects.filter(app_label="cellules", model=modele).first()
        if type_ is None:
            continue
        for entree in LogEntry.objects.filter(content_type=type_).iterator():
            changes, modifie = _masquer(entree.changes, champs)
            texte = entree.changes_text
            if texte:
                try:
                    ancien = json.loads(texte)
                except ValueError:
                    ancien = None
                ancien, texte_modifie = _masquer(ancien, champs)
                if texte_modifie:
                    texte, modifie = json.dumps(ancien), True
            if modifie:
                LogEntry.objects.filter(pk=entree.pk).update(changes=changes, changes_text=texte)


class Migration(migrations.Migration):
    dependencies = [
        ("cellules", "0008_exclusions_cellules"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(masquer, migrations.RunPython.noop)]
