"""Append-only access log on PostgreSQL (D4): UPDATE, DELETE and TRUNCATE are refused.

The only exception is the retention purge (``audit.purge``): inside its transaction it sets
``audit.purge_jusqu_a`` (SET LOCAL) to the last sealed ``seq``; the trigger then lets DELETE
through for rows up to that number and older than 180 days (the CNIL floor, whatever the
setting says). TRUNCATE is left to superusers only (Django's test flush). Disabling the trigger needs the table owner or a superuser; the application
role must be neither (see docs, D4).
"""

from django.db import migrations

CREER = """
CREATE OR REPLACE FUNCTION audit_evenement_immuable() RETURNS trigger AS $$
DECLARE
    limite text := current_setting('audit.purge_jusqu_a', true);
BEGIN
    IF TG_OP = 'DELETE'
       AND limite IS NOT NULL AND limite ~ '^[0-9]+$'
       AND OLD.seq <= limite::bigint
       AND OLD.horodatage < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    -- Django's test flush truncates every table as a superuser; the application role is never
    -- one (and a superuser could disable the trigger anyway).
    IF TG_OP = 'TRUNCATE' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'journal des accès en ajout seul : % refusé', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_evenement_immuable_ligne
    BEFORE UPDATE OR DELETE ON audit_evenementacces
    FOR EACH ROW EXECUTE FUNCTION audit_evenement_immuable();

CREATE TRIGGER audit_evenement_immuable_vidage
    BEFORE TRUNCATE ON audit_evenementacces
    FOR EACH STATEMENT EXECUTE FUNCTION audit_evenement_immuable();
"""

SUPPRIMER = """
DROP TRIGGER IF EXISTS audit_evenement_immuable_vidage ON audit_evenementacces;
DROP TRIGGER IF EXISTS audit_evenement_immuable_ligne ON audit_evenementacces;
DROP FUNCTION IF EXISTS audit_evenement_immuable();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: no parameter parsing of the "%" in RAISE.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREER)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SUPPRIMER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_journal_acces")]

    operations = [migrations.RunPython(creer, supprimer)]
