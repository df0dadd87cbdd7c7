"""One open case per person and cell (partial unique constraint), and a version on persons for
the compare-and-swap of identity rectifications.

Existing duplicates are not merged silently: the migration stops and names the cells (ids only)
where a person has more than one open case; close the extra cases, then migrate again.
"""

from django.db import migrations, models

OUVERTS = ["inscrite_ordre_du_jour", "signalee", "suivie"]
EXEMPLES = 10


def verifier_doublons(apps, schema_editor):
    Situation = apps.get_model("cellules", "Situation")
    doublons = (
        Situation.objects.filter(statut__in=OUVERTS)
        .values("personne_id", "cellule_id")
        .annotate(nombre=models.Count("id"))
        .filter(nombre__gt=1)
        .order_by("cellule_id")
    )
    total = doublons.count()
    if total:
        cellules = sorted({str(d["cellule_id"]) for d in doublons[:EXEMPLES]})
        raise RuntimeError(
            f"{total} personne(s) ont des situations ouvertes en double dans une même cellule "
            f"(cellules : {', '.join(cellules)}) : clôturez les situations en trop, puis "
            "relancez la migration."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cellules", "0013_mesure_orientation"),
    ]

    operations = [
        migrations.AddField(
            model_name="personne",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.RunPython(verifier_doublons, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="situation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("statut__in", OUVERTS)),
                fields=("personne", "cellule"),
                name="situation_ouverte_unique",
            ),
        ),
    ]
