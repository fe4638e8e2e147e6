"""The top-level `fixtures/` directory: the demo's data as plain files a province can copy and edit —
organisation and account imports in the import page's own CSV format, call configurations, sample
applications and a project's plans as JSON. `load_demo` reads them; nothing in code repeats them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(getattr(settings, "PORTAL_FIXTURES_DIR", settings.BASE_DIR / "fixtures"))


def path(relative: str) -> Path:
    return root() / relative


def read_bytes(relative: str) -> bytes:
    return path(relative).read_bytes()


def read_json(relative: str):
    with path(relative).open(encoding="utf-8") as handle:
        return json.load(handle)


YEAR_RE = re.compile(r"\{year([+-]\d+)?\}")


def dated(text: str, year: int) -> str:
    """A fixture's date written against the demo year: '{year}-08-31', '{year+1}-07-30'."""
    return YEAR_RE.sub(lambda m: str(year + int(m.group(1) or 0)), text)
