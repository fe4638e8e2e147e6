"""The embedded default (SQLite) never answers "database is locked" when two requests read and then
write at the same time (an autosave beside an upload): the settings open it in WAL
mode with IMMEDIATE transactions and a busy timeout, so the second writer waits for the first."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="只在 SQLite（内置默认）上检查"
)

WORKERS, ROUNDS = 4, 10


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """The portal's SQLite options on a database file (the test database lives in memory); not the
    test database, so it is opened outside pytest-django's guard."""
    alias = "locking_probe"
    connections.settings[alias] = {**settings.DATABASES["default"], "NAME": str(tmp_path / "probe.sqlite3"), "TEST": {}}
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        connections[alias].close()
        yield alias
    del connections.settings[alias]


def test_concurrent_read_then_write_transactions_wait_instead_of_failing(file_database):
    errors = []

    def worker():
        try:
            for _ in range(ROUNDS):
                with transaction.atomic(using=file_database), connections[file_database].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")  # read (as _lock does on SQLite) …
                    n = cursor.fetchone()[0]
                    time.sleep(0.002)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])  # … then write
        except Exception as exc:  # "database is locked" would land here
            errors.append(repr(exc))
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == WORKERS * ROUNDS  # and no update was lost
    with connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connections[file_database].close()
