"""Create the portal's two PostgreSQL roles (idempotent), connecting as a database administrator:

    python scripts/create_db_roles.py postgres://postgres@127.0.0.1:5432/postgres

  portal      owns the database and runs `migrate` (CREATEDB too, so the test suite can make its
              throw-away test database)
  portal_app  what the web and worker processes connect as; `migrate` grants it every table but
              only INSERT and SELECT on the audit log (portal/audit/db_roles.py)

Passwords come from PORTAL_DB_OWNER_PASSWORD and PORTAL_DB_APP_PASSWORD when set (none: trust or
peer authentication, as on a development machine). Creates the database `portal` when missing."""

from __future__ import annotations

import os
import sys
from urllib.parse import unquote, urlparse

import psycopg2
from psycopg2 import sql


def connect(url: str):
    parts = urlparse(url)
    return psycopg2.connect(
        dbname=(parts.path or "/postgres").lstrip("/") or "postgres",
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )


def ensure_role(cursor, name: str, password: str | None, *, createdb: bool) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    options = sql.SQL("LOGIN CREATEDB" if createdb else "LOGIN NOCREATEDB")
    statement = sql.SQL("{} ROLE {} {}").format(sql.SQL(verb), sql.Identifier(name), options)
    if password:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
    cursor.execute(statement)
    print(f"{'已更新' if verb == 'ALTER' else '已创建'}数据库角色 {name}")


def main(url: str) -> None:
    conn = connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        ensure_role(cursor, "portal", os.environ.get("PORTAL_DB_OWNER_PASSWORD"), createdb=True)
        ensure_role(cursor, "portal_app", os.environ.get("PORTAL_DB_APP_PASSWORD"), createdb=False)
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'portal'")
        if not cursor.fetchone():
            cursor.execute("CREATE DATABASE portal OWNER portal")
            print("已创建数据库 portal")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/postgres")
