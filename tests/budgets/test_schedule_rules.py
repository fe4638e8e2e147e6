"""The staged schedule and the task list through their services, at each rule's edge: a text at its limit is
kept and one character more is refused at its field with the label the user reads; a stage may last one
day but not end before it starts; numbers follow on (1, 2, …); completing and removing are recorded in
the audit log with what was there before; what is done can no longer be removed."""

from __future__ import annotations

from datetime import date

import pytest

from budgets.models import Milestone, Stage, Task
from budgets.services import schedule
from budgets.services.schedule import TASK_COLUMNS
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from tests.factories import make_user

STAGE = {"name": "实施", "starts_on": "2026-09-01", "ends_on": "2027-06-30", "work": "课堂实践"}
MILESTONE = {"title": "完成全员培训", "owner": "教务处", "due_on": "2026-12-31"}
TASK = {field: label for field, label, _ in TASK_COLUMNS}


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_schedule")


def _refused(call) -> dict:
    with pytest.raises(ServiceError) as refusal:
        call()
    return refusal.value.errors


def _audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


# ---- stages ----


def test_a_stage_is_numbered_after_the_last_and_audited(school, projects):
    first = schedule.add_stage(actor=school, project=projects.a1, data=STAGE)
    second = schedule.add_stage(actor=school, project=projects.a1, data={**STAGE, "name": "总结"})
    assert (first.number, second.number) == (1, 2)
    assert (second.name, second.starts_on, second.ends_on, second.work) == (
        "总结",
        date(2026, 9, 1),
        date(2027, 6, 30),
        "课堂实践",
    )
    entry = _audit("budgets.stage.add")
    assert (entry.actor_id, entry.object_id) == (school.pk, str(second.pk))
    assert entry.changes == {"阶段": [None, "总结 2026-09-01～2027-06-30"]}


def test_a_stage_may_last_one_day_but_not_end_before_it_starts(school, projects):
    one_day = schedule.add_stage(
        actor=school, project=projects.a1, data={**STAGE, "starts_on": "2026-09-01", "ends_on": "2026-09-01"}
    )
    assert one_day.starts_on == one_day.ends_on
    assert _refused(
        lambda: schedule.add_stage(
            actor=school, project=projects.a1, data={**STAGE, "starts_on": "2026-09-02", "ends_on": "2026-09-01"}
        )
    ) == {"ends_on": ["结束日期不能早于开始日期。"]}


def test_a_stages_fields_are_refused_each_at_its_place_with_its_label(school, projects):
    errors = _refused(
        lambda: schedule.add_stage(
            actor=school,
            project=projects.a1,
            data={"name": "", "starts_on": "", "ends_on": "2026/9/1", "work": "x" * 2001},
        )
    )
    assert errors == {
        "name": ["请填写阶段名称。"],
        "starts_on": ["请填写开始日期。"],
        "ends_on": ["结束日期：请填写有效日期，如 2021-09-01。"],
        "work": ["工作内容不能超过 2000 个字（现为 2001 个）。"],
    }
    errors = _refused(lambda: schedule.add_stage(actor=school, project=projects.a1, data={**STAGE, "name": "名" * 101}))
    assert errors == {"name": ["阶段名称不能超过 100 个字（现为 101 个）。"]}
    kept = schedule.add_stage(actor=school, project=projects.a1, data={**STAGE, "name": "名" * 100, "work": "x" * 2000})
    assert len(kept.name) == 100 and len(kept.work) == 2000
    assert schedule.add_stage(actor=school, project=projects.a1, data={**STAGE, "work": ""}).work == ""  # optional
    assert not Stage.objects.filter(name="").exists()


def test_removing_a_stage_keeps_its_milestones_and_records_what_it_was(school, projects):
    stage = schedule.add_stage(actor=school, project=projects.a1, data=STAGE)
    milestone = schedule.add_milestone(actor=school, project=projects.a1, data={**MILESTONE, "stage": str(stage.pk)})
    schedule.remove_stage(actor=school, stage=stage)
    assert not Stage.objects.filter(pk=stage.pk).exists()
    milestone.refresh_from_db()
    assert milestone.stage is None
    entry = _audit("budgets.stage.remove")
    assert entry.actor_id == school.pk and entry.changes == {"阶段": ["实施 2026-09-01～2027-06-30", None]}


# ---- milestones ----


def test_a_milestones_fields_are_refused_each_at_its_place(school, projects):
    errors = _refused(
        lambda: schedule.add_milestone(
            actor=school, project=projects.a1, data={"title": "题" * 201, "owner": "", "due_on": ""}
        )
    )
    assert errors == {
        "title": ["里程碑不能超过 200 个字（现为 201 个）。"],
        "owner": ["请填写负责人。"],
        "due_on": ["请填写完成期限。"],
    }
    errors = _refused(
        lambda: schedule.add_milestone(actor=school, project=projects.a1, data={**MILESTONE, "owner": "人" * 51})
    )
    assert errors == {"owner": ["负责人不能超过 50 个字（现为 51 个）。"]}
    kept = schedule.add_milestone(
        actor=school, project=projects.a1, data={**MILESTONE, "title": "题" * 200, "owner": "人" * 50}
    )
    assert (len(kept.title), len(kept.owner), kept.due_on, kept.stage) == (200, 50, date(2026, 12, 31), None)
    entry = _audit("budgets.milestone.add")
    assert entry.actor_id == school.pk and entry.changes == {"里程碑": [None, f"{'题' * 200} 2026-12-31"]}


def test_completing_a_milestone_records_the_day_inside_the_cycle(school, projects):
    milestone = schedule.add_milestone(actor=school, project=projects.a1, data=MILESTONE)
    assert _refused(
        lambda: schedule.complete_milestone(actor=school, milestone=milestone, done_on=date(2025, 1, 1))
    ) == {"done_on": ["日期须在项目实施周期内（2026-03-01 至 2029-02-28）。"]}
    assert _refused(lambda: schedule.complete_milestone(actor=school, milestone=milestone, done_on=None)) == {
        "done_on": ["请填写完成日期。"]
    }
    schedule.complete_milestone(actor=school, milestone=milestone, done_on=date(2026, 12, 30))
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert (milestone.status, milestone.done_on) == ("done", date(2026, 12, 30))
    entry = _audit("budgets.milestone.complete")
    assert entry.actor_id == school.pk
    assert entry.changes == {"status": ["open", "done"], "done_on": [None, "2026-12-30"]}
    with pytest.raises(ServiceError, match="已完成的里程碑不能删除"):
        schedule.remove_milestone(actor=school, milestone=milestone)


def test_removing_an_open_milestone_records_what_it_was(school, projects):
    milestone = schedule.add_milestone(actor=school, project=projects.a1, data=MILESTONE)
    schedule.remove_milestone(actor=school, milestone=milestone)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    entry = _audit("budgets.milestone.remove")
    assert entry.actor_id == school.pk and entry.changes == {"里程碑": ["完成全员培训 2026-12-31", None]}


# ---- the task list ----


def _task(**changes):
    return {field: "内容" for field, _, _ in TASK_COLUMNS} | changes


def test_every_required_column_of_the_task_list_is_named_when_missing(school, projects):
    errors = _refused(lambda: schedule.save_task(actor=school, project=projects.a1, data={}))
    assert errors == {field: [f"请填写{label}。"] for field, label, _ in TASK_COLUMNS if field not in schedule.OPTIONAL}


@pytest.mark.parametrize("field, label, limit", TASK_COLUMNS)
def test_each_task_column_keeps_its_limit_and_refuses_one_more(school, projects, field, label, limit):
    kept = schedule.save_task(actor=school, project=projects.a1, data=_task(**{field: "字" * limit}))
    assert len(getattr(kept, field)) == limit
    assert _refused(
        lambda: schedule.save_task(actor=school, project=projects.a1, data=_task(**{field: "字" * (limit + 1)}))
    ) == {field: [f"{label}不能超过 {limit} 个字（现为 {limit + 1} 个）。"]}


def test_tasks_are_numbered_in_turn_edited_in_place_and_audited(school, projects):
    first = schedule.save_task(actor=school, project=projects.a1, data=_task(name="任务一"))
    second = schedule.save_task(actor=school, project=projects.a1, data=_task(name="任务二", note=""))
    assert (first.number, second.number, second.note) == (1, 2, "")
    edited = schedule.save_task(actor=school, project=projects.a1, data=_task(name="任务一（修订）"), task=first)
    assert (edited.pk, edited.number, Task.objects.get(pk=first.pk).name) == (first.pk, 1, "任务一（修订）")
    entry = _audit("budgets.task.save")
    assert entry.actor_id == school.pk and entry.changes == {"name": ["任务一", "任务一（修订）"]}


def test_a_task_is_tied_only_to_a_line_of_its_own_projects_plan(school, projects):
    from tests.projects.walk import _furnish

    own_line = _furnish(projects.a1) and projects.a1.spending_plan.lines.get()
    other = _furnish(projects.b1) and projects.b1.spending_plan.lines.get()
    assert schedule.save_task(actor=school, project=projects.a1, data=_task(line=str(own_line.pk))).line == own_line
    for wrong in (str(other.pk), "9" * 30, "²"):
        assert _refused(
            lambda wrong=wrong: schedule.save_task(actor=school, project=projects.a1, data=_task(line=wrong))
        ) == {"line": ["所选预算项目不属于本项目的用款方案。"]}


def test_completing_a_task_needs_a_day_in_the_cycle_and_its_evidence(school, projects):
    task = schedule.save_task(actor=school, project=projects.a1, data=_task())
    assert _refused(lambda: schedule.complete_task(actor=school, task=task, done_on=None, evidence="")) == {
        "done_on": ["请填写完成日期。"],
        "evidence": ["请填写完成情况及佐证。"],
    }
    assert _refused(
        lambda: schedule.complete_task(actor=school, task=task, done_on=date(2026, 9, 1), evidence="证" * 2001)
    ) == {"evidence": ["完成情况及佐证不能超过 2000 个字（现为 2001 个）。"]}
    schedule.complete_task(actor=school, task=task, done_on=date(2026, 9, 1), evidence="证" * 2000)
    task = Task.objects.get(pk=task.pk)
    assert (task.done_on, len(task.evidence)) == (date(2026, 9, 1), 2000)
    entry = _audit("budgets.task.complete")
    assert entry.actor_id == school.pk and entry.changes == {
        "done_on": [None, "2026-09-01"],
        "evidence": ["", "证" * 2000],
    }
    with pytest.raises(ServiceError, match="已记录完成情况的任务不能删除"):
        schedule.remove_task(actor=school, task=task)


def test_removing_an_open_task_records_its_number_and_name(school, projects):
    task = schedule.save_task(actor=school, project=projects.a1, data=_task(name="任务一"))
    schedule.remove_task(actor=school, task=task)
    assert not Task.objects.filter(pk=task.pk).exists()
    entry = _audit("budgets.task.remove")
    assert entry.actor_id == school.pk and entry.changes == {"任务": ["1. 任务一", None]}
