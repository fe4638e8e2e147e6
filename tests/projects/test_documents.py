"""The project documents through the report jobs: laid out as the seeds, carrying the approving
level's seal, rendered again after every change to what they show (never a stale file), and the
province's two summaries with exact figures and masked phones."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budgets.demo import HEADER, TASK, indicator_rows
from budgets.services import plans, schedule
from budgets.services.spending import record_expenditure
from evaluation import services as indicators
from portal.orgs.choices import Role
from portal.programmes.models import Project
from portal.reports import services
from tests.factories import make_user


def _run(actor, kind, pk, capture):
    with capture(execute=True):
        job, created = services.request_report(actor=actor, kind=kind, pk=pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job, created


def _bytes(job) -> bytes:
    return (services.storage_dir() / job.stored_name).read_bytes()


def _text(job) -> str:
    """The PDF's text without line breaks and spaces (a long cell wraps wherever the width ends it)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=_bytes(job), capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def _beside(text: str, calc: str, amount: str) -> bool:
    """A line's 说明 ends with its unit cost × quantity and the 金额 cell stands next to it; the text
    extraction gives the two cells in either order."""
    import re

    return bool(re.search(re.escape(calc) + amount + r"(?!\d)|(?<!\d)" + amount + re.escape(calc), text))


@pytest.fixture
def dongguan(tree, projects, dongguan_rows):
    """兴宁区实验小学's project with the Dongguan plan approved by its county, the task and the indicators."""
    school, county = make_user(Role.SCHOOL_APPLICANT, tree.school_a1), make_user(Role.COUNTY_REVIEWER, tree.county_a)
    plan = plans.save_plan(
        actor=school,
        project=projects.a1,
        grant="100",
        source="粤财科教〔2021〕68号",
        rows=dongguan_rows,
        expected_version=None,
    )
    plan = plans.submit_plan(actor=school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=county, plan=plan, approve=True, text="同意该用款方案。")
    schedule.save_task(actor=school, project=projects.a1, data=TASK)
    table = indicators.save_table(actor=school, project=projects.a1, data=HEADER, expected_version=None)
    for row in indicator_rows(2026):
        indicators.add_indicator(actor=school, table=table, data=row)
    return type(
        "D",
        (),
        {
            "project": projects.a1,
            "school": school,
            "county": county,
            "plan": plan,
            "province": make_user(Role.PROVINCE_ADMIN, tree.centre),
        },
    )


def test_the_plan_pdf_has_the_seed_table_and_the_seal_and_follows_an_adjustment(
    dongguan, django_capture_on_commit_callbacks
):
    job, _ = _run(dongguan.school, "project_plan_pdf", dongguan.project.pk, django_capture_on_commit_callbacks)
    text = _text(job)
    for expected in (
        "附件1",
        "用款方案",
        "序号",
        "项目",
        "说明",
        "金额（万元）",
        "优秀成果编撰劳务费、出版印刷费",
        "孵化项目，提炼成果",
        "合计",
        "南宁市兴宁区教育局审批意见（同意）",
        "（公章）",
    ):
        assert expected in text, expected
    for calc, amount in (("（15万元×2本）", "30"), ("（1万元×10场）", "10"), ("（6万元×10个）", "60"), ("合计", "100")):
        assert _beside(text, calc, amount), (calc, amount)
    again, created = _run(dongguan.school, "project_plan_pdf", dongguan.project.pk, django_capture_on_commit_callbacks)
    assert not created and again.pk == job.pk  # nothing changed: the same file
    plan = dongguan.plan
    second, third = plan.lines.get(number=2), plan.lines.get(number=3)
    adjustment = plans.request_adjustment(
        actor=dongguan.school, plan=plan, amounts={second.pk: "12", third.pk: "58"}, reason="增加研训场次"
    )
    plans.decide_adjustment(actor=dongguan.county, adjustment=adjustment, approve=True, text="同意。")
    fresh, created = _run(dongguan.school, "project_plan_pdf", dongguan.project.pk, django_capture_on_commit_callbacks)
    assert created and fresh.pk != job.pk
    text = _text(fresh)
    assert (
        _beside(text, "（1万元×10场）", "12") and _beside(text, "（6万元×10个）", "58") and _beside(text, "合计", "100")
    )


def test_the_plan_workbook_adds_up_and_changes_with_the_plan(dongguan, django_capture_on_commit_callbacks):
    job, _ = _run(dongguan.school, "project_plan_xlsx", dongguan.project.pk, django_capture_on_commit_callbacks)
    ws = load_workbook(BytesIO(_bytes(job))).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[7] for r in rows] == [30, 10, 60, 100]
    assert [r[4:7] for r in rows[:3]] == [[15, 2, "本"], [1, 10, "场"], [6, 10, "个"]]


def test_the_task_list_and_indicator_table_as_the_seed(dongguan, django_capture_on_commit_callbacks):
    job, _ = _run(dongguan.school, "project_tasks_xlsx", dongguan.project.pk, django_capture_on_commit_callbacks)
    ws = load_workbook(BytesIO(_bytes(job))).active
    assert [c.value for c in ws[2]] == [
        "序号",
        "资金投入方向",
        "工作任务名称",
        "任务要求/目标",
        "任务性质",
        "实施方式",
        "实施标准",
        "工作量",
        "完成时限",
        "备注",
        "案例类型",
        "实施单位",
    ]
    assert [c.value for c in ws[3]][4] == "约束性任务"
    pdf, _ = _run(dongguan.school, "project_tasks_pdf", dongguan.project.pk, django_capture_on_commit_callbacks)
    assert "附件2" in _text(pdf) and "项目任务清单" in _text(pdf) and "约束性" in _text(pdf)  # a narrow cell wraps
    pdf, _ = _run(dongguan.school, "project_indicators_pdf", dongguan.project.pk, django_capture_on_commit_callbacks)
    text = _text(pdf)
    for expected in (
        "附件3",
        "项目任务绩效目标表",
        "南宁市兴宁区教育局（盖章）",
        "南宁市教育局（盖章）",
        "东莞市教育局教研室",
        "实施周期绩效目标",
        "一级指标",
        "≥80%",
        "2027年7月30日",
        "全省乃至全国示范作用",
        "填报人：王征",
    ):
        assert expected in text, expected
    students = dongguan.project.performance.indicators.get(name="学生满意度（%）")
    indicators.record_actual(actor=dongguan.school, indicator=students, raw="80")
    fresh, created = _run(
        dongguan.school, "project_indicators_xlsx", dongguan.project.pk, django_capture_on_commit_callbacks
    )
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(_bytes(fresh))).active.iter_rows(min_row=3)]
    assert ["学生满意度（%）", "≥80%", "80%", "达成"] == [rows[3][2], rows[3][3], rows[3][4], rows[3][5]]


def test_the_province_summaries_with_exact_figures(dongguan, tree, calls, django_capture_on_commit_callbacks):
    Project.objects.filter(pk=dongguan.project.pk).update(contact_name="韦丽娟", contact_phone="13977100001")
    line = dongguan.plan.lines.get(number=2)
    record_expenditure(actor=dongguan.school, line=line, spent_on=date(2026, 9, 1), amount="8", payee="x")
    job, _ = _run(dongguan.province, "budget_execution", calls.guangxi.pk, django_capture_on_commit_callbacks)
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(_bytes(job))).active.iter_rows(min_row=3)]
    mine = next(r for r in rows if r[3] == dongguan.project.title)
    assert mine[5] == 100 and mine[7] == 8 and mine[8] == 92 and mine[9] == 8
    assert "研训、交流展示活动专家劳务费、专用材料费等：10/8/80.00%" in mine[6]
    assert mine[12] == "13977100001"  # the province calls the projects
    assert len(rows) == 4 and "小店区实验小学项目" not in {r[3] for r in rows}  # Shanxi's is not Guangxi's
    job, _ = _run(dongguan.province, "indicator_attainment", calls.guangxi.pk, django_capture_on_commit_callbacks)
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(_bytes(job))).active.iter_rows(min_row=3)]
    mine = next(r for r in rows if r[3] == dongguan.project.title)
    assert mine[4:9] == [5, 0, 0, 5, None] and mine[9] == "产出：0/2；效益：0/3"
    students = dongguan.project.performance.indicators.get(name="学生满意度（%）")
    indicators.record_actual(actor=dongguan.school, indicator=students, raw="79.99")
    again, created = _run(
        dongguan.province, "indicator_attainment", calls.guangxi.pk, django_capture_on_commit_callbacks
    )
    assert created
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(_bytes(again))).active.iter_rows(min_row=3)]
    mine = next(r for r in rows if r[3] == dongguan.project.title)
    assert mine[4:9] == [5, 0, 1, 4, 0]


def test_the_summaries_are_the_province_s_and_phones_are_masked_below_it(
    dongguan, tree, calls, django_capture_on_commit_callbacks
):
    from portal.core.exceptions import ServiceError

    with pytest.raises(ServiceError):
        services.request_report(actor=dongguan.county, kind="budget_execution", pk=calls.guangxi.pk)
    from budgets.documents import execution_summary
    from portal.reports.masking import Masker

    Project.objects.filter(pk=dongguan.project.pk).update(contact_phone="13977100001")
    out = BytesIO()
    execution_summary(
        calls.guangxi, Project.objects.filter(pk=dongguan.project.pk), Masker(dongguan.county), out, lambda p: None
    )
    row = [c.value for c in load_workbook(BytesIO(out.getvalue())).active[3]]
    assert row[12] == "139****0001"


def _xlsx_rows(job) -> list[list]:
    return [[c.value for c in row] for row in load_workbook(BytesIO(_bytes(job))).active.iter_rows(min_row=3)]


def test_every_project_document_is_drawn_again_after_what_it_shows_changes(
    dongguan, calls, django_capture_on_commit_callbacks
):
    ask = lambda kind, pk=None: _run(
        dongguan.province if kind == "budget_execution" else dongguan.school,
        kind,  # noqa: E731
        pk or dongguan.project.pk,
        django_capture_on_commit_callbacks,
    )
    before = {
        kind: ask(kind)[0]
        for kind in ("project_plan_xlsx", "project_tasks_pdf", "project_tasks_xlsx", "project_indicators_pdf")
    }
    before["budget_execution"] = ask("budget_execution", calls.guangxi.pk)[0]
    plan = dongguan.plan
    second, third = plan.lines.get(number=2), plan.lines.get(number=3)
    adjustment = plans.request_adjustment(
        actor=dongguan.school, plan=plan, amounts={second.pk: "12", third.pk: "58"}, reason="增加研训场次"
    )
    plans.decide_adjustment(actor=dongguan.county, adjustment=adjustment, approve=True, text="同意。")
    schedule.save_task(actor=dongguan.school, project=dongguan.project, data={**TASK, "name": "第二项任务：出版专著"})
    students = dongguan.project.performance.indicators.get(name="学生满意度（%）")
    indicators.record_actual(actor=dongguan.school, indicator=students, raw="85")
    record_expenditure(
        actor=dongguan.school, line=plan.lines.get(number=1), spent_on=date(2026, 9, 1), amount="6", payee="x"
    )
    after = {kind: ask(kind, calls.guangxi.pk if kind == "budget_execution" else None) for kind in before}
    assert all(created and job.pk != before[kind].pk for kind, (job, created) in after.items())
    assert [r[7] for r in _xlsx_rows(after["project_plan_xlsx"][0])] == [30, 12, 58, 100]
    assert [r[2] for r in _xlsx_rows(after["project_tasks_xlsx"][0])][-1] == "第二项任务：出版专著"
    assert "第二项任务：出版专著" in _text(after["project_tasks_pdf"][0])
    assert "85%（达成）" in _text(after["project_indicators_pdf"][0])
    row = next(r for r in _xlsx_rows(after["budget_execution"][0]) if r[3] == dongguan.project.title)
    assert row[7] == 6 and "研训、交流展示活动专家劳务费、专用材料费等：12/0/0.00%" in row[6]
