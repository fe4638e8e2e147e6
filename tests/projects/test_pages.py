"""The project pages as a user meets them: the list in scope with its filters and a constant number
of queries, each tab, the plan editor keeping what was typed on a refusal, a conflict at the page,
overspending refused at the field, and the public 立项名单."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import SpendingPlan
from budgets.services import plans, schedule
from portal.orgs.choices import Role
from tests.factories import make_user
from tests.fixtures.projects import make_project


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="韦丽娟")


@pytest.fixture
def county(tree):
    return make_user(Role.COUNTY_REVIEWER, tree.county_a, real_name="覃海燕")


def _post_rows(rows):
    data = {}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{i}-{key}"] = value
    return data


def test_a_county_lists_its_schools_projects_only_and_filters_work(client, tree, projects, county):
    client.force_login(county)
    page = client.get(reverse("projects:list")).content.decode()
    assert projects.a1.title in page and projects.zone.title in page
    assert projects.b1.title not in page and projects.shanxi.title not in page
    schedule.add_milestone(
        actor=make_user(Role.SCHOOL_APPLICANT, tree.school_a1),
        project=projects.a1,
        data={"title": "遴选", "owner": "张三", "due_on": "2026-03-02"},
    )
    overdue = client.get(reverse("projects:list"), {"overdue": "1"}).content.decode()
    assert projects.a1.title in overdue and projects.zone.title not in overdue and "里程碑逾期" in overdue
    assert projects.zone.title not in client.get(reverse("projects:list"), {"q": "实验小学"}).content.decode()
    assert projects.a1.title not in client.get(reverse("projects:list"), {"kind": "zone_county"}).content.decode()
    assert client.get(reverse("projects:list"), {"call": "abc", "status": "x", "page": "x"}).status_code == 200
    assert client.get(reverse("projects:list"), {"q": "a\x00b"}).status_code == 400


def test_the_list_costs_the_same_queries_for_5_and_50_projects(client, tree, calls):
    province = make_user(Role.PROVINCE_ADMIN, tree.centre)
    client.force_login(province)
    from portal.orgs.models import Organisation
    from tests.factories import make_org

    def add(n, start):
        for i in range(start, start + n):
            org = make_org(f"24501020{i:02d}", "school", tree.county_a, name=f"兴宁区第{i}小学")
            make_project(calls.guangxi, org, title=f"项目{i}")

    add(5, 10)
    client.get(reverse("projects:list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("projects:list")).status_code == 200
    add(45, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("projects:list")).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert Organisation.objects.count() > 50


def test_every_tab_shows_the_project(client, projects, school):
    client.force_login(school)
    for name in (
        "projects:detail",
        "budgets:plan",
        "budgets:spending",
        "projects:schedule",
        "budgets:tasks",
        "evaluation:indicators",
        "projects:reports",
    ):
        response = client.get(reverse(name, args=[projects.a1.pk]))
        assert response.status_code == 200, name
        assert projects.a1.title in response.content.decode(), name


def test_the_plan_editor_keeps_what_was_typed_and_marks_each_field(client, projects, school, dongguan_rows):
    client.force_login(school)
    rows = [dict(r) for r in dongguan_rows]
    rows[1]["unit_cost"] = "一万"
    response = client.post(
        reverse("budgets:plan", args=[projects.a1.pk]),
        {"grant": "100", "source": "粤财科教〔2021〕68号", **_post_rows(rows)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "单价：请填写数字金额（万元）。" in page and 'value="一万"' in page and "孵化项目，提炼成果" in page
    assert not SpendingPlan.objects.exists()
    response = client.post(
        reverse("budgets:plan", args=[projects.a1.pk]),
        {"grant": "100", "source": "粤财科教〔2021〕68号", **_post_rows(dongguan_rows[:2])},
        follow=True,
    )
    assert (
        "方案已保存，但尚不能提交：各预算项目合计 40 万元，与下达资金 100 万元不一致（少 60 万元）。"
        in response.content.decode()
    )


def test_a_stale_editor_gets_409_and_keeps_its_input(client, projects, school, dongguan_rows):
    plan = plans.save_plan(
        actor=school, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    client.force_login(school)
    data = {
        "grant": "100",
        "source": "另一个文号",
        "_lock_version": str(plan.lock_version),
        **_post_rows(dongguan_rows),
    }
    assert client.post(reverse("budgets:plan", args=[projects.a1.pk]), data).status_code == 302
    response = client.post(reverse("budgets:plan", args=[projects.a1.pk]), {**data, "source": "我的文号"})
    assert response.status_code == 409
    assert "我的文号" in response.content.decode()
    assert SpendingPlan.objects.get().source == "另一个文号"


def test_approval_at_the_page_and_overspending_refused_at_the_field(client, projects, school, county, dongguan_rows):
    plan = plans.save_plan(
        actor=school, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    client.force_login(school)
    client.post(reverse("budgets:plan_submit", args=[projects.a1.pk]), {"_lock_version": plan.lock_version})
    client.force_login(county)
    page = client.get(reverse("budgets:plan", args=[projects.a1.pk])).content.decode()
    assert 'data-testid="decide-form"' in page
    client.post(reverse("budgets:plan_decide", args=[projects.a1.pk]), {"outcome": "approve", "text": "同意。"})
    page = client.get(reverse("budgets:plan", args=[projects.a1.pk])).content.decode()
    assert "南宁市兴宁区教育局审批意见：同意" in page and 'data-testid="plan-seal"' in page
    line = SpendingPlan.objects.get().lines.get(number=2)
    client.force_login(school)
    response = client.post(
        reverse("budgets:spending", args=[projects.a1.pk]),
        {"line": line.pk, "spent_on": "2026-09-01", "amount": "10.5", "payee": "专家劳务费"},
    )
    assert response.status_code == 400
    assert "本笔将超出 0.5 万元" in response.content.decode() and 'value="10.5"' in response.content.decode()
    response = client.post(
        reverse("budgets:spending", args=[projects.a1.pk]),
        {"line": line.pk, "spent_on": "2026-09-01", "amount": "10", "payee": "专家劳务费"},
        follow=True,
    )
    assert 'data-testid="line-rate-2">100.00%' in response.content.decode()


def test_the_public_list_of_approved_projects(client, projects, calls):
    response = client.get(reverse("approved_projects", args=[calls.guangxi.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "立项名单" in page and projects.a1.title in page and projects.a1.organisation.name in page
    assert client.get(reverse("approved_projects", args=[calls.national.pk])).status_code == 404
    index = client.get(reverse("public_notices")).content.decode()
    assert reverse("approved_projects", args=[calls.guangxi.pk]) in index
    assert reverse("approved_projects", args=[calls.national.pk]) not in index


def test_the_dashboard_shows_my_project_and_projects_needing_attention(client, tree, projects, school, county):
    schedule.add_milestone(
        actor=school,
        project=projects.a1,
        data={"title": "完成遴选", "owner": "张三", "due_on": (date(2026, 3, 1) + timedelta(days=1)).isoformat()},
    )
    client.force_login(school)
    page = client.get("/").content.decode()
    assert "我的项目" in page and projects.a1.title in page and "里程碑逾期" in page
    client.force_login(county)
    page = client.get("/").content.decode()
    assert "需要关注的项目" in page and projects.a1.title in page and projects.zone.title not in page


def test_a_line_spent_past_its_amount_is_flagged_and_exactly_spent_is_not(client, tree, projects, county):
    """The services never let a line go past its amount; records that came in another way (an import,
    a correction in the database) still show up for the level above."""
    from budgets.models import BudgetLine, Expenditure, SpendingPlan
    from portal.projects.selectors import needing_attention

    plan = SpendingPlan.objects.create(project=projects.a1, grant=10, source="x", status="approved")
    line = BudgetLine.objects.create(
        plan=plan, number=1, category="x", purpose="培训", unit_cost=10, quantity=1, unit="期", amount=10
    )
    Expenditure.objects.create(line=line, spent_on=date(2026, 9, 1), amount=6, payee="x")
    Expenditure.objects.create(line=line, spent_on=date(2026, 9, 2), amount=4, payee="x")
    assert projects.a1 not in needing_attention(county)
    Expenditure.objects.create(line=line, spent_on=date(2026, 9, 3), amount="0.0001", payee="x")
    assert list(needing_attention(county)) == [projects.a1]
    client.force_login(county)
    assert "超预算" in client.get(reverse("projects:list")).content.decode()
