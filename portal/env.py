"""Reading settings from the environment.

The embedded default (nothing set) is a single-machine portal: SQLite under var/, tasks run
in-process, e-mail to the console. Setting DATABASE_URL and REDIS_URL switches the same code
to PostgreSQL, Redis and real Celery workers.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parsed.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "portal",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        # sqlite:///relative.db is relative to the project; sqlite:////abs.db is absolute
        if path.startswith("//"):
            name = path[1:]
        else:
            name = str(base_dir / path.lstrip("/")) if path.strip("/") else str(base_dir / "var" / "db.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    raise ValueError(f"DATABASE_URL 的协议不受支持：{parsed.scheme!r}（可用 postgres:// 或 sqlite:///）")


def local_secret_key(path: Path) -> str:
    """A secret key generated once per checkout and kept in an ignored file, never in the repo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
