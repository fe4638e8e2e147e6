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

SESSION = {
    "when": "2026年3月10日",
    "content": "信息化教学设计研讨",
    "host": "陈艳平",
    "participants": "全体语文教师",
    "form": "集中研修",
    "place": "录播室",
}


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
    return services.save_group(
        actor=school, plan=plan, data={"name": "语文科", "points": ["G8"], "responsible": "陈艳平"}
    )


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
    for remove in (
        lambda: services.remove_teacher(actor=neighbour, teacher=teacher),
        lambda: services.remove_session(actor=neighbour, session=session),
        lambda: services.remove_group(actor=neighbour, group=SubjectGroup(plan=plan, name="空", pk=group.pk)),
    ):
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
    assert added[0].actor_username == "a1_trainer"
    services.save_session(actor=school, plan=plan, data={**SESSION, "place": "报告厅"}, session=first)
    updated = AuditEntry.objects.get(action="schools.session.update")
    assert updated.changes == {"place": ["录播室", "报告厅"]} and updated.object_id == str(first.pk)
    assert TrainingSession.objects.get(pk=first.pk).number == 1


def test_removing_a_session_closes_the_gap_and_is_audited_with_its_time(school, plan):
    made = [services.save_session(actor=school, plan=plan, data={**SESSION, "when": f"第{n}次"}) for n in (1, 2, 3, 4)]
    removed = made[1].pk
    services.remove_session(actor=school, session=made[1])
    assert list(plan.sessions.order_by("number").values_list("when", "number")) == [
        ("第1次", 1),
        ("第3次", 2),
        ("第4次", 3),
    ]
    entry = AuditEntry.objects.get(action="schools.session.remove")
    assert entry.data == {"when": "第2次"} and entry.object_id == str(removed)
    assert entry.actor_username == "a1_trainer"


def test_the_plans_text_and_rule_are_refused_at_their_fields(school, plan):
    with pytest.raises(ServiceError) as refused:
        services.save_plan(
            actor=school,
            project=plan.project,
            expected_version=plan.lock_version,
            data={"goals": "目" * 3001, "tasks": "", "cap_rule": "sometimes"},
        )
    assert refused.value.message == "校本研修与考核方案有内容需要修改。"
    assert refused.value.errors == {
        "goals": ["目标与任务不能超过 3000 个字（现为 3001 个）。"],
        "tasks": ["请填写主要任务。"],
        "cap_rule": ["请选择加分与分值的计算规则。"],
    }
    with pytest.raises(ServiceError) as refused:
        services.save_plan(
            actor=school,
            project=plan.project,
            expected_version=plan.lock_version,
            data={"goals": "目" * 3000, "tasks": "任" * 5001},
        )
    assert refused.value.errors == {
        "tasks": ["主要任务不能超过 5000 个字（现为 5001 个）。"],
        "cap_rule": ["请选择加分与分值的计算规则。"],
    }


def test_saving_the_plan_is_audited_with_the_difference_and_a_stale_save_names_who_saved(school, tree, plan):
    from django.utils import timezone

    from portal.core.exceptions import Conflict

    version = plan.lock_version
    saved = services.save_plan(
        actor=school,
        project=plan.project,
        expected_version=version,
        data={"goals": "目标", "tasks": "任务", "cap_rule": "beyond"},
    )
    assert saved.lock_version == version + 1 and saved.updated_by == school
    logged = AuditEntry.objects.get(action="schools.training.save")
    assert logged.changes == {"goals": ["", "目标"], "tasks": ["", "任务"], "cap_rule": ["within", "beyond"]}
    assert logged.actor_username == "a1_trainer"
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_colleague", real_name="黄志强")
    with pytest.raises(Conflict) as stale:
        services.save_plan(
            actor=colleague,
            project=plan.project,
            expected_version=version,
            data={"goals": "旧", "tasks": "旧", "cap_rule": "beyond"},
        )
    stored = type(plan).objects.get(pk=plan.pk)
    assert stale.value.current_version == version + 1 and stale.value.updated_at == stored.updated_at
    assert stale.value.updated_by == school.display_name
    assert stale.value.message == (
        f"方案已被{school.display_name}于{timezone.localtime(stored.updated_at):%H:%M}修改，您的修改尚未保存。"
    )
    assert stored.goals == "目标"


# ---- scores ---------------------------------------------------------------------------------------


def _score_errors(school, plan, subject, rows) -> dict:
    with pytest.raises(ServiceError) as refused:
        services.record_scores(actor=school, plan=plan, subject=subject, rows=rows)
    return refused.value.errors


def test_a_score_row_is_refused_at_each_of_its_fields(school, plan, group):
    from schools.models import ItemScore

    errors = _score_errors(
        school,
        plan,
        group,
        {
            12: {"score": "5"},  # met first: the rows after it are still checked
            3: {"self_score": "abc", "score": "11", "missing": "1000"},  # 人 missing: at most 999
            8: {"extras": "-1", "awards": ["national"] * 21},
            6: {"missing": "2", "extras": "1"},  # item 6 has neither rule
            5: {"self_score": "12", "score": "x"},
        },
    )
    assert errors["item-12"] == ["科组考核：评选信息技术应用能力提升优秀教研小组没有第12项。"]
    assert errors["item-3-self_score"][0].startswith("第3项自评：")
    assert errors["item-3-score"] == ["第3项得分不能超过该项分值 10 分。"]
    assert errors["item-3-missing"] == ["第3项缺少的人须为 0 至 999 的整数。"]
    assert errors["item-8-extras"] == ["第8项增加数须为 0 至 999 的整数。"]
    assert errors["item-8-awards"] == ["第8项最多登记 20 个获奖。"]
    assert errors["item-6-missing"] == ["第6项没有扣分规定。"]
    assert errors["item-6-extras"] == ["第6项没有“每增加”加分规定。"]
    assert not ItemScore.objects.exists()


def test_a_count_takes_999_and_an_item_without_a_deduction_counts_in_its_own_unit(school, plan, group, tree):
    saved = services.record_scores(
        actor=school,
        plan=plan,
        subject=group,
        rows={3: {"score": "6", "missing": "999"}, 9: {"score": "10", "extras": "2"}},
    )
    assert [(r.item, r.missing, r.extras) for r in saved] == [(3, 999, 0), (9, 0, 2)]
    teacher = services.save_teacher(actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)})
    errors = _score_errors(school, plan, teacher, {1: {"missing": "x"}, 8: {"score": "8"}})
    assert errors["item-1-missing"] == ["第1项缺少的数量须为 0 至 999 的整数。"]
    assert errors["item-8-score"] == ["第8项只能评为：明显 10 分、一般 7 分、不明显 5 分。"]


def test_a_subject_of_another_plan_is_refused(school, plan, projects, tree):
    other_school = make_user(Role.SCHOOL_APPLICANT, tree.school_b1, username="b1_trainer")
    theirs = services.save_group(
        actor=other_school,
        plan=services.plan_of(projects.b1),
        data={"name": "数学科", "points": ["G8"], "responsible": "黄志强"},
    )
    with pytest.raises(ServiceError) as refused:
        services.record_scores(actor=school, plan=plan, subject=theirs, rows={1: {"score": "5"}})
    assert refused.value.message == "评分对象不属于本方案。"


def test_a_score_replaces_the_one_before_and_is_audited_with_the_difference(school, plan, group):
    from schools.models import ItemScore

    services.record_scores(actor=school, plan=plan, subject=group, rows={6: {"self_score": "18", "score": "16"}})
    services.record_scores(
        actor=school,
        plan=plan,
        subject=group,
        rows={6: {"self_score": "18", "score": "20", "awards": ["city", "city"]}},
    )
    row = ItemScore.objects.get(group=group, item=6)
    assert (row.self_score, row.score, row.awards, row.updated_by) == (18, 20, ["city", "city"], school)
    first, second = AuditEntry.objects.filter(action="schools.score.save").order_by("pk")
    assert first.changes["score"] == [None, "16.0"] and first.changes["self_score"] == [None, "18.0"]
    assert set(second.changes) == {"score", "awards"} and second.changes["awards"] == [[], ["city", "city"]]
    assert second.data == {"sheet": "group", "subject": str(group)} and second.actor_username == "a1_trainer"


def test_a_score_problem_is_keyed_by_the_column_it_is_in_and_twenty_awards_are_taken(school, plan, group):
    with pytest.raises(ServiceError) as refused:
        services.record_scores(actor=school, plan=plan, subject=group, rows={5: {"self_score": "12", "score": "x"}})
    assert refused.value.message == "科组考核：评选信息技术应用能力提升优秀教研小组有内容需要修改。"
    assert refused.value.errors["item-5-self_score"] == ["第5项得分不能超过该项分值 10 分。"]
    assert refused.value.errors["item-5-score"][0].startswith("第5项得分：")
    saved = services.record_scores(actor=school, plan=plan, subject=group, rows={8: {"awards": ["city"] * 20}})
    assert len(saved[0].awards) == 20


def test_each_subjects_row_is_its_own_and_audited_from_nothing(school, plan, group):
    other = services.save_group(
        actor=school, plan=plan, data={"name": "数学科", "points": ["G8"], "responsible": "黄志强"}
    )
    services.record_scores(actor=school, plan=plan, subject=group, rows={6: {"score": "16"}, 5: {"score": "9"}})
    item_5, item_6 = AuditEntry.objects.filter(action="schools.score.save").order_by("pk")
    assert item_5.changes["score"] == [None, "9.0"] and item_6.changes["score"] == [None, "16.0"]
    services.record_scores(actor=school, plan=plan, subject=other, rows={6: {"score": "12"}})
    logged = AuditEntry.objects.filter(action="schools.score.save").latest("pk")
    assert logged.changes["score"] == [None, "12.0"] and logged.data == {"sheet": "group", "subject": "数学科"}
    from schools.models import ItemScore

    assert logged.object_id == str(ItemScore.objects.get(group=other, item=6).pk)


def _refused(call, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call(**kwargs)
    return refused.value


def test_a_groups_fields_keep_their_limits_and_each_refusal_stands_at_its_field(school, plan):
    """学科（科组）30 characters, 负责人 100, at least one known ability point chosen once."""
    ok = services.save_group(
        actor=school, plan=plan, data={"name": "科" * 30, "points": ["G8", "G4"], "responsible": "负" * 100}
    )
    assert (ok.name, ok.points, ok.responsible, ok.number) == ("科" * 30, ["G8", "G4"], "负" * 100, 1)
    refusal = _refused(
        services.save_group,
        actor=school,
        plan=plan,
        data={"name": "科" * 31, "points": [], "responsible": "负" * 101},
    )
    assert refusal.message == "科组信息有误。"
    assert refusal.errors == {
        "name": ["学科（科组）不能超过 30 个字（现为 31 个）。"],
        "responsible": ["负责人不能超过 100 个字（现为 101 个）。"],
        "points": ["请至少选择一个能力点。"],
    }
    assert _refused(services.save_group, actor=school, plan=plan, data={"points": ["ZZ9", "G8"]}).errors == {
        "name": ["请填写学科（科组）。"],
        "responsible": ["请填写负责人。"],
        "points": ["能力点“ZZ9”不存在，请从能力点清单中选择。"],
    }
    twice = {"name": "数学科", "points": ["G8", "G8"], "responsible": "李"}
    assert _refused(services.save_group, actor=school, plan=plan, data=twice).errors == {
        "points": ["同一能力点只能选择一次。"]
    }
    unknown = {"name": "数学科", "points": ["ZZ1", "ZZ2"], "responsible": "李"}
    assert _refused(services.save_group, actor=school, plan=plan, data=unknown).errors == {
        "points": ["能力点“ZZ1、ZZ2”不存在，请从能力点清单中选择。"]
    }


def test_a_group_from_the_page_keeps_every_chosen_point_and_is_numbered_after_the_others(school, plan, group):
    from django.http import QueryDict

    posted = QueryDict(mutable=True)
    posted.update({"name": "数学科", "responsible": "李"})
    posted.setlist("points", ["G8", " ", "G4"])
    second = services.save_group(actor=school, plan=plan, data=posted)
    assert (second.points, second.number) == (["G8", "G4"], 2)


def test_a_group_keeps_its_own_name_when_edited_and_the_change_is_audited(school, plan, group):
    edited = services.save_group(
        actor=school, plan=plan, group=group, data={"name": "语文科", "points": ["G4"], "responsible": "黄"}
    )
    assert (edited.pk, edited.points, edited.responsible) == (group.pk, ["G4"], "黄")
    entry = AuditEntry.objects.get(action="schools.group.update")
    assert (entry.actor_id, entry.object_id) == (school.pk, str(group.pk))
    assert entry.changes == {"points": [["G8"], ["G4"]], "responsible": ["陈艳平", "黄"]}
    added = AuditEntry.objects.get(action="schools.group.add")
    assert added.changes == {"name": [None, "语文科"], "points": [None, ["G8"]], "responsible": [None, "陈艳平"]}


def test_a_teachers_fields_keep_their_limits_and_each_refusal_stands_at_its_field(school, plan, group):
    email = "l" * 64 + "@" + "d" * 62 + "." + "d" * 62 + "." + "d" * 60 + ".cn"  # 254 characters, valid
    data = {"name": "教" * 30, "group": str(group.pk), "phone": "0769-81234567", "email": email}
    ok = services.save_teacher(actor=school, plan=plan, data=data)
    assert (ok.name, ok.group, ok.phone, len(ok.email)) == ("教" * 30, group, "0769-81234567", 254)
    long = {"name": "教" * 31, "group": "", "phone": "8123456７", "email": "bad@"}
    refusal = _refused(services.save_teacher, actor=school, plan=plan, data=long)
    assert refusal.message == "教师信息有误。"
    assert refusal.errors == {
        "name": ["姓名不能超过 30 个字（现为 31 个）。"],
        "group": ["请选择本方案中的科组。"],
        "phone": ["电话应为 11 位手机号码，或只含数字和“-”的固话，如 0769-81234567。"],
        "email": ["电子邮箱格式不正确。"],
    }
    assert _refused(
        services.save_teacher,
        actor=school,
        plan=plan,
        data={"group": str(group.pk), "phone": "0" * 21, "email": email.replace("@", "@d")},
    ).errors == {
        "name": ["请填写姓名。"],
        "phone": ["电话应为 11 位手机号码，或只含数字和“-”的固话，如 0769-81234567。"],  # the pattern bounds its length
        "email": ["电子邮箱不能超过 254 个字（现为 255 个）。"],
    }


def test_a_teacher_keeps_its_own_name_when_edited_and_the_change_is_audited(school, plan, group):
    teacher = services.save_teacher(actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)})
    services.save_teacher(
        actor=school,
        plan=plan,
        teacher=teacher,
        data={"name": "韦丽娟", "group": str(group.pk), "phone": "13926900101"},
    )
    entry = AuditEntry.objects.get(action="schools.teacher.update")
    assert (entry.actor_id, entry.object_id) == (school.pk, str(teacher.pk))
    assert entry.changes == {"phone": ["", "13926900101"]}
    added = AuditEntry.objects.get(action="schools.teacher.add")
    assert added.changes["name"] == [None, "韦丽娟"] and added.changes["group"] == [None, group.pk]
    assert _refused(
        services.save_teacher, actor=school, plan=plan, data={"name": "韦丽娟", "group": str(group.pk)}
    ).errors == {"name": ["语文科已有教师“韦丽娟”。"]}
