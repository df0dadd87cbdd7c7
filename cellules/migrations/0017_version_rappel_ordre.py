"""A version on rappel à l'ordre entries: a correction needs ``If-Match`` (issue 11). Existing
entries start at version 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cellules", "0016_etat_envoi_convocation")]

    operations = [
        migrations.AddField(
            model_name="rappelordre",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
    ]
