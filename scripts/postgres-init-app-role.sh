#!/bin/sh
# Run once by the postgres image on a new data directory (/docker-entrypoint-initdb.d): the role the
# web and worker containers connect as. `migrate` (as the owner) grants it its tables.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE portal_app LOGIN PASSWORD '${POSTGRES_APP_PASSWORD:-portal_app}';
SQL
