"""Idempotency keys are shared plumbing: their rows move to ``socle`` (same ids, same values).

The change log of the old rows follows them: the content type is renamed, not recreated.
"""

from django.db import migrations


def deplacer(apps, schema_editor):
    ancienne = apps.get_model("cellules", "ReponseIdempotente")
    nouvelle = apps.get_model("socle", "ReponseIdempotente")
    nouvelle.objects.using(schema_editor.connection.alias).bulk_create(
        [
            nouvelle(
                id=r.id,
                utilisateur_id=r.utilisateur_id,
                route=r.route,
                cle=r.cle,
                empreinte=r.empreinte,
                objet_id=r.objet_id,
                creee_le=r.creee_le,
            )
            for r in ancienne.objects.using(schema_editor.connection.alias).iterator()
        ],
        batch_size=500,
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="socle", model="reponseidempotente").exists():
        types.filter(app_label="cellules", model="reponseidempotente").update(app_label="socle")


def revenir(apps, schema_editor):
    ancienne = apps.get_model("cellules", "ReponseIdempotente")
    nouvelle = apps.get_model("socle", "ReponseIdempotente")
    ancienne.objects.using(schema_editor.connection.alias).bulk_create(
        [
            ancienne(
                id=r.id,
                utilisateur_id=r.utilisateur_id,
                route=r.route,
                cle=r.cle,
                empreinte=r.empreinte,
                objet_id=r.objet_id,
                creee_le=r.creee_le,
            )
            for r in nouvelle.objects.using(schema_editor.connection.alias).iterator()
        ],
        batch_size=500,
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="cellules", model="reponseidempotente").exists():
        types.filter(app_label="socle", model="reponseidempotente").update(app_label="cellules")


class Migration(migrations.Migration):
    dependencies = [
        ("cellules", "0011_ressort_reference_communes_cispd"),
        ("socle", "0002_reponse_idempotente"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(deplacer, revenir),
        migrations.DeleteModel(name="ReponseIdempotente"),
    ]
