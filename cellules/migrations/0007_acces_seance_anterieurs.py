"""Meeting grants made before 0005 become meeting grants again.

They were ``view_situation`` rows whose expiry is the end of a meeting convening the user
about the case plus ``CELLULES_ACCES_APRES_SEANCE_JOURS``; left as they were, they would count
as hand grants, which meeting changes never withdraw. Rows that match no meeting stay hand
grants.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations


def convertir(apps, schema_editor):
    AccesSituation = apps.get_model("cellules", "AccesSituation")
    candidats = AccesSituation.objects.filter(
        seance__isnull=True, expire_le__isnull=False, permission__codename="view_situation"
    )
    if not candidats.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Seance = apps.get_model("cellules", "Seance")
    type_situation, _ = ContentType.objects.get_or_create(app_label="cellules", model="situation")
    permission, _ = Permission.objects.get_or_create(
        content_type=type_situation,
        codename="lire_situation_seance",
        defaults={"name": "lire une situation inscrite à l'ordre du jour d'une séance"},
    )
    delai = dt.timedelta(days=int(getattr(settings, "CELLULES_ACCES_APRES_SEANCE_JOURS", 7)))
    for acces in candidats.order_by("pk"):
        seance = (
            Seance.objects.filter(
                statut__in=("planifiee", "tenue"),
                fin=acces.expire_le - delai,
                points__situation_id=acces.content_object_id,
                convocations__valide=True,
                convocations__membre__utilisateur_id=acces.user_id,
            )
            .order_by("pk")
            .first()
        )
        if seance is None:
            continue
        doublon = AccesSituation.objects.filter(
            user_id=acces.user_id, content_object_id=acces.content_object_id, permission=permission
        ).exists()
        if doublon:
            acces.delete()
            continue
        acces.permission = permission
        acces.seance = seance
        acces.save(update_fields=["permission", "seance"])


class Migration(migrations.Migration):
    dependencies = [
        ("cellules", "0006_chartes_cellules"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(convertir, migrations.RunPython.noop)]
