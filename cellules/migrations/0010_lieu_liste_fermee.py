"""A meeting's place becomes a closed list (issue 9, item 10): free text could name a person
and was stored in clear. Existing texts are mapped to the closest code by keyword, else
``autre``; the text itself is not kept anywhere. Irreversible on purpose."""

import unicodedata

from django.db import migrations, models

# Keyword (folded: lower case, no accents) -> code, first match wins.
MOTS_CLES = [
    ("visio", "visioconference"),
    ("commissariat", "commissariat"),
    ("police", "commissariat"),
    ("gendarmerie", "gendarmerie"),
    ("tribunal", "tribunal"),
    ("parquet", "tribunal"),
    ("metropole", "metropole"),
    ("clspd", "locaux_clspd"),
    ("cispd", "locaux_clspd"),
    ("mairie", "mairie"),
    ("hotel de ville", "mairie"),
    ("salle", "salle_municipale"),
]
CODES = {code for _, code in MOTS_CLES} | {"locaux_partenaire", "autre"}


def _code(texte):
    plie = unicodedata.normalize("NFKD", texte or "").encode("ascii", "ignore").decode().lower()
    if not plie.strip():
        return ""
    if plie.strip() in CODES:
        return plie.strip()
    for mot, code in MOTS_CLES:
        if mot in plie:
            return code
    return "autre"


def convertir(apps, schema_editor):
    Seance = apps.get_model("cellules", "Seance")
    for pk, lieu in Seance.objects.exclude(lieu="").values_list("pk", "lieu").iterator():
        Seance.objects.filter(pk=pk).update(lieu=_code(lieu))


class Migration(migrations.Migration):
    dependencies = [("cellules", "0009_masquer_contenu_journal_modifications")]

    operations = [
        migrations.RunPython(convertir, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="seance",
            name="lieu",
            field=models.CharField(
                blank=True,
                choices=[
                    ("mairie", "mairie"),
                    ("salle_municipale", "salle municipale"),
                    ("locaux_clspd", "locaux du CLSPD / CISPD"),
                    ("metropole", "siège de la métropole"),
                    ("commissariat", "commissariat de police"),
                    ("gendarmerie", "brigade de gendarmerie"),
                    ("tribunal", "tribunal judiciaire"),
                    ("locaux_partenaire", "locaux d'un partenaire"),
                    ("visioconference", "visioconférence"),
                    ("autre", "autre lieu"),
                ],
                max_length=30,
                verbose_name="lieu",
            ),
        ),
    ]
