"""Two database roles on PostgreSQL: the owner, which runs migrations, and the application's role
(PORTAL_DB_APP_ROLE), which the web and worker processes connect as. The application's role may
read and write every table but the audit log, where it may only INSERT and SELECT; not being the
owner, it can neither disable the log's triggers nor drop them. The grants are (re)made after every
`migrate`, so tables added later are covered."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "audit_auditentry"


def app_role() -> str:
    return settings.PORTAL_DB_APP_ROLE


def role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def grant(connection, role: str) -> None:
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        database = connection.ops.quote_name(cursor.fetchone()[0])
        for statement in (
            f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {quoted}",
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {quoted}",
        ):
            cursor.execute(statement)


def grant_after_migrate(using: str = "default", **_kwargs) -> None:
    connection = connections[using]
    role = app_role()
    if connection.vendor != "postgresql" or not role:
        return
    with connection.cursor() as cursor:
        if not role_exists(cursor, role) or role == connection.get_connection_params().get("user"):
            return
    grant(connection, role)
