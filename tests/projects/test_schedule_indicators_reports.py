"""Stages, milestones and their once-a-day reminders; the task list; indicators with typed targets
and automatic judgements; progress reports from the call's cadence."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from budgets.models import MilestoneReminder
from budgets.services import schedule
from evaluation import selectors as indicator_reads
from evaluation import services as indicators
from portal.core.exceptions import ServiceError
from portal.notifications.models import Notification
from portal.orgs.choices import Role
from portal.projects import services as reports
from portal.projects.models import ProgressReport, ReportStatus
from tests.factories import make_user


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="韦丽娟")


@pytest.fixture
def county(tree):
    return make_user(Role.COUNTY_REVIEWER, tree.county_a)


def test_a_stage_or_milestone_outside_the_cycle_is_refused_at_its_field(school, projects):
    with pytest.raises(ServiceError) as refused:
        schedule.add_stage(
            actor=school, project=projects.a1, data={"name": "筹备", "starts_on": "2026-02-01", "ends_on": "2026-01-31"}
        )
    assert refused.value.errors == {
        "starts_on": ["日期须在项目实施周期内（2026-03-01 至 2029-02-28）。"],
        "ends_on": ["日期须在项目实施周期内（2026-03-01 至 2029-02-28）。"],
    }
    with pytest.raises(ServiceError) as refused:
        schedule.add_stage(
            actor=school, project=projects.a1, data={"name": "", "starts_on": "2026-09-01", "ends_on": "2026-08-31"}
        )
    assert refused.value.errors == {"name": ["请填写阶段名称。"], "ends_on": ["结束日期不能早于开始日期。"]}
    with pytest.raises(ServiceError) as refused:
        schedule.add_milestone(actor=school, project=projects.a1, data={"title": "x", "owner": "y", "due_on": "31/08"})
    assert refused.value.errors == {"due_on": ["完成期限：请填写有效日期，如 2021-09-01。"]}
    stage = schedule.add_stage(
        actor=school,
        project=projects.a1,
        data={"name": "筹备", "starts_on": "2026-07-01", "ends_on": "2026-08-31", "work": "遴选实验学校"},
    )
    other = schedule.add_stage(
        actor=make_user(Role.SCHOOL_APPLICANT, projects.b1.organisation),
        project=projects.b1,
        data={"name": "筹备", "starts_on": "2026-07-01", "ends_on": "2026-08-31"},
    )
    with pytest.raises(ServiceError) as refused:
        schedule.add_milestone(
            actor=school,
            project=projects.a1,
            data={"title": "x", "owner": "y", "due_on": "2026-08-01", "stage": other.pk},
        )
    assert refused.value.errors == {"stage": ["所选阶段不属于本项目。"]}
    assert (
        schedule.add_milestone(
            actor=school,
            project=projects.a1,
            data={"title": "确定实验学校", "owner": "韦丽娟", "due_on": "2026-08-31", "stage": stage.pk},
        ).stage
        == stage
    )


def test_overdue_milestones_are_reminded_once_a_day_whatever_the_number_of_runs(school, projects):
    today = date(2026, 10, 1)
    late = schedule.add_milestone(
        actor=school, project=projects.a1, data={"title": "完成实验校遴选", "owner": "韦丽娟", "due_on": "2026-09-30"}
    )
    schedule.add_milestone(
        actor=school, project=projects.a1, data={"title": "未到期", "owner": "韦丽娟", "due_on": "2026-10-01"}
    )
    done = schedule.add_milestone(
        actor=school, project=projects.a1, data={"title": "已完成", "owner": "韦丽娟", "due_on": "2026-09-01"}
    )
    schedule.complete_milestone(actor=school, milestone=done, done_on=date(2026, 9, 1))
    reports.daily_sweep(today)
    reports.daily_sweep(today)
    reminded = Notification.objects.filter(user=school, title__contains="里程碑")
    assert [n.title for n in reminded] == [
        "兴宁区实验小学智慧课堂实验：里程碑“完成实验校遴选”已逾期（期限 2026-09-30）"
    ]
    assert MilestoneReminder.objects.filter(milestone=late).count() == 1
    reports.daily_sweep(today + timedelta(days=1))  # the next day: again, and the one due on the 1st
    assert Notification.objects.filter(user=school, title__contains="里程碑").count() == 3
    assert MilestoneReminder.objects.filter(milestone=late).count() == 2


def test_the_task_list_has_the_seed_columns_and_records_completion(school, projects):
    from budgets.demo import TASK

    with pytest.raises(ServiceError) as refused:
        schedule.save_task(actor=school, project=projects.a1, data={**TASK, "name": "", "line": "999"})
    assert refused.value.errors == {"name": ["请填写工作任务名称。"], "line": ["所选预算项目不属于本项目的用款方案。"]}
    task = schedule.save_task(actor=school, project=projects.a1, data=TASK)
    assert [label for _, label, _ in schedule.TASK_COLUMNS] == [
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
    assert task.number == 1 and task.nature == "约束性任务" and task.case_type == "政策实施范围"
    with pytest.raises(ServiceError) as refused:
        schedule.complete_task(actor=school, task=task, done_on=None, evidence="")
    assert set(refused.value.errors) == {"done_on", "evidence"}
    schedule.complete_task(actor=school, task=task, done_on=date(2026, 12, 20), evidence="出版专著2部")
    task.refresh_from_db()
    assert task.done_on == date(2026, 12, 20)


def _table(school, project):
    from budgets.demo import HEADER

    return indicators.save_table(actor=school, project=project, data=HEADER, expected_version=None)


def test_the_goal_is_at_most_400_characters_and_two_editors_conflict(school, projects):
    from budgets.demo import HEADER
    from portal.core.exceptions import Conflict

    with pytest.raises(ServiceError) as refused:
        indicators.save_table(
            actor=school, project=projects.a1, data={**HEADER, "goal": "目" * 401}, expected_version=None
        )
    assert refused.value.errors == {"goal": ["实施周期绩效目标不能超过 400 个字（现为 401 个）。"]}
    table = indicators.save_table(
        actor=school, project=projects.a1, data={**HEADER, "goal": "目" * 400}, expected_version=None
    )
    indicators.save_table(actor=school, project=projects.a1, data=HEADER, expected_version=table.lock_version)
    with pytest.raises(Conflict):
        indicators.save_table(actor=school, project=projects.a1, data=HEADER, expected_version=table.lock_version)


def test_a_target_must_match_its_type(school, projects):
    table = _table(school, projects.a1)
    base = {"level1": "效益", "level2": "社会效益指标", "name": "学生满意度（%）"}
    for kind, target, message in [
        ("percent", "高", "目标值：请填写数字。"),
        ("percent", "120", "目标值：百分比须在 0 至 100 之间。"),
        ("date", "明年七月", "目标日期：请填写有效日期，如 2022-07-30。"),
        ("quantity", "", "请填写目标值。"),
    ]:
        with pytest.raises(ServiceError) as refused:
            indicators.add_indicator(actor=school, table=table, data={**base, "kind": kind, "target": target})
        assert refused.value.errors == {"target": [message]}, kind
    with pytest.raises(ServiceError) as refused:
        indicators.add_indicator(actor=school, table=table, data={**base, "kind": "ratio", "target": "1"})
    assert refused.value.errors == {"kind": ["请选择目标类型。"]}
    assert not table.indicators.exists()


def test_the_dongguan_indicators_are_judged_as_written(school, county, projects):
    from budgets.demo import indicator_rows

    table = _table(school, projects.a1)
    made = [indicators.add_indicator(actor=school, table=table, data=row) for row in indicator_rows(2026)]
    texts = [indicator_reads.target_text(i) for i in made]
    assert texts == ["全省乃至全国示范作用", "2027年7月30日", "持续提高", "≥80%", "≥80%"]
    quality, due, social, students, teachers = made
    indicators.record_actual(actor=school, indicator=students, raw="80")  # the boundary meets ≥ 80 %
    indicators.record_actual(actor=school, indicator=teachers, raw="79.9")
    indicators.record_actual(actor=school, indicator=due, raw="2027-07-30")
    indicators.record_actual(actor=school, indicator=quality, raw="在全国实验区工作会议上作经验交流")
    with pytest.raises(ServiceError) as refused:
        indicators.record_actual(actor=school, indicator=students, raw="百分之八十")
    assert refused.value.errors == {"actual": ["实际值：请填写数字。"]}
    with pytest.raises(PermissionError):
        indicators.judge_qualitative(actor=school, indicator=quality, met=True)
    indicators.judge_qualitative(actor=county, indicator=quality, met=True)
    with pytest.raises(ServiceError, match="自动判定"):
        indicators.judge_qualitative(actor=county, indicator=students, met=False)
    rows = indicator_reads.indicator_rows(table)
    assert [r["met"] for r in rows] == [True, True, None, True, False]
    assert indicator_reads.summary(rows) == {"met": 3, "missed": 1, "pending": 1, "total": 5, "rate": D("75.00")}
    indicators.record_actual(actor=school, indicator=due, raw="2027-07-31")
    due.refresh_from_db()
    assert indicator_reads.verdict(due) is False


def test_progress_reports_are_due_by_cadence_filed_read_returned_or_waived(school, county, projects):
    today = date(2026, 9, 15)
    assert reports.generate_reports(projects.a1, today) == 3  # March, Q2 and Q3 have begun
    assert reports.generate_reports(projects.a1, today) == 0
    first, second, third = projects.a1.progress_reports.all()
    assert (first.title, first.period_start, first.due_on) == ("2026年第1季度", date(2026, 3, 1), date(2026, 4, 10))
    with pytest.raises(ServiceError) as refused:
        reports.file_report(actor=school, report=first, text=" ")
    assert refused.value.errors == {"text": ["请填写进展情况。"]}
    reports.file_report(actor=school, report=first, text="遴选实验班级，完成教师培训。")
    with pytest.raises(PermissionError):
        reports.review_report(actor=school, report=first, action="read")
    with pytest.raises(ServiceError) as refused:
        reports.review_report(actor=county, report=first, action="return", comment="")
    assert refused.value.errors == {"comment": ["请填写理由。"]}
    reports.review_report(actor=county, report=first, action="return", comment="请补充数据。")
    assert ProgressReport.objects.get(pk=first.pk).status == ReportStatus.RETURNED
    reports.file_report(actor=school, report=first, text="遴选实验班级，完成教师培训；参训教师120人。")
    reports.review_report(actor=county, report=first, action="read")
    reports.review_report(actor=county, report=second, action="waive", comment="项目立项晚于报告期，免报。")
    assert [r.status for r in projects.a1.progress_reports.all()] == ["read", "not_needed", "due"]
    assert ProgressReport.objects.get(pk=first.pk).figures["tasks"] == 0
    with pytest.raises(ServiceError, match="不能进行此操作"):
        reports.file_report(actor=school, report=ProgressReport.objects.get(pk=second.pk), text="x")


def test_missing_reports_are_reminded_once_a_day(school, projects):
    reports.generate_reports(projects.a1, date(2026, 9, 15))
    reports.daily_sweep(date(2026, 9, 15))
    reports.daily_sweep(date(2026, 9, 15))
    titles = sorted(
        Notification.objects.filter(user=school, title__contains="进展报告").values_list("title", flat=True)
    )
    assert titles == [
        "兴宁区实验小学智慧课堂实验：2026年第1季度进展报告逾期未报（期限 2026-04-10）",
        "兴宁区实验小学智慧课堂实验：2026年第2季度进展报告逾期未报（期限 2026-07-10）",
    ]


def test_entries_can_be_corrected_and_removed_until_they_are_done(client, school, projects):
    from django.urls import reverse

    from budgets.demo import TASK
    from budgets.models import Stage, Task
    from portal.audit.models import AuditEntry

    stage = schedule.add_stage(
        actor=school, project=projects.a1, data={"name": "筹备", "starts_on": "2026-07-01", "ends_on": "2026-08-31"}
    )
    milestone = schedule.add_milestone(
        actor=school,
        project=projects.a1,
        data={"title": "遴选", "owner": "张三", "due_on": "2026-08-31", "stage": stage.pk},
    )
    schedule.remove_stage(actor=school, stage=stage)
    milestone.refresh_from_db()
    assert milestone.stage is None and not Stage.objects.exists()
    schedule.complete_milestone(actor=school, milestone=milestone, done_on=date(2026, 8, 30))
    with pytest.raises(ServiceError, match="已完成的里程碑不能删除"):
        schedule.remove_milestone(actor=school, milestone=milestone)
    task = schedule.save_task(actor=school, project=projects.a1, data=TASK)
    client.force_login(school)
    page = client.get(reverse("budgets:tasks", args=[projects.a1.pk]), {"edit": task.pk}).content.decode()
    assert "修改任务 1" in page and "约束性任务" in page
    client.post(reverse("budgets:tasks", args=[projects.a1.pk]), {**TASK, "task": task.pk, "nature": "指导性任务"})
    task.refresh_from_db()
    assert task.nature == "指导性任务" and Task.objects.count() == 1
    assert AuditEntry.objects.filter(action="budgets.task.save").order_by("pk").last().changes["nature"] == [
        "约束性任务",
        "指导性任务",
    ]
    client.post(reverse("budgets:task_remove", args=[projects.a1.pk, task.pk]))
    assert not Task.objects.exists()
    assert AuditEntry.objects.filter(action__in=["budgets.stage.remove", "budgets.task.remove"]).count() == 2


def test_a_report_carries_its_files_checked_by_content(client, school, projects):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from portal.core.samples import blank_pdf

    reports.generate_reports(projects.a1, date(2026, 5, 1))
    first = projects.a1.progress_reports.first()
    with pytest.raises(ServiceError) as refused:
        reports.file_report(actor=school, report=first, text="进展顺利。", uploads=[("照片.jpg", blank_pdf())])
    assert "扩展名与文件内容（PDF）不符" in refused.value.errors["files"][0]
    client.force_login(school)
    client.post(
        reverse("projects:report_file", args=[projects.a1.pk, first.pk]),
        {"text": "进展顺利。", "files": [SimpleUploadedFile("活动记录.pdf", blank_pdf())]},
    )
    first.refresh_from_db()
    assert first.status == "filed" and first.files.get().original_name == "活动记录.pdf"
    response = client.get(reverse("projects:file", args=[projects.a1.pk, first.files.get().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_beat_runs_the_daily_sweep_task(school, projects):
    from django.conf import settings

    from portal.celery import app
    from portal.projects.tasks import task_daily_sweep

    entry = settings.CELERY_BEAT_SCHEDULE["project-sweep"]
    assert entry["task"] == task_daily_sweep.name and entry["task"] in app.tasks
    schedule.add_milestone(
        actor=school, project=projects.a1, data={"title": "遴选", "owner": "张三", "due_on": "2026-03-02"}
    )
    result = task_daily_sweep.delay().get()  # in-process without a broker
    assert result["reminders"] >= 1
