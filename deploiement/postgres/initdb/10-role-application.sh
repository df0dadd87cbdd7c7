#!/bin/sh
# Run once by the postgres image when the database is created: the application's login role,
# which owns nothing and is no superuser. Its privileges come from
# `manage.py accorder_droits` (service "migrate"), after each migration.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$POSTGRES_APP_USER" -v mdp="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'mdp' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
SQL
