"""Issue 9, item 8: the person an access event discloses (pseudonymous id, hashed when set)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_raisons_habilitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="evenementacces",
            name="personne_id",
            field=models.UUIDField(blank=True, null=True, verbose_name="personne concernée"),
        ),
        migrations.AddIndex(
            model_name="evenementacces",
            index=models.Index(fields=["personne_id", "seq"], name="audit_evt_personne"),
        ),
    ]
