import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.env import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def test_postgres_url_is_parsed():
    db = database_from_url("postgres://portal:p%40ss@db.internal:6543/pilot?sslmode=require", base_dir=ROOT)
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["OPTIONS"]) == (
        "django.db.backends.postgresql",
        "pilot",
        "portal",
        "p@ss",
        "db.internal",
        "6543",
        {"sslmode": "require"},
    )


def test_sqlite_urls_are_parsed():
    assert database_from_url("sqlite:////srv/portal.db", base_dir=ROOT)["NAME"] == "/srv/portal.db"
    assert database_from_url("sqlite:///var/x.db", base_dir=ROOT)["NAME"] == str(ROOT / "var/x.db")


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ValueError, match="不受支持"):
        database_from_url("mysql://x/y", base_dir=ROOT)


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        PORTAL_PRODUCTION="1",
        DJANGO_SECRET_KEY="k" * 20 + "Zq9!xY2@vB7#nM4$pL6%tR8^wE1&uI3*oA5(sD0)",
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_sqlite_and_eager_tasks():
    result = _run(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        ]
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_service_urls_switch_to_postgres_redis_and_workers():
    result = _run(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, "
            "s.CACHES['default']['BACKEND'])",
        ],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://127.0.0.1:6379/0",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_env_example_lists_every_variable_the_settings_read():
    import re

    source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read - documented == set()
