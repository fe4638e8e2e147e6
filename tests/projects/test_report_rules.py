"""Progress reports (进展报告) through their services, rule by rule: the text at its limit is kept and one
character more is refused; a single problem is the message itself, several are summed up; the report
freezes the project's figures on the day it is filed (money, indicators, tasks); the level above reads,
returns with a reason (and the project is told) or waives with a reason cut to 300 characters; each
step is audited with what it was before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind, Notification
from portal.orgs.choices import Role
from portal.projects import services as reports
from portal.projects.models import ProgressReport, ReportStatus
from tests.factories import make_user


@pytest.fixture
def people(tree):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="rep_school"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="rep_county"),
        },
    )


@pytest.fixture
def report(projects):
    return ProgressReport.objects.create(
        project=projects.a1,
        title="2026年第3季度",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        due_on=date(2026, 10, 10),
    )


def _fresh(report):
    return ProgressReport.objects.get(pk=report.pk)


def test_the_text_at_its_limit_is_kept_and_one_more_character_is_refused(people, report):
    with pytest.raises(ServiceError) as refused:
        reports.file_report(actor=people.school, report=report, text="字" * 5001)
    assert refused.value.message == "进展情况不能超过 5000 字（现为 5001 字）。"
    assert refused.value.errors == {"text": ["进展情况不能超过 5000 字（现为 5001 字）。"]}
    with pytest.raises(ServiceError) as refused:
        reports.file_report(actor=people.school, report=report, text="   ")
    assert refused.value.errors == {"text": ["请填写进展情况。"]}
    reports.file_report(actor=people.school, report=report, text="字" * 5000)
    assert len(_fresh(report).text) == 5000


def test_several_problems_are_summed_up_and_each_stays_at_its_field(people, report):
    with pytest.raises(ServiceError) as refused:
        reports.file_report(actor=people.school, report=report, text="", uploads=[("a.pdf", b"MZ\x90\x00 not a pdf")])
    assert refused.value.message == "进展报告有内容需要修改。"
    assert set(refused.value.errors) == {"text", "files"}
    assert _fresh(report).status == ReportStatus.DUE


def test_a_filed_report_freezes_the_projects_figures_of_that_day(people, report, projects, dongguan_rows):
    from budgets.services import plans, schedule
    from budgets.services.spending import record_expenditure

    county = people.county
    plan = plans.save_plan(
        actor=people.school, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=county, plan=plan, approve=True, text="同意。")
    record_expenditure(
        actor=people.school, line=plan.lines.get(number=2), spent_on=date(2026, 9, 1), amount="8", payee="专家劳务费"
    )
    task = schedule.save_task(
        actor=people.school, project=projects.a1, data={f: "x" for f, _, _ in schedule.TASK_COLUMNS}
    )
    schedule.save_task(actor=people.school, project=projects.a1, data={f: "y" for f, _, _ in schedule.TASK_COLUMNS})
    schedule.complete_task(actor=people.school, task=task, done_on=date(2026, 9, 1), evidence="完成。")
    reports.file_report(actor=people.school, report=report, text="进展顺利。")
    figures = _fresh(report).figures
    # Amounts as text; their trailing zeros differ between databases (a sum on SQLite drops them).
    assert (D(figures["grant"]), D(figures["spent"]), figures["rate"]) == (D(100), D(8), "8.00")
    assert (figures["tasks_done"], figures["tasks"]) == (1, 2)
    assert figures["indicators"] == {"met": "0", "missed": "0", "pending": "0", "total": "0", "rate": None}


def test_a_report_without_a_plan_states_no_money(people, report):
    reports.file_report(actor=people.school, report=report, text="进展。")
    figures = _fresh(report).figures
    assert (figures["grant"], figures["spent"], figures["rate"]) == (None, None, None)


def test_filing_is_audited_from_due_to_filed(people, report):
    reports.file_report(actor=people.school, report=report, text="进展。")
    report = _fresh(report)
    assert (report.status, report.text, report.filed_by) == (ReportStatus.FILED, "进展。", people.school)
    entry = AuditEntry.objects.get(action="projects.report.file")
    assert (entry.actor_id, entry.object_id) == (people.school.pk, str(report.pk))
    assert entry.changes == {"status": ["due", "filed"], "text": ["", "进展。"]}
    with pytest.raises(ServiceError, match="不能进行此操作"):
        reports.file_report(actor=people.school, report=report, text="再报。")


def test_returning_needs_a_reason_and_tells_the_project(people, report):
    reports.file_report(actor=people.school, report=report, text="进展。")
    with pytest.raises(ServiceError) as refused:
        reports.review_report(actor=people.county, report=report, action="return", comment=" ")
    assert (refused.value.message, refused.value.errors) == ("请填写理由。", {"comment": ["请填写理由。"]})
    reports.review_report(actor=people.county, report=report, action="return", comment="请补充数据。")
    report = _fresh(report)
    assert (report.status, report.comment, report.waiver_reason) == (ReportStatus.RETURNED, "请补充数据。", "")
    note = Notification.objects.get(user=people.school, kind=Kind.RESULT)
    assert note.title == f"{report.project.title}：2026年第3季度进展报告被退回"
    assert note.url == f"/projects/{report.project_id}/reports/"
    entry = AuditEntry.objects.get(action="projects.report.return")
    assert entry.actor_id == people.county.pk
    assert entry.changes == {"status": ["filed", "returned"], "comment": ["", "请补充数据。"]}


def test_reading_needs_no_reason_and_tells_nobody(people, report):
    reports.file_report(actor=people.school, report=report, text="进展。")
    reports.review_report(actor=people.county, report=report, action="read")
    assert _fresh(report).status == ReportStatus.READ
    assert not Notification.objects.filter(user=people.school, kind=Kind.RESULT).exists()
    assert AuditEntry.objects.get(action="projects.report.read").changes == {"status": ["filed", "read"]}


def test_waiving_needs_a_reason_kept_to_300_characters(people, report):
    with pytest.raises(ServiceError) as refused:
        reports.review_report(actor=people.county, report=report, action="waive", comment="")
    assert refused.value.errors == {"comment": ["请填写理由。"]}
    reports.review_report(actor=people.county, report=report, action="waive", comment="免" * 400)
    report = _fresh(report)
    assert (report.status, report.waiver_reason, report.comment) == (ReportStatus.NOT_NEEDED, "免" * 300, "")
    entry = AuditEntry.objects.get(action="projects.report.waive")
    assert entry.changes == {"status": ["due", "not_needed"], "waiver_reason": ["", "免" * 300]}
    assert not Notification.objects.filter(user=people.school, kind=Kind.RESULT).exists()
