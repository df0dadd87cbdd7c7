"""Seed the legal references and the closed list of measures (data, not code)."""

from django.db import migrations


def charger(apps, schema_editor):
    from cellules.orientations import referentiel

    # The measure model is still called ``Mesure`` here (renamed ``MesureOrientation`` in 0012).
    referentiel.charger(apps, schema_editor, modele_mesure="Mesure")


class Migration(migrations.Migration):
    dependencies = [("cellules", "0003_orientations")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
