"""Default matrix of information categories per organisation type (editable by the IT admin).

Reading of the actors of docs/modele-de-securite.md: the parquet reads everything of its ressort;
police and gendarmerie do not receive school and family information; partners of education and
social work do not receive judicial records; reception sites receive identity only (name, hours,
schedule).
"""

from django.db import migrations

TOUTES = (
    "identite",
    "scolarite_famille",
    "faits_signales",
    "antecedents_judiciaires",
    "orientations",
    "suivi",
)

DEFAUT = {
    "parquet": TOUTES,
    "pjj": TOUTES,
    "spip": TOUTES,
    "police_nationale": ("identite", "faits_signales", "antecedents_judiciaires", "orientations"),
    "gendarmerie": ("identite", "faits_signales", "antecedents_judiciaires", "orientations"),
    "commune": ("identite", "faits_signales", "orientations", "suivi"),
    "metropole": ("identite", "faits_signales", "orientations", "suivi"),
    "education_nationale": ("identite", "scolarite_famille", "orientations"),
    "prevention_specialisee": ("identite", "scolarite_famille", "orientations", "suivi"),
    "ccas": ("identite", "scolarite_famille", "orientations", "suivi"),
    "mission_locale": ("identite", "orientations", "suivi"),
    "bailleur_social": ("identite", "orientations"),
    "structure_accueil": ("identite",),
    "autre": ("identite",),
}


def charger(apps, schema_editor):
    AutorisationCategorie = apps.get_model("acces", "AutorisationCategorie")
    for type_organisation, categories in DEFAUT.items():
        for categorie in categories:
            AutorisationCategorie.objects.get_or_create(
                type_organisation=type_organisation, categorie=categorie
            )


class Migration(migrations.Migration):
    dependencies = [("acces", "0003_chartes_categories")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
