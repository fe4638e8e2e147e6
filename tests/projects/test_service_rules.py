"""The daily sweep's rules that its notifications alone do not show: a second run on the same day reminds
nobody and says so in its figures (notifications are deduplicated, so only the figures tell); a removed
(撤销) or accepted (已验收) project is neither reminded nor given new reports; a milestone due today
is not yet overdue."""

from __future__ import annotations

from datetime import date

import pytest

from budgets.models import Milestone, MilestoneReminder
from portal.notifications.models import Notification
from portal.orgs.choices import Role
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects import services as reports
from portal.projects.models import ProgressReport
from tests.factories import make_user

DAY = date(2026, 10, 1)


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_sweep")


def test_a_second_sweep_on_the_same_day_reminds_nobody_and_counts_nothing(school, projects):
    Milestone.objects.create(project=projects.a1, title="完成实验校遴选", owner="韦丽娟", due_on=date(2026, 9, 30))
    first = reports.daily_sweep(DAY)
    late = ProgressReport.objects.filter(reminded_on=DAY).count()  # every running project's late reports
    assert first["reports_made"] == ProgressReport.objects.count() and first["reminders"] == late + 1
    second = reports.daily_sweep(DAY)
    assert second == {"reports_made": 0, "reminders": 0}
    assert MilestoneReminder.objects.count() == 1
    assert ProgressReport.objects.filter(project=projects.a1, reminded_on=DAY).count() == 2


def test_a_milestone_due_today_is_not_yet_overdue(school, projects):
    Milestone.objects.create(project=projects.a1, title="今天到期", owner="韦丽娟", due_on=DAY)
    reports.daily_sweep(DAY)
    assert not MilestoneReminder.objects.exists()
    reports.daily_sweep(date(2026, 10, 2))
    assert MilestoneReminder.objects.count() == 1


@pytest.mark.parametrize("status", [ProjectStatus.TERMINATED, ProjectStatus.ACCEPTED])
def test_a_removed_or_accepted_project_is_neither_reminded_nor_given_new_reports(school, projects, status):
    reports.generate_reports(projects.a1, date(2026, 9, 15))  # two quarters due before it ended
    Milestone.objects.create(project=projects.a1, title="逾期里程碑", owner="韦丽娟", due_on=date(2026, 9, 30))
    Project.objects.filter(pk=projects.a1.pk).update(status=status)
    made_before = projects.a1.progress_reports.count()
    figures = reports.daily_sweep(date(2027, 1, 20))
    assert projects.a1.progress_reports.count() == made_before  # no new quarter for it
    assert not MilestoneReminder.objects.filter(milestone__project=projects.a1).exists()
    assert not ProgressReport.objects.filter(project=projects.a1, reminded_on__isnull=False).exists()
    assert not Notification.objects.filter(user=school).exists()
    # The other running projects were swept as usual.
    assert figures["reports_made"] > 0 and figures["reminders"] > 0


def test_a_sweep_that_starts_while_another_is_midway_reminds_each_late_report_once(school, projects, monkeypatch):
    """Beat may start a run while a slow one is still going: the row's own conditional update decides which
    run reminds a report, not the list each run read at its start."""
    reports.generate_reports(projects.a1, DAY)
    late = ProgressReport.objects.filter(project=projects.a1, due_on__lt=DAY).count()
    assert late == 2
    real_notify, runs, started = reports.notify, [], []

    def notify_and_let_another_run_start(users, **kw):
        sent = real_notify(users, **kw)
        if not started:
            started.append(True)
            runs.append(reports.daily_sweep(DAY))  # the second run starts after the first reminder
        return sent

    monkeypatch.setattr(reports, "notify", notify_and_let_another_run_start)
    first = reports.daily_sweep(DAY)
    assert first["reminders"] + runs[0]["reminders"] == ProgressReport.objects.filter(reminded_on=DAY).count()


def test_the_sweep_reminds_every_late_milestone_and_only_unfiled_late_reports_with_links(school, projects):
    from portal.projects.models import ReportStatus

    for title in ("甲", "乙"):
        Milestone.objects.create(project=projects.a1, title=title, owner="韦丽娟", due_on=date(2026, 9, 1))
    reports.generate_reports(projects.a1, DAY)
    filed = ProgressReport.objects.filter(project=projects.a1, due_on__lt=DAY).order_by("due_on").first()
    ProgressReport.objects.filter(pk=filed.pk).update(status=ReportStatus.FILED)
    late_reports = ProgressReport.objects.filter(status="due", due_on__lt=DAY)
    first = reports.daily_sweep(DAY)
    assert first["reminders"] == 2 + late_reports.count()
    assert MilestoneReminder.objects.filter(milestone__project=projects.a1).count() == 2
    # A later-due milestone added the same day is reminded after the two already done, whatever their order.
    Milestone.objects.create(project=projects.a1, title="丙", owner="韦丽娟", due_on=date(2026, 9, 30))
    assert reports.daily_sweep(DAY)["reminders"] == 1
    assert not ProgressReport.objects.filter(pk=filed.pk, reminded_on__isnull=False).exists()
    milestone_note = Notification.objects.filter(user=school, title__contains="里程碑").first()
    report_note = Notification.objects.filter(user=school, title__contains="进展报告").first()
    assert milestone_note.url == f"/projects/{projects.a1.pk}/schedule/"
    assert report_note.url == f"/projects/{projects.a1.pk}/reports/"


def test_a_sweep_for_a_given_day_makes_no_report_of_a_period_that_begins_after_it(school, projects):
    spring = date(2026, 5, 1)
    reports.daily_sweep(spring)
    assert ProgressReport.objects.exists()
    assert not ProgressReport.objects.filter(period_start__gt=spring).exists()
