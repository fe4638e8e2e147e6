"""The audit log cannot be emptied or rewritten. TRUNCATE is refused by trigger,
and the application's database role — the one web and worker processes connect as — may only
INSERT and SELECT on the audit table, and cannot disable or drop its triggers. PostgreSQL only."""

import psycopg2
import pytest
from django.db import DatabaseError, connection, transaction

from portal.audit import db_roles
from portal.audit.services import log_action

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles and triggers: PostgreSQL")
TABLE = db_roles.AUDIT_TABLE


def test_truncate_is_refused_by_trigger(db):
    log_action("orgs.import.run")
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL portal.allow_audit_truncate = 'off'")  # as on any real database
            cursor.execute(f"TRUNCATE {TABLE}")


@pytest.fixture
def app_connection(transactional_db):
    """A connection to the test database as the application's role (created here if the machine's
    set-up has not, as .ci/run does), with the grants `migrate` makes."""
    role = db_roles.app_role()
    with connection.cursor() as cursor:
        if not db_roles.role_exists(cursor, role):
            cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)} LOGIN")
    db_roles.grant(connection, role)
    params = connection.settings_dict
    conn = psycopg2.connect(
        dbname=params["NAME"], user=role, host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432
    )
    conn.autocommit = True
    yield conn
    conn.close()


def _refused(conn, sql, match):
    with pytest.raises(psycopg2.Error, match=match), conn.cursor() as cursor:
        cursor.execute(sql)


def test_the_application_role_may_only_insert_and_select_on_the_audit_log(app_connection):
    with app_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (created_at, action, actor_username, actor_name, actor_org_name, org_path, "
            "object_type, object_id, object_repr, changes, data, user_agent) VALUES (now(), 'test.insert', "
            "'app', '', '', '', '', '', '', '{}', '{}', '') RETURNING id"
        )
        entry = cursor.fetchone()[0]
        cursor.execute(f"SELECT action FROM {TABLE} WHERE id = %s", [entry])
        assert cursor.fetchone()[0] == "test.insert"
    _refused(app_connection, f"UPDATE {TABLE} SET action = 'x' WHERE id = {entry}", "permission denied")
    _refused(app_connection, f"DELETE FROM {TABLE} WHERE id = {entry}", "permission denied")
    _refused(app_connection, f"TRUNCATE {TABLE}", "permission denied")
    _refused(app_connection, f"SET portal.allow_audit_truncate = 'on'; TRUNCATE {TABLE}", "permission denied")
    _refused(app_connection, f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL", "must be owner")
    _refused(app_connection, f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_delete", "must be owner")
    _refused(app_connection, f"DROP TRIGGER audit_no_update ON {TABLE}", "must be owner")
    _refused(app_connection, "DROP FUNCTION audit_append_only() CASCADE", "must be owner")
    with app_connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE id = %s AND action = 'test.insert'", [entry])
        assert cursor.fetchone()[0] == 1


def test_the_application_role_works_on_every_other_table(app_connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s", [TABLE])
        tables = [row[0] for row in cursor.fetchall()]
    assert "orgs_organisation" in tables and "reports_reportjob" in tables
    with app_connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'UPDATE "{table}" SET {_first_column(table)} = {_first_column(table)} WHERE false')
            cursor.execute(f'DELETE FROM "{table}" WHERE false')


def _first_column(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position LIMIT 1",
            [table],
        )
        return connection.ops.quote_name(cursor.fetchone()[0])


def test_migrate_grants_the_role_when_it_exists(app_connection):
    from django.db import connections

    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON {TABLE} FROM {connection.ops.quote_name(db_roles.app_role())}")
    db_roles.grant_after_migrate(using="default")
    with app_connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
    assert connections["default"].vendor == "postgresql"
