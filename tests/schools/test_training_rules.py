"""The rules of the 校本研修与考核方案's rows that its pages do not show one by one: a 科组 with teachers
is not removed (the message names it); every removal is done by someone who may edit the project and
is audited with what was removed; a training session's fields are refused at the field, numbered on,
and a removal closes the numbering's gap."""
from __future__ import annotations

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from schools import services
from schools.models import SubjectGroup, Teacher, TrainingSession
from tests.factories import make_user

SESSION = {"when": "2026年3月10日", "content": "信息化教学设计研讨", "host": "陈艳平", "participants": "全体语文教师",
           "form": "集中研修", "place": "录播室"}


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_trainer")


@pytest.fixture
def neighbour(tree):
    """A school in the same county: it may edit its own project, not this one."""
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a2, username="a2_trainer")


@pytest.fixture
def plan(projects):
    return services.plan_of(projects.a1)


@pytest.fixture
def group(plan, school):
    return services.save_group(actor=school, plan=plan, data={"name": "语文科", "points": ["G8"], "responsible": "陈艳平"})


def test_a_group_with_teachers_is_not_removed_and_the_message_names_it(school, plan, group):
    services.save_teacher(actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)})
    with pytest.raises(ServiceError) as refused:
        services.remove_group(actor=school, group=group)
    assert refused.value.message == "“语文科”还有教师，请先调整或删除这些教师。"
    assert SubjectGroup.objects.filter(pk=group.pk).exists()
    assert not AuditEntry.objects.filter(action="schools.group.remove").exists()


def test_removing_a_group_is_audited_with_what_it_was(school, plan, group):
    pk = group.pk
    services.remove_group(actor=school, group=group)
    assert not SubjectGroup.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="schools.group.remove")
    assert entry.data == {"name": "语文科", "points": ["G8"]}
    assert entry.object_id == str(pk) and entry.actor_username == "a1_trainer"


def test_removing_a_teacher_is_audited_with_the_name(school, plan, group):
    teacher = services.save_teacher(actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)})
    pk = teacher.pk
    services.remove_teacher(actor=school, teacher=teacher)
    assert not Teacher.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="schools.teacher.remove")
    assert entry.data == {"name": "韦丽娟"} and entry.object_id == str(pk) and entry.actor_username == "a1_trainer"


def test_only_who_may_edit_the_project_removes_its_rows(school, neighbour, plan, group):
    teacher = services.save_teacher(actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)})
    session = services.save_session(actor=school, plan=plan, data=SESSION)
    for remove in (lambda: services.remove_teacher(actor=neighbour, teacher=teacher),
                   lambda: services.remove_session(actor=neighbour, session=session),
                   lambda: services.remove_group(actor=neighbour, group=SubjectGroup(plan=plan, name="空", pk=group.pk))):
        with pytest.raises(PermissionError):
            remove()
    with pytest.raises(PermissionError):
        services.save_session(actor=neighbour, plan=plan, data=SESSION)
    assert Teacher.objects.filter(pk=teacher.pk).exists() and TrainingSession.objects.filter(pk=session.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".remove").exists()


def test_a_session_is_refused_at_each_field(school, plan):
    with pytest.raises(ServiceError) as refused:
        services.save_session(actor=school, plan=plan, data={**SESSION, "when": "", "content": "研" * 501})
    assert refused.value.message == "研修计划有内容需要修改。"
    assert refused.value.errors == {"when": ["请填写时间。"], "content": ["内容不能超过 500 个字（现为 501 个）。"]}
    assert not TrainingSession.objects.exists()


def test_sessions_are_numbered_on_and_their_saves_audited_with_the_difference(school, plan):
    first = services.save_session(actor=school, plan=plan, data=SESSION)
    second = services.save_session(actor=school, plan=plan, data={**SESSION, "when": "2026年4月8日"})
    assert (first.number, second.number) == (1, 2)
    stored = TrainingSession.objects.get(pk=second.pk)
    assert {f: getattr(stored, f) for f in SESSION} == {**SESSION, "when": "2026年4月8日"}
    added = AuditEntry.objects.filter(action="schools.session.add").order_by("pk")
    assert added.count() == 2 and added[0].changes["when"] == [None, "2026年3月10日"]
    services.save_session(actor=school, plan=plan, data={**SESSION, "place": "报告厅"}, session=first)
    updated = AuditEntry.objects.get(action="schools.session.update")
    assert updated.changes == {"place": ["录播室", "报告厅"]} and updated.object_id == str(first.pk)
    assert TrainingSession.objects.get(pk=first.pk).number == 1


def test_removing_a_session_closes_the_gap_and_is_audited_with_its_time(school, plan):
    made = [services.save_session(actor=school, plan=plan, data={**SESSION, "when": f"第{n}次"}) for n in (1, 2, 3, 4)]
    removed = made[1].pk
    services.remove_session(actor=school, session=made[1])
    assert list(plan.sessions.order_by("number").values_list("when", "number")) == [("第1次", 1), ("第3次", 2),
                                                                                    ("第4次", 3)]
    entry = AuditEntry.objects.get(action="schools.session.remove")
    assert entry.data == {"when": "第2次"} and entry.object_id == str(removed)
    assert entry.actor_username == "a1_trainer"


def test_the_plans_text_and_rule_are_refused_at_their_fields(school, plan):
    with pytest.raises(ServiceError) as refused:
        services.save_plan(actor=school, project=plan.project, expected_version=plan.lock_version,
                           data={"goals": "目" * 3001, "tasks": "", "cap_rule": "sometimes"})
    assert refused.value.message == "校本研修与考核方案有内容需要修改。"
    assert refused.value.errors == {"goals": ["目标与任务不能超过 3000 个字（现为 3001 个）。"],
                                    "tasks": ["请填写主要任务。"], "cap_rule": ["请选择加分与分值的计算规则。"]}
    with pytest.raises(ServiceError) as refused:
        services.save_plan(actor=school, project=plan.project, expected_version=plan.lock_version,
                           data={"goals": "目" * 3000, "tasks": "任" * 5001})
    assert refused.value.errors == {"tasks": ["主要任务不能超过 5000 个字（现为 5001 个）。"],
                                    "cap_rule": ["请选择加分与分值的计算规则。"]}


def test_saving_the_plan_is_audited_with_the_difference_and_a_stale_save_names_who_saved(school, tree, plan):
    from django.utils import timezone
    from portal.core.exceptions import Conflict
    version = plan.lock_version
    saved = services.save_plan(actor=school, project=plan.project, expected_version=version,
                               data={"goals": "目标", "tasks": "任务", "cap_rule": "beyond"})
    assert saved.lock_version == version + 1 and saved.updated_by == school
    logged = AuditEntry.objects.get(action="schools.training.save")
    assert logged.changes == {"goals": ["", "目标"], "tasks": ["", "任务"], "cap_rule": ["within", "beyond"]}
    assert logged.actor_username == "a1_trainer"
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_colleague", real_name="黄志强")
    with pytest.raises(Conflict) as stale:
        services.save_plan(actor=colleague, project=plan.project, expected_version=version,
                           data={"goals": "旧", "tasks": "旧", "cap_rule": "beyond"})
    stored = type(plan).objects.get(pk=plan.pk)
    assert stale.value.current_version == version + 1 and stale.value.updated_at == stored.updated_at
    assert stale.value.updated_by == school.display_name
    assert stale.value.message == (f"方案已被{school.display_name}于{timezone.localtime(stored.updated_at):%H:%M}修改，"
                                   "您的修改尚未保存。")
    assert stored.goals == "目标"
