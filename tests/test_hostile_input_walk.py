"""Every URL of the permission walk (tests/test_url_permissions.py SPEC), opened by a role allowed on an
object in its scope, with hostile bodies: JSON nested 400 deep (an 800-byte body that used to end in a
RecursionError), numbers of 5,000 digits (int() refuses more than 4,300) and digits that are not ASCII
("²".isdigit() is true but int("²") fails), in every field name a view reads from a request. None may
answer 500; a JSON endpoint refuses the nesting with a 400 and its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.orgs.choices import Role
from tests.test_url_permissions import PUBLIC, SPEC

ROOT = Path(__file__).resolve().parent.parent
DEEP = "[" * 400 + "]" * 400
LONG = "9" * 5000
SUPERSCRIPT = "²"
READ = re.compile(
    r"""(?:request\.(?:POST|GET|data|query_params)|\bpost|\bdata|\bparams)"""
    r"""(?:\.get|\.getlist)?[\(\[]\s*["']([A-Za-z_][\w-]{0,40})["']"""
)


def field_names() -> list[str]:
    """Every literal name a view, an API view or a service reads from a request's data."""
    names = set()
    for package in ("portal", "budgets", "evaluation", "schools", "zones"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                names.update(READ.findall(path.read_text(encoding="utf-8")))
    # Names built from a row's id (amount-<line id>, rank-<entry id>, lines-<i>-quantity, …).
    names.update(
        {
            f"amount-{LONG}",
            "amount-1",
            f"rank-{LONG}",
            "rank-1",
            "lines-0-quantity",
            "lines-0-unit_cost",
            "item-1-score",
            "item-1-missing",
            "c-0-max_points",
            "c-0-number",
        }
    )
    return sorted(names)


FIELDS = field_names()


def _actor(case, role_users):
    if case.allowed == PUBLIC:
        return role_users[Role.PROVINCE_ADMIN]
    return role_users[sorted(case.allowed)[0]]


def test_the_walk_reads_the_field_names_views_use():
    assert {"_lock_version", "call", "line", "project", "row", "revision", "pk"} <= set(FIELDS)


@pytest.mark.parametrize("name", sorted(SPEC))
def test_hostile_bodies_never_answer_500(client, tree, role_users, name):
    case = SPEC[name]
    actor = _actor(case, role_users)
    role = sorted(case.allowed)[0] if case.allowed != PUBLIC else Role.PROVINCE_ADMIN
    inside = case.objects(tree, role)[0] if case.objects else None
    url = reverse(name, kwargs=inside)
    wrong = []
    for value in (LONG, SUPERSCRIPT):
        client.force_login(actor)
        form = dict.fromkeys(FIELDS, value)
        for method in ("get", "post"):
            response = getattr(client, method)(url, form)
            if response.status_code >= 500:
                wrong.append(f"{method.upper()} form with {value[:8]}…: {response.status_code}")
    for method in ("post", "put", "patch"):
        client.force_login(actor)
        response = getattr(client, method)(url, DEEP, content_type="application/json")
        if response.status_code >= 500:
            wrong.append(f"{method.upper()} nested JSON: {response.status_code}")
        elif response.status_code == 400 and response.get("Content-Type", "").startswith("application/json"):
            detail = response.json()
            text = detail.get("detail") or detail.get("error") if isinstance(detail, dict) else str(detail)
            if not text or not re.search(r"[\u4e00-\u9fff]", str(text)):
                wrong.append(f"{method.upper()} nested JSON: 400 without a reason in Chinese: {detail}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n, c in SPEC.items() if n.startswith("api:") and c.method != "get"))
def test_a_json_write_endpoint_refuses_deep_nesting_with_its_reason(client, tree, role_users, name, monkeypatch):
    """Wherever the API reads the body, the nesting is refused before anything recurses over it."""
    from portal.api import parsers

    parsed, parse = [], parsers.JSONParser.parse

    def recording(self, *args, **kwargs):
        parsed.append(True)
        return parse(self, *args, **kwargs)

    monkeypatch.setattr(parsers.JSONParser, "parse", recording)
    case = SPEC[name]
    client.force_login(_actor(case, role_users))
    role = sorted(case.allowed)[0] if case.allowed != PUBLIC else Role.PROVINCE_ADMIN
    url = reverse(name, kwargs=case.objects(tree, role)[0] if case.objects else None)
    response = getattr(client, case.method)(url, DEEP, content_type="application/json")
    assert response.status_code < 500
    if parsed:
        assert response.status_code == 400, (response.status_code, response.content[:200])
        assert "嵌套超过 64 层" in response.json()["detail"]
