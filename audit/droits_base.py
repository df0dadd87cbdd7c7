"""Privileges of the application's PostgreSQL role (D4): everything it needs, nothing more.

The schema owner runs the migrations and then ``manage.py accorder_droits --role <app>``; the
web, worker and beat processes connect as that role, which owns nothing. On the two logs it may
only read and append: no UPDATE, DELETE or TRUNCATE on the access log or the change log, and, not
being the owner, it cannot disable their triggers either. The retention purge goes through the
owner's ``audit_purger`` function (migration ``audit.0003``), the one EXECUTE it is given.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connection

# Tables the application role may read and append to only.
AJOUT_SEUL = ("audit_evenementacces", "auditlog_logentry")
LECTURE_SEULE = ("django_migrations",)
FONCTION_PURGE = "audit_purger(bigint, timestamptz)"
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def tables() -> list[str]:
    """Every table of the installed models (auto-created M2M tables included)."""
    noms = {
        modele._meta.db_table
        for modele in apps.get_models(include_auto_created=True)
        if modele._meta.managed and not modele._meta.proxy
    }
    return sorted(noms | set(LECTURE_SEULE))


def instructions(role: str) -> list[str]:
    """The GRANT/REVOKE statements for ``role``, in order (idempotent)."""
    if not _ROLE.fullmatch(role):
        raise ValueError("nom de rôle invalide")
    q = connection.ops.quote_name
    r = q(role)
    existantes = set(connection.introspection.table_names())
    sql = [f"GRANT USAGE ON SCHEMA public TO {r}"]
    for table in tables():
        if table not in existantes:
            continue
        t = q(table)
        sql.append(f"REVOKE ALL ON TABLE {t} FROM {r}")
        if table in AJOUT_SEUL:
            sql.append(f"GRANT SELECT, INSERT ON TABLE {t} TO {r}")
        elif table in LECTURE_SEULE:
            sql.append(f"GRANT SELECT ON TABLE {t} TO {r}")
        else:
            sql.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {t} TO {r}")
    sql.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    sql.append(f"GRANT EXECUTE ON FUNCTION {FONCTION_PURGE} TO {r}")
    return sql


def accorder(role: str) -> int:
    """Apply the privileges of ``role`` (PostgreSQL only); returns the number of statements."""
    if connection.vendor != "postgresql":
        raise RuntimeError("réservé à PostgreSQL")
    sql = instructions(role)
    with connection.cursor() as cursor:
        for instruction in sql:
            cursor.execute(instruction)
    return len(sql)
