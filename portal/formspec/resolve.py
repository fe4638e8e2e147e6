"""Words a definition leaves to the call that uses it: `{year-3}` … `{year-1}` for 近3年 (the three years
before the call's year, so a 2026 call asks for 2023–2025 without a new form), `{year}`, and
`{province}` for how the province names itself in a box title (省 / 自治区 / 市: 省教育厅意见,
自治区教育厅意见, 市教育委员会…).

The stored definition keeps the placeholders (its fingerprint is the published version's); an
application reads its definition resolved for its call, so labels, messages, the print and the
exports all show the years and words of that call."""

from __future__ import annotations

import copy
import re
from functools import lru_cache

PLACEHOLDER = re.compile(r"\{([^{}]{0,20})\}")
ALLOWED = re.compile(r"^(year([+-]([1-9]|1[0-9]|20))?|province)$")
HELP = "可用的占位符：{year}（申报批次年份）、{year-3} 等（前 N 年，1–20）、{province}（省 / 自治区 / 市）。"


def strings(value, path: str = ""):
    """(path, text) of every string in a definition, paths as validate.Problem writes them."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")


def unknown_placeholders(text: str) -> list[str]:
    return [m.group(0) for m in PLACEHOLDER.finditer(text) if not ALLOWED.match(m.group(1).strip())]


def uses_placeholders(source: str) -> bool:
    return any(ALLOWED.match(m.group(1).strip()) for m in PLACEHOLDER.finditer(source))


def province_word(name: str) -> str:
    """广西壮族自治区教育厅 → 自治区, 浙江省教育厅 → 省, 北京市教育委员会 → 市."""
    for word in ("自治区", "省", "市"):
        if word in name:
            return word
    return "省"


def _fill(text: str, year: int, province: str) -> str:
    def one(match):
        token = match.group(1).strip()
        if not ALLOWED.match(token):
            return match.group(0)
        if token == "province":
            return province
        return str(year + int(token[4:] or 0))

    return PLACEHOLDER.sub(one, text)


def resolved(definition: dict, *, year: int, province: str) -> dict:
    """A copy with every placeholder filled."""

    def walk(value):
        if isinstance(value, str):
            return _fill(value, year, province)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(copy.deepcopy(definition))


@lru_cache(maxsize=256)
def _cached(sha256: str, source: str, year: int, province: str) -> dict:
    import json

    return resolved(json.loads(source), year=year, province=province)


def call_words(call) -> tuple[int, str]:
    """The call's year (the year it opens, local time) and its province's word."""
    from django.utils import timezone

    from portal.orgs.models import Organisation

    parts = call.organisation.path.strip("/").split("/")
    name = ""
    if len(parts) >= 2:
        name = Organisation.objects.filter(code=parts[1]).values_list("name", flat=True).first() or ""
    return timezone.localtime(call.opens_at).year, province_word(name)


def for_call(schema, call) -> dict:
    """The schema's definition as the call shows it. A definition without placeholders is returned as
    stored (the official files have none: no extra query on their pages)."""
    if not uses_placeholders(schema.source):
        return schema.definition
    year, province = call_words(call)
    # The resolved copy is shared: callers read it and never write to it, as with schema.definition.
    return _cached(schema.sha256, schema.source, year, province)
