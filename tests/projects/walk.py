"""Objects for the permission walk and the list-contents walk over the project pages: a project for
each place a role may stand (own school, own county zone, a city zone, and outside), each with an
approved plan, spending with a voucher, a pending adjustment, a milestone, a task, an indicator and a
progress report, so that every URL with a second key has something to point at."""

from __future__ import annotations

from datetime import date

from budgets.models import Adjustment, BudgetLine, Expenditure, Milestone, SpendingPlan, Stage, Task
from evaluation.models import Extension, Indicator, PerformanceTable
from portal.orgs.choices import Role
from portal.projects.models import ImplementationPlan, ProgressReport, ProjectFile
from tests.fixtures.projects import make_project

INSIDE = {
    Role.SCHOOL_APPLICANT: "a1",
    Role.BUREAU_APPLICANT: "zone",
    Role.COUNTY_REVIEWER: "a1",
    Role.CITY_REVIEWER: "zone",
    Role.PROVINCE_ADMIN: "city",
}
OUTSIDE = {
    Role.SCHOOL_APPLICANT: "b1",
    Role.BUREAU_APPLICANT: "a1",
    Role.COUNTY_REVIEWER: "b1",
    Role.CITY_REVIEWER: "c1",
    Role.PROVINCE_ADMIN: "shanxi",
    Role.SYSTEM_ADMIN: "shanxi",
    Role.MINISTRY_REVIEWER: None,
}


def _furnish(project) -> dict:
    from portal.core import files
    from portal.core.samples import blank_pdf

    plan = SpendingPlan.objects.create(project=project, grant=100, source="测试〔2026〕1号", status="approved")
    line = BudgetLine.objects.create(
        plan=plan, number=1, category="培训", purpose="教师培训", unit_cost=10, quantity=10, unit="期", amount=100
    )
    stored, _ = files.store(blank_pdf())
    expenditure = Expenditure.objects.create(
        line=line,
        spent_on=date(2026, 9, 1),
        amount=1,
        payee="专家劳务费",
        voucher_name="凭证.pdf",
        voucher_stored=stored,
        voucher_type="application/pdf",
    )
    adjustment = Adjustment.objects.create(plan=plan, reason="调整", changes={str(line.pk): ["100", "100"]})
    stage = Stage.objects.create(
        project=project, number=1, name="筹备", starts_on=date(2026, 7, 1), ends_on=date(2026, 8, 31)
    )
    milestone = Milestone.objects.create(project=project, title="完成遴选", owner="张三", due_on=date(2026, 8, 31))
    task = Task.objects.create(
        project=project,
        number=1,
        direction="x",
        name="任务",
        requirement="x",
        nature="约束性任务",
        method="x",
        standard="x",
        workload="x",
        deadline="1年",
        implementer="x",
    )
    table = PerformanceTable.objects.create(
        project=project, name="x", undertaker="x", supervisor="x", period="1年", content="x", basis="x", goal="x"
    )
    indicator = Indicator.objects.create(
        table=table, number=1, level1="效益", level2="满意度指标", name="满意度", kind="percent", target_number=80
    )
    report = ProgressReport.objects.create(
        project=project,
        title="2026年第3季度",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        due_on=date(2026, 10, 10),
    )
    filed = ImplementationPlan.objects.create(project=project, number=1, sections={"goals": "目标"})
    stored, _ = files.store(blank_pdf())
    plan_file = ProjectFile.objects.create(
        plan=filed,
        original_name="实施方案.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    # An extension request awaiting the level above (a city zone's goes straight to the province).
    from evaluation.extensions import province_decides_directly

    extension = Extension.objects.create(
        project=project,
        years=1,
        reasons="进度滞后。",
        schedule=[],
        status="recommended" if province_decides_directly(project) else "requested",
    )
    return {
        "pk": project.pk,
        "extension_pk": extension.pk,
        "version_pk": filed.pk,
        "file_pk": plan_file.pk,
        "adjustment_pk": adjustment.pk,
        "expenditure_pk": expenditure.pk,
        "milestone_pk": milestone.pk,
        "stage_pk": stage.pk,
        "task_pk": task.pk,
        "indicator_pk": indicator.pk,
        "report_pk": report.pk,
    }


def _showcase(project, *, selected: bool) -> int:
    """A submitted case (a1's is selected, with a file, for the public catalogue)."""
    from evaluation.models import ShowcaseItem
    from portal.core import files
    from portal.core.samples import blank_pdf

    stored, _ = files.store(blank_pdf()) if selected else ("", "")
    return ShowcaseItem.objects.create(
        project=project,
        title=f"{project.title}典型案例",
        category="case",
        stage="小学",
        subject="数学",
        summary="简介",
        status="selected" if selected else "submitted",
        stored_name=stored,
        file_name="案例.pdf" if selected else "",
        content_type="application/pdf",
    ).pk


def project_call(guangxi):
    """A call of its own whose list was published: the walk's applications already fill the others."""
    from portal.programmes.models import Call

    return Call.objects.get_or_create(
        document_number="桂教网信〔2020〕9号",
        defaults={
            "programme": guangxi.programme,
            "organisation": guangxi.organisation,
            "title": "第一批实验区和实验校",
            "issuing_authority": "广西壮族自治区教育厅",
            "opens_at": guangxi.opens_at,
            "is_published": True,
            "review_chain": guangxi.review_chain,
            "monthly_pilot_reports": True,
        },
    )[0]


def project_set(t, guangxi) -> dict:
    if hasattr(t, "project_objects"):
        return t.project_objects
    guangxi = project_call(guangxi)
    made = {
        "a1": make_project(guangxi, t.school_a1, title="兴宁区实验小学项目"),
        "b1": make_project(guangxi, t.school_b1, title="隆安县实验小学项目"),
        "c1": make_project(guangxi, t.school_c1, title="城中区实验小学项目"),
        "zone": make_project(guangxi, t.county_a, title="兴宁区实验区项目", kind="zone_county"),
        "city": make_project(guangxi, t.city_a, title="南宁市实验区项目", kind="zone_city"),
        "shanxi": make_project(guangxi, t.other_school, title="小店区实验小学项目"),
    }
    t.project_objects = {key: _furnish(project) for key, project in made.items()}
    for key, project in made.items():
        t.project_objects[key]["showcase_pk"] = _showcase(project, selected=key == "a1")
    t.project_objects["call_pk"] = guangxi.pk
    return t.project_objects


def pair(t, guangxi, role, keys=("pk",)):
    objects = project_set(t, guangxi)
    inside = objects[INSIDE.get(role, "a1")]
    outside_key = OUTSIDE.get(role, "shanxi")
    pick = lambda o: {k: o[k] for k in keys}  # noqa: E731
    return pick(inside), pick(objects[outside_key]) if outside_key else None
