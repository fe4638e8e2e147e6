"""The project API: same scope as the pages, the plan written and refused with the field named,
409 for a stale plan, overspending refused, actuals judged, reports filed; hostile bodies are 400."""

import pytest
from rest_framework.test import APIClient

from portal.orgs.choices import Role
from tests.contract import assert_conflict
from tests.factories import make_user


@pytest.fixture
def api(tree):
    def as_(role, org):
        client = APIClient()
        client.force_authenticate(make_user(role, org))
        return client

    return as_


def test_a_county_lists_its_own_projects_only(api, tree, projects):
    rows = api(Role.COUNTY_REVIEWER, tree.county_a).get("/api/v1/projects/").json()
    ids = {row["id"] for row in (rows["results"] if isinstance(rows, dict) else rows)}
    assert ids == {projects.a1.pk, projects.zone.pk}
    assert api(Role.COUNTY_REVIEWER, tree.county_a).get(f"/api/v1/projects/{projects.b1.pk}/plan/").status_code == 404


def test_the_plan_through_the_api(api, tree, projects, dongguan_rows):
    school = api(Role.SCHOOL_APPLICANT, tree.school_a1)
    url = f"/api/v1/projects/{projects.a1.pk}/plan/"
    body = {"grant": "100", "source": "粤财科教〔2021〕68号", "lines": dongguan_rows}
    response = school.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    plan = response.json()["plan"]
    assert [line["amount"] for line in plan["lines"]] == ["30", "10", "60"] and response.json()["refusals"] == []
    stale = school.put(url, {**body, "lock_version": plan["lock_version"] - 1}, format="json")
    assert_conflict(stale, version=plan["lock_version"])
    bad = school.put(url, {**body, "lock_version": plan["lock_version"], "grant": "1e99"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == {"grant": ["下达资金：金额过大（不超过 99 亿万元）。"]}
    refused = school.put(url, {"grant": "100", "source": "x", "lines": "abc"}, format="json")
    assert refused.status_code == 400 and "预算项目" in refused.json()["detail"]
    assert school.put(url, [1, 2], format="json").status_code == 400
    submit = school.post(f"{url}submit/", {"lock_version": plan["lock_version"]}, format="json")
    assert submit.status_code == 200 and submit.json()["plan"]["status"] == "submitted"
    assert api(Role.COUNTY_REVIEWER, tree.county_a).put(url, body, format="json").status_code == 403


def test_spending_and_indicators_through_the_api(api, tree, projects, dongguan_rows):
    from budgets.demo import HEADER
    from budgets.services import plans
    from evaluation import services as indicators

    school_user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1)
    plan = plans.save_plan(
        actor=school_user, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    plan = plans.submit_plan(actor=school_user, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=make_user(Role.COUNTY_REVIEWER, tree.county_a), plan=plan, approve=True, text="同意")
    school = api(Role.SCHOOL_APPLICANT, tree.school_a1)
    line = plan.lines.get(number=2)
    url = f"/api/v1/projects/{projects.a1.pk}/expenditures/"
    over = school.post(
        url, {"line": line.pk, "spent_on": "2026-09-01", "amount": "10.0001", "payee": "x"}, format="json"
    )
    assert over.status_code == 400 and "超出 0.0001 万元" in over.json()["errors"]["amount"][0]
    ok = school.post(url, {"line": line.pk, "spent_on": "2026-09-01", "amount": "8", "payee": "x"}, format="json")
    assert ok.status_code == 201 and ok.json()["amount"] == "8"
    assert (
        school.post(
            url, {"line": 999999, "spent_on": "2026-09-01", "amount": "1", "payee": "x"}, format="json"
        ).status_code
        == 400
    )
    assert school.get(f"/api/v1/projects/{projects.a1.pk}/plan/").json()["plan"]["lines"][1]["rate"] == "80.00"
    table = indicators.save_table(actor=school_user, project=projects.a1, data=HEADER, expected_version=None)
    indicator = indicators.add_indicator(
        actor=school_user,
        table=table,
        data={"level1": "效益", "level2": "社会效益指标", "name": "学生满意度（%）", "kind": "percent", "target": "80"},
    )
    actual_url = f"/api/v1/projects/{projects.a1.pk}/indicators/{indicator.pk}/actual/"
    assert school.post(actual_url, {"actual": "80"}, format="json").json()["met"] is True
    assert school.post(actual_url, {"actual": "八十"}, format="json").status_code == 400
    rows = school.get(f"/api/v1/projects/{projects.a1.pk}/indicators/").json()
    assert rows[0]["target"] == "≥80%" and rows[0]["actual"] == "80%"


def test_reports_through_the_api(api, tree, projects):
    from datetime import date

    from portal.projects.services import generate_reports

    generate_reports(projects.a1, date(2026, 5, 1))
    school = api(Role.SCHOOL_APPLICANT, tree.school_a1)
    reports = school.get(f"/api/v1/projects/{projects.a1.pk}/reports/").json()
    assert [r["title"] for r in reports] == ["2026年第1季度", "2026年第2季度"]
    url = f"/api/v1/projects/{projects.a1.pk}/reports/{reports[0]['id']}/file/"
    assert school.post(url, {"text": ""}, format="json").status_code == 400
    filed = school.post(url, {"text": "完成教师培训。"}, format="json")
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
