"""Hostile input against the project pages and API: malformed JSON, NUL bytes, formulas in text that
lands in exports, disguised and oversized files — a 400 with a reason, never a 500, and nothing saved."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from budgets.demo import TASK
from budgets.models import Expenditure, SpendingPlan, Task
from budgets.services import plans
from portal.orgs.choices import Role
from portal.projects.models import ImplementationPlan
from tests.factories import make_user

PLAN_SECTIONS = {"goals": "目标", "content": "内容", "steps": "步骤", "safeguards": "保障"}


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1)


@pytest.fixture
def api(school):
    client = APIClient()
    client.force_authenticate(school)
    return client


@pytest.mark.parametrize("body", ['{"grant": "100", "source": ', "[]", '"text"', "null", '{"grant": {"$gt": 1}}'])
def test_malformed_plan_bodies_are_400_with_a_reason(api, projects, body):
    response = api.put(f"/api/v1/projects/{projects.a1.pk}/plan/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not SpendingPlan.objects.exists()


def test_nul_bytes_are_refused_on_the_api_and_the_pages(api, client, school, projects, dongguan_rows):
    body = json.dumps({"grant": "100", "source": "粤财\u0000科教", "lines": dongguan_rows})
    response = api.put(f"/api/v1/projects/{projects.a1.pk}/plan/", body, content_type="application/json")
    assert response.status_code == 400 and "“source”含有不可见的控制字符（NUL" in response.json()["detail"]
    client.force_login(school)
    for name, data in (
        ("budgets:tasks", {**TASK, "name": "任务\x00"}),
        ("projects:implementation", {**PLAN_SECTIONS, "goals": "目标\x00"}),
        ("evaluation:indicators", {"name": "x\x00"}),
    ):
        assert client.post(reverse(name, args=[projects.a1.pk]), data).status_code == 400, name
    assert not Task.objects.exists() and not ImplementationPlan.objects.exists()


def test_numbers_that_are_not_numbers_are_refused_at_their_field(api, projects, dongguan_rows):
    url = f"/api/v1/projects/{projects.a1.pk}/plan/"
    for grant in ("NaN", "Infinity", "-1", "0", "1e400", "0x64", "1,0.0.0"):
        response = api.put(url, {"grant": grant, "source": "x", "lines": dongguan_rows}, format="json")
        assert response.status_code == 400 and "grant" in response.json()["errors"], grant
    # Full-width digits, as a Chinese input method types them, are the same number.
    response = api.put(url, {"grant": "１００", "source": "x", "lines": dongguan_rows}, format="json")
    assert response.status_code == 200 and response.json()["plan"]["grant"] == "100"
    for cost, quantity, reason in (
        ("15", "100000000", "数量：数量过大。"),
        ("9999999", "99999", "金额（单价 × 数量）过大。"),
    ):
        rows = [dict(dongguan_rows[0], unit_cost=cost, quantity=quantity)]
        response = api.put(url, {"grant": "100", "source": "x", "lines": rows, "lock_version": 1}, format="json")
        assert response.status_code == 400 and response.json()["errors"]["lines-0-quantity"] == [reason]


def test_formulas_typed_into_a_task_or_a_plan_stay_text_in_the_exports(
    school, projects, dongguan_rows, django_capture_on_commit_callbacks
):
    from budgets.services import schedule
    from portal.reports import services

    formula = '=HYPERLINK("http://evil.example/","点此")'
    schedule.save_task(actor=school, project=projects.a1, data={**TASK, "name": formula, "note": "+1+1"})
    rows = [dict(r) for r in dongguan_rows]
    rows[0]["purpose"] = "@SUM(A1:A9)"
    plans.save_plan(actor=school, project=projects.a1, grant="100", source="-2+3", rows=rows, expected_version=None)
    for kind, check in (("project_tasks_xlsx", {formula, "+1+1"}), ("project_plan_xlsx", {"@SUM(A1:A9)"})):
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.request_report(actor=school, kind=kind, pk=projects.a1.pk)
        job.refresh_from_db()
        sheet = load_workbook(BytesIO((services.storage_dir() / job.stored_name).read_bytes())).active
        cells = [c for row in sheet.iter_rows(min_row=3) for c in row if c.value in check]
        assert {c.value for c in cells} == check, kind
        assert all(c.data_type == "s" and c.quotePrefix for c in cells), kind


def test_disguised_and_oversized_files_are_refused_with_the_reason(client, school, projects, dongguan_rows):
    plan = plans.save_plan(
        actor=school, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    plan = plans.submit_plan(actor=school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(
        actor=make_user(Role.COUNTY_REVIEWER, projects.a1.organisation.parent), plan=plan, approve=True, text="同意"
    )
    client.force_login(school)
    line = plan.lines.first()
    base = {"line": line.pk, "spent_on": "2026-09-01", "amount": "1", "payee": "x"}
    for upload, reason in (
        (SimpleUploadedFile("凭证.pdf", b"MZ\x90\x00" + b"\x00" * 64), "不是允许的文件类型"),
        (SimpleUploadedFile("凭证.pdf", b""), "是空文件"),
        (SimpleUploadedFile("凭证.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)), "超过 20 MB"),
        (SimpleUploadedFile("报告\u202egpj.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64), "不符"),
    ):
        response = client.post(reverse("budgets:spending", args=[projects.a1.pk]), {**base, "voucher": upload})
        assert response.status_code == 400 and reason in response.content.decode(), reason
    assert not Expenditure.objects.exists()
    response = client.post(
        reverse("projects:implementation", args=[projects.a1.pk]),
        {**PLAN_SECTIONS, "files": [SimpleUploadedFile("方案.docx", b"PK\x03\x04not really a zip")]},
    )
    assert response.status_code == 400 and not ImplementationPlan.objects.exists()
