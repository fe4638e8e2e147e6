"""The monthly pilot report's rules at their edges: a month that cannot be read or a figure left out
is refused at its field; 存在问题 takes 1,000 characters, not 1,001. The completion table counts every
due report of every project in the list once per city (projects outside the list and months outside
the table are left out), sums the figures across projects, rounds the rate to one place and puts a
project outside the reader's cities under 省直. The reminder goes out from the 6th, not on the 5th,
only to live projects whose call asks for monthly reports, once, with the month and its deadline."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation import monthly
from evaluation.models import MonthlyReport
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind, Notification
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Call, Project
from tests.evaluation.test_pilot import FIGURES

MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)


@pytest.mark.parametrize("month", ["", "2026-13", "三月", None])
def test_a_month_that_cannot_be_read_is_refused_at_its_field(pilot, projects, month):
    with pytest.raises(ServiceError) as refused:
        monthly.file_month(actor=pilot.school, project=projects.a1, month=month, data=FIGURES)
    assert refused.value.message == "试点月报有内容需要修改。"
    assert refused.value.errors == {"month": ["请选择月份，如 2026-09。"]}


def test_a_figure_left_out_is_refused_at_its_field(pilot, projects):
    data = {k: v for k, v in FIGURES.items() if k != "lessons"}
    with pytest.raises(ServiceError) as refused:
        monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-03", data=data)
    assert refused.value.errors == {"lessons": ["使用平台资源授课节数：请填写 0 至 10,000,000 之间的整数。"]}


def test_problems_take_a_thousand_characters_not_more(pilot, projects):
    with pytest.raises(ServiceError) as refused:
        monthly.file_month(
            actor=pilot.school, project=projects.a1, month="2026-03", data={**FIGURES, "problems": "网" * 1001}
        )
    assert refused.value.errors == {"problems": ["存在问题不能超过 1000 字（现为 1001 字）。"]}
    report = monthly.file_month(
        actor=pilot.school, project=projects.a1, month="2026-03", data={**FIGURES, "problems": "网" * 1000}
    )
    assert len(report.problems) == 1000


def _filed(project, month, **figures):
    return MonthlyReport.objects.create(
        project=project, month=month, **{**{f: 1 for f, _ in monthly.MONTHLY_FIGURES}, **figures}
    )


def test_completion_counts_each_city_once_per_project_and_sums_the_figures(pilot, projects, tree):
    _filed(projects.a1, MARCH, lessons=120)
    _filed(projects.b1, MARCH, lessons=80)
    _filed(projects.zone, MARCH, lessons=1000)  # not in the list: not counted
    _filed(projects.a1, MAY, lessons=7)  # not a month of the table
    listed = Project.objects.filter(pk__in=[projects.a1.pk, projects.b1.pk, projects.c1.pk])
    march, april = monthly.completion(listed, [MARCH, APRIL], tree.province, date(2026, 6, 10))
    assert (march["filed"], march["due"]) == (2, 3) and march["rate"] == 66.7
    assert march["cities"] == {"南宁市教育局": (2, 2), "柳州市教育局": (0, 1)}
    assert march["figures"]["lessons"] == 200 and april["figures"] == {}
    assert (april["filed"], april["due"], april["rate"]) == (0, 3, 0.0)


def test_a_month_not_yet_due_counts_as_due_and_a_project_outside_the_readers_cities_is_provincial(
    pilot,
    projects,
    tree,
):
    listed = Project.objects.filter(pk__in=[projects.a1.pk, projects.c1.pk])
    (may,) = monthly.completion(listed, [MAY], tree.city_a, date(2026, 6, 3))  # May's reports wait until 5 June
    assert [row["cells"] for row in monthly.grid(listed, [MAY], date(2026, 6, 3))] == [["waiting"], ["waiting"]]
    assert may["due"] == 2 and may["cities"] == {"南宁市教育局": (0, 1), "省直": (0, 1)}


def test_no_month_of_the_table_due_has_no_rate(pilot, projects, tree):
    (june,) = monthly.completion(
        Project.objects.filter(pk=projects.a1.pk), [date(2026, 6, 1)], tree.province, date(2026, 6, 10)
    )
    assert (june["filed"], june["due"], june["rate"]) == (0, 0, None)


def test_completion_reads_today_when_not_given(pilot, projects, tree):
    from django.utils import timezone

    listed = Project.objects.filter(pk=projects.a1.pk)
    months = [MARCH, APRIL]
    assert monthly.completion(listed, months, tree.province) == monthly.completion(
        listed, months, tree.province, timezone.localdate()
    )


def _reminded(project):
    return Notification.objects.filter(title__startswith=f"{project.title}：", title__contains="试点月报逾期未报")


def test_the_reminder_goes_out_from_the_sixth_not_on_the_fifth(pilot, projects):
    assert monthly.remind_missing(date(2026, 6, 5)) == 0 and not _reminded(projects.a1).exists()
    assert monthly.remind_missing(date(2026, 6, 6)) >= 1
    told = _reminded(projects.a1).get(user=pilot.school)
    assert told.title == f"{projects.a1.title}：2026年05月试点月报逾期未报（期限 06月05日）"
    assert told.kind == Kind.DEADLINE and told.url == f"/projects/{projects.a1.pk}/monthly/"


def test_only_live_projects_of_calls_with_monthly_reports_are_reminded(pilot, projects, calls, tree):
    from portal.orgs.choices import Role
    from tests.factories import make_user

    for org in (tree.school_b1, tree.county_a):  # the 隆安 school and the 兴宁 zone have someone to remind
        make_user(Role.SCHOOL_APPLICANT if org == tree.school_b1 else Role.BUREAU_APPLICANT, org)
    Project.objects.filter(pk=projects.b1.pk).update(status=ProjectStatus.TERMINATED)
    Project.objects.filter(pk=projects.c1.pk).update(starts_on=date(2026, 6, 1))  # starts this month
    other = Call.objects.exclude(pk=calls.guangxi.pk).first()
    Project.objects.filter(pk=projects.zone.pk).update(call=other)  # no monthly reports asked
    _filed(projects.a1, MAY)  # a1 has reported May
    assert monthly.remind_missing(date(2026, 6, 6)) == 0
    for p in (projects.a1, projects.b1, projects.c1, projects.zone):
        assert not _reminded(p).exists()


def test_a_project_whose_cycle_ended_is_skipped_and_the_others_still_reminded(pilot, projects):
    from datetime import timedelta

    # May is outside a1's cycle; a1 is the newest approval, so the sweep (newest first) meets it first.
    Project.objects.filter(pk=projects.a1.pk).update(
        ends_on=date(2026, 4, 30), approved_at=projects.c1.approved_at + timedelta(days=1)
    )
    assert monthly.remind_missing(date(2026, 6, 6)) >= 1
    assert not _reminded(projects.a1).exists()
    assert _reminded(projects.c1).filter(user=pilot.school_c).exists()


def test_a_figure_takes_ten_million_not_more(pilot, projects):
    with pytest.raises(ServiceError) as refused:
        monthly.file_month(
            actor=pilot.school, project=projects.a1, month="2026-03", data={**FIGURES, "lessons": "10000001"}
        )
    assert refused.value.errors == {"lessons": ["使用平台资源授课节数：请填写 0 至 10,000,000 之间的整数。"]}
    assert (
        monthly.file_month(
            actor=pilot.school, project=projects.a1, month="2026-03", data={**FIGURES, "lessons": "10000000"}
        ).lessons
        == 10_000_000
    )


def test_problems_may_be_left_out_and_are_stored_clean(pilot, projects):
    data = {k: v for k, v in FIGURES.items() if k != "problems"}
    assert monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-03", data=data).problems == ""
    again = monthly.file_month(
        actor=pilot.school, project=projects.a1, month="2026-03", data={**data, "problems": " 网络\x00不稳定。 "}
    )
    assert MonthlyReport.objects.get(pk=again.pk).problems == "网络不稳定。"


def test_each_project_and_month_has_its_own_report_and_its_filing_is_audited(pilot, projects, tree):
    from portal.audit.models import AuditEntry

    march = monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-03", data=FIGURES)
    april = monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-04", data=FIGURES)
    liuzhou = monthly.file_month(actor=pilot.school_c, project=projects.c1, month="2026-03", data=FIGURES)
    assert len({march.pk, april.pk, liuzhou.pk}) == 3
    first = AuditEntry.objects.filter(action="evaluation.monthly.file").order_by("pk").first()
    assert first.changes["lessons"] == [None, 120] and first.changes["problems"] == [None, "网络不稳定。"]
    assert first.data == {"month": "2026-03-01"} and first.object_id == str(projects.a1.pk)
    assert first.actor_username == "m_a1"
    monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-03", data={**FIGURES, "lessons": "130"})
    refiled = AuditEntry.objects.filter(action="evaluation.monthly.file").latest("pk")
    assert refiled.changes == {"lessons": [120, 130]} and MonthlyReport.objects.get(pk=march.pk).lessons == 130
    # A colleague's refiling is audited with what the report says, not with who filed it.
    from portal.orgs.choices import Role
    from tests.factories import make_user

    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="m_a1_colleague")
    monthly.file_month(
        actor=colleague,
        project=projects.a1,
        month="2026-03",
        data={**FIGURES, "lessons": "130", "problems": "网络已改善。"},
    )
    again = AuditEntry.objects.filter(action="evaluation.monthly.file").latest("pk")
    assert again.changes == {"problems": ["网络不稳定。", "网络已改善。"]} and again.actor_username == "m_a1_colleague"
    assert MonthlyReport.objects.get(pk=liuzhou.pk).lessons == 120


def test_the_grid_counts_each_projects_missing_months_and_reads_only_its_own_reports(pilot, projects):
    _filed(projects.c1, APRIL)  # 柳州 reported April; 兴宁 did not
    listed = Project.objects.filter(pk__in=[projects.a1.pk, projects.c1.pk]).order_by("pk")
    rows = monthly.grid(listed, [MARCH, APRIL, MAY], date(2026, 6, 3))
    assert [(r["project"].pk, r["cells"], r["missing"]) for r in rows] == [
        (projects.a1.pk, ["missing", "missing", "waiting"], 2),
        (projects.c1.pk, ["missing", "filed", "waiting"], 1),
    ]
