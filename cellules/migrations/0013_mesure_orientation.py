"""Rename the reference list ``Mesure`` to ``MesureOrientation`` (``tig.Mesure`` is another
concept); the table stays ``cellules_mesure``: the table name is pinned first, so the rename
touches no table, and the content type follows (contenttypes' RenameContentType)."""

from django.db import migrations

ANCIEN = "mesure"
NOUVEAU = "mesureorientation"


def _renommer_permissions(apps, ancien, nouveau):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.filter(app_label="cellules", model__in=(ancien, nouveau))
    for permission in Permission.objects.filter(content_type__in=types):
        action, _, modele = permission.codename.partition("_")
        if modele == ancien:
            permission.codename = f"{action}_{nouveau}"
            permission.save(update_fields=["codename"])


def avant(apps, schema_editor):
    _renommer_permissions(apps, ANCIEN, NOUVEAU)


def arriere(apps, schema_editor):
    _renommer_permissions(apps, NOUVEAU, ANCIEN)


class Migration(migrations.Migration):
    dependencies = [
        ("cellules", "0012_reponse_idempotente_dans_socle"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="mesure", table="cellules_mesure"),
        migrations.RenameModel(old_name="Mesure", new_name="MesureOrientation"),
        migrations.RunPython(avant, arriere),
    ]
