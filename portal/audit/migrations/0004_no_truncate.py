"""TRUNCATE of the audit log is refused too (a statement trigger: row triggers do not see it).

Only a role that may TRUNCATE the table at all — its owner, which runs migrations — can reach the
trigger, and it passes only with `SET portal.allow_audit_truncate = on` in its session: the test
suite's connections set it, because the flush between transactional tests empties every table with
one TRUNCATE. The owner could drop the trigger anyway; the setting only spares it from doing so by
accident. The application's role has no TRUNCATE privilege (portal/audit/db_roles.py), so for the
processes that serve users the log cannot be emptied, setting or not."""
from django.db import migrations

TABLE = "audit_auditentry"

UP = f"""
CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('portal.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit log is append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
"""
DOWN = f"""
DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
