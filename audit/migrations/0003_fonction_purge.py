"""The retention purge as a SECURITY DEFINER function (D4, D10).

The application role holds only SELECT and INSERT on the access log (``manage.py
accorder_droits``): it can neither UPDATE, DELETE nor TRUNCATE it, nor disable its triggers. The
purge goes through ``audit_purger``, owned by the schema owner, which deletes only the prefix up
to a sealed ``seq`` and only rows older than 180 days (the CNIL floor), whatever it is asked.
"""

from django.db import migrations

CREER = """
CREATE OR REPLACE FUNCTION audit_purger(limite bigint, avant timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    supprimes bigint;
BEGIN
    PERFORM set_config('audit.purge_jusqu_a', limite::text, true);
    DELETE FROM public.audit_evenementacces
     WHERE seq <= limite
       AND horodatage < LEAST(avant, now() - interval '180 days');
    GET DIAGNOSTICS supprimes = ROW_COUNT;
    PERFORM set_config('audit.purge_jusqu_a', '', true);
    RETURN supprimes;
END;
$$;
REVOKE ALL ON FUNCTION audit_purger(bigint, timestamptz) FROM PUBLIC;
"""

SUPPRIMER = "DROP FUNCTION IF EXISTS audit_purger(bigint, timestamptz);"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREER)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SUPPRIMER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_journal_immuable")]

    operations = [migrations.RunPython(creer, supprimer, elidable=False)]
