"""Seed the legal references and the closed list of measures (data, not code)."""

from django.db import migrations


def charger(apps, schema_editor):
    from cellules.orientations import referentiel

    referentiel.charger(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cellules", "0003_orientations")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
