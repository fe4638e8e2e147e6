"""The API's one error contract: a service's refusal is a 400 with `detail` and `errors`, a stale write
a 409 with the same four keys everywhere, a service's own permission check a 403 — from the one
exception handler, so that a view calls its service and no view shapes an error of its own."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from portal.api.validation import exception_handler
from portal.core.exceptions import Conflict, ServiceError
from portal.orgs.choices import Role
from tests.contract import CONFLICT_KEYS
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def test_a_refusal_is_a_400_with_its_fields():
    response = exception_handler(ServiceError("预算合计须等于资金总额。", errors={"grant": ["须等于合计。"]}), {})
    assert response.status_code == 400
    assert response.data == {"detail": "预算合计须等于资金总额。", "errors": {"grant": ["须等于合计。"]}}


def test_a_stale_write_is_a_409_naming_the_revision_who_and_when():
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    response = exception_handler(Conflict("他人已保存。", current_version=7, updated_by="李老师", updated_at=at), {})
    assert response.status_code == 409 and set(response.data) == CONFLICT_KEYS
    assert response.data["current_version"] == 7 and response.data["updated_by"] == "李老师"
    assert response.data["updated_at"] == "2026-03-02T09:30:00+00:00"


def test_a_services_own_permission_check_is_a_403_not_a_500():
    response = exception_handler(PermissionError("formspec.publish_definition"), {})
    assert response.status_code == 403 and response.data["detail"] == "您没有执行此操作的权限。"


API_MODULES = sorted(
    {
        *ROOT.glob("portal/*/api.py"),
        *ROOT.glob("evaluation/api.py"),
        *ROOT.glob("schools/*api.py"),
        *ROOT.glob("budgets/api.py"),
        *ROOT.glob("zones/api.py"),
    }
)


@pytest.mark.parametrize("path", API_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_api_view_shapes_a_refusal_or_a_conflict_itself(path):
    """A handler of ServiceError or Conflict in an API module would give a second error body; the
    exception handler gives the one. (A handler that turns a refusal into 403 for a role re-raises.)"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    shaped = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ExceptHandler)
            and isinstance(node.type, ast.Name)
            and node.type.id in ("ServiceError", "Conflict")
        ):
            if not any(isinstance(n, ast.Raise) for n in ast.walk(node)):
                shaped.append(node.lineno)
    assert not shaped, f"{path.name}: lines {shaped} answer a refusal themselves"


def test_the_schema_documents_the_one_conflict_body(client, tree):
    client.force_login(make_user(Role.COUNTY_REVIEWER, tree.county_a))
    doc = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert set(doc["components"]["schemas"]["Conflict"]["required"]) == CONFLICT_KEYS
    conflicts = [
        op["responses"]["409"]
        for item in doc["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "409" in op.get("responses", {})
    ]
    assert conflicts and all(
        r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Conflict"} for r in conflicts
    )
