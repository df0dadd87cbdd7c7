"""Idempotency keys are shared plumbing: their rows move to ``socle`` (same ids, same values).

The change log of the old rows follows them: the content type is renamed, not recreated.
"""

from django.db import migrations


CHAMPS = ("id", "utilisateur_id", "route", "cle", "empreinte", "objet_id", "creee_le")


def _copier(apps, schema_editor, de, vers):
    """Copy every row from app ``de`` to app ``vers`` and hand the content type over."""
    alias = schema_editor.connection.alias
    source = apps.get_model(de, "ReponseIdempotente")
    cible = apps.get_model(vers, "ReponseIdempotente")
    cible.objects.using(alias).bulk_create(
        [
            cible(**{champ: getattr(r, champ) for champ in CHAMPS})
            for r in source.objects.using(alias).iterator()
        ],
        batch_size=500,
    )
    types = apps.get_model("contenttypes", "ContentType").objects.using(alias)
    if not types.filter(app_label=vers, model="reponseidempotente").exists():
        types.filter(app_label=de, model="reponseidempotente").update(app_label=vers)


def deplacer(apps, schema_editor):
    _copier(apps, schema_editor, "cellules", "socle")


def revenir(apps, schema_editor):
    _copier(apps, schema_editor, "socle", "cellules")


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
