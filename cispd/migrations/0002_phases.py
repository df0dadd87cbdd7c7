"""CISPD phases of the communes of Dijon Métropole (protocol 2019-2022)."""

from django.db import migrations

PHASES = {
    "21231": 1,
    "21166": 1,
    "21617": 1,
    "21171": 1,
    "21278": 2,
    "21515": 1,
    "21355": 1,
    "21540": 1,
    "21390": 1,
    "21452": 2,
    "21485": 2,
    "21481": 2,
    "21605": 2,
    "21003": 2,
    "21263": 2,
    "21223": 2,
    "21473": 2,
    "21315": 2,
    "21105": 2,
    "21106": 2,
    "21370": 2,
    "21192": 2,
    "21270": 2,
}


def charger(apps, schema_editor):
    AdhesionCispd = apps.get_model("cispd", "AdhesionCispd")
    for code, phase in PHASES.items():
        AdhesionCispd.objects.update_or_create(commune_id=code, defaults={"phase": phase})


class Migration(migrations.Migration):
    dependencies = [("cispd", "0001_initial"), ("acces", "0002_communes_dijon_metropole")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
