"""A school's 校本研修与考核方案, its 科组, teachers,
calendar and scores — bad input refused at the field in Chinese with nothing lost, nobody scored twice
for an item, two editors of the plan get a 409, teachers' contacts masked for roles that do not need
them, every change audited, the province's own ability points kept to its province, and the page's
query count independent of how many 科组 and teachers it shows."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from schools import services
from schools.models import AbilityPoint, ItemScore
from schools.selectors import results
from tests.factories import make_user


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_school", real_name="韦丽娟")


@pytest.fixture
def plan(projects, school):
    plan = services.plan_of(projects.a1)
    group = services.save_group(
        actor=school, plan=plan, data={"name": "语文科", "points": ["G8", "G4"], "responsible": "陈艳平"}
    )
    services.save_teacher(
        actor=school,
        plan=plan,
        data={"name": "陈艳平", "group": str(group.pk), "phone": "13926900101", "email": "cyp@example.cn"},
    )
    return plan


def _url(plan, suffix=""):
    return f"/projects/{plan.project_id}/training/{suffix}"


def test_scores_are_refused_at_the_field_and_what_was_typed_stays(client, plan, school):
    client.force_login(school)
    group = plan.groups.get()
    response = client.post(
        _url(plan, f"groups/{group.pk}/"),
        {
            "item-1-score": "11",
            "item-2-score": "-1",
            "item-3-missing": "abc",
            "item-6-awards": ["national"],
            "item-7-awards": ["county"],
            "item-8-score": "9.55",
            "item-9-self_score": "10",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "第1项得分不能超过该项分值 10 分",
        "第2项得分不能为负数",
        "第3项缺少的人须为 0 至 999 的整数",
        "第6项没有国家级获奖加分（本项可加：省级、市级、镇级）",
        "获奖级别“county”不存在",
        "第8项得分：分数最多保留一位小数",
    ):
        assert message in page, message
    assert 'value="11"' in page and 'value="9.55"' in page
    assert not ItemScore.objects.exists()  # nothing half-saved


def test_an_item_is_scored_once_and_saving_again_replaces_it(plan, school):
    teacher = plan.teachers.get()
    services.record_scores(actor=school, plan=plan, subject=teacher, rows={2: {"score": "10", "missing": "3"}})
    services.record_scores(actor=school, plan=plan, subject=teacher, rows={2: {"score": "10", "missing": "1"}})
    row = ItemScore.objects.get(teacher=teacher, item=2)
    assert row.missing == 1
    assert results(plan)["teacher"][0].total == Decimal(9)
    with pytest.raises(IntegrityError):
        ItemScore.objects.create(plan=plan, sheet="teacher", teacher=teacher, item=2, score=5)


def test_an_item_the_sheet_lacks_and_another_plans_subject_are_refused(plan, school, projects):
    teacher = plan.teachers.get()
    with pytest.raises(ServiceError) as refusal:
        services.record_scores(actor=school, plan=plan, subject=teacher, rows={9: {"score": "5"}})
    assert refusal.value.errors == {"item-9": ["个人考核没有第9项。"]}
    other = services.plan_of(projects.b1)
    stranger = other.teachers.create(name="外校教师", group=other.groups.create(name="语文科", responsible="x"))
    with pytest.raises(ServiceError, match="评分对象不属于本方案"):
        services.record_scores(actor=school, plan=plan, subject=stranger, rows={1: {"score": "5"}})


def test_bad_group_and_teacher_input_is_refused_with_reasons(plan, school):
    with pytest.raises(ServiceError) as refusal:
        services.save_group(actor=school, plan=plan, data={"name": "语文科", "points": ["Z9"], "responsible": ""})
    assert refusal.value.errors == {
        "name": ["“语文科”已在本方案中。"],
        "responsible": ["请填写负责人。"],
        "points": ["能力点“Z9”不存在，请从能力点清单中选择。"],
    }
    with pytest.raises(ServiceError) as refusal:
        services.save_teacher(
            actor=school,
            plan=plan,
            data={"name": "陈艳平", "group": str(plan.groups.get().pk), "phone": "12345", "email": "not-an-address"},
        )
    assert set(refusal.value.errors) == {"name", "phone", "email"}
    with pytest.raises(ServiceError, match="还有教师"):
        services.remove_group(actor=school, group=plan.groups.get())


def test_two_editors_of_the_plan_get_a_409_with_their_text_kept(client, plan, school, tree):
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_colleague", real_name="洪宝君")
    version = plan.lock_version
    services.save_plan(
        actor=colleague,
        project=plan.project,
        expected_version=version,
        data={"goals": "同事的目标", "tasks": "同事的任务", "cap_rule": "within"},
    )
    client.force_login(school)
    response = client.post(
        _url(plan),
        {"form": "plan", "lock_version": str(version), "goals": "我的目标", "tasks": "我的任务", "cap_rule": "beyond"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "洪宝君" in page and "我的目标" in page
    plan.refresh_from_db()
    assert plan.goals == "同事的目标"


def test_nul_bytes_and_oversized_text_are_a_400(client, plan, school):
    client.force_login(school)
    assert (
        client.post(
            _url(plan),
            {
                "form": "session",
                "when": "9月\x00",
                "content": "x",
                "host": "x",
                "participants": "x",
                "form_": "x",
                "place": "x",
            },
        ).status_code
        == 400
    )
    response = client.post(
        _url(plan),
        {"form": "session", "when": "9" * 31, "content": "x", "host": "x", "participants": "x", "place": "x"},
    )
    assert response.status_code == 400
    assert "时间不能超过 30 个字" in response.content.decode()


def test_teachers_contacts_are_masked_for_roles_that_do_not_need_them(client, plan, school, role_users):
    client.force_login(school)
    assert "13926900101" in client.get(_url(plan)).content.decode()
    client.force_login(role_users[Role.CITY_REVIEWER])
    assert "13926900101" in client.get(_url(plan)).content.decode()
    for role in (Role.COUNTY_REVIEWER, Role.SYSTEM_ADMIN):
        client.force_login(role_users[role])
        page = client.get(_url(plan)).content.decode()
        assert "13926900101" not in page and "139****0101" in page and "c***@example.cn" in page, role


def test_every_change_is_audited(plan, school):
    teacher = plan.teachers.get()
    services.record_scores(actor=school, plan=plan, subject=teacher, rows={1: {"self_score": "10", "score": "9"}})
    services.save_session(
        actor=school,
        plan=plan,
        data={
            "when": "9月",
            "content": "学习",
            "host": "校长",
            "participants": "全体",
            "form": "讲座",
            "place": "会议室",
        },
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="schools.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["schools.group.add", "schools.teacher.add", "schools.score.save", "schools.session.add"]
    score = AuditEntry.objects.get(action="schools.score.save")
    assert score.changes["score"][1] in ("9.0", "9")


def test_a_provinces_own_ability_points_stay_in_its_province(client, tree, role_users, plan, school):
    client.force_login(role_users[Role.PROVINCE_ADMIN])
    assert client.post("/schools/ability-points/", {"code": "b7", "name": "数据驱动的教学反思"}).status_code == 302
    assert client.post("/schools/ability-points/", {"code": "G8", "name": "重复"}).status_code == 400
    assert AbilityPoint.objects.get().province == tree.province
    services.save_group(actor=school, plan=plan, data={"name": "数学科", "points": ["B7"], "responsible": "王浩光"})
    client.force_login(make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin"))
    assert "数据驱动的教学反思" not in client.get("/schools/ability-points/").content.decode()
    client.force_login(role_users[Role.CITY_REVIEWER])
    assert client.post("/schools/ability-points/", {"code": "B8", "name": "x"}).status_code == 403


def test_the_plan_page_reads_the_same_number_of_queries_however_many_rows(client, plan, school):
    client.force_login(school)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(plan)).status_code == 200
        return len(queries)

    before = count()
    for n in range(3):
        group = services.save_group(
            actor=school, plan=plan, data={"name": f"第{n}科", "points": ["B1"], "responsible": "张"}
        )
        teacher = services.save_teacher(actor=school, plan=plan, data={"name": f"教师{n}", "group": str(group.pk)})
        services.record_scores(actor=school, plan=plan, subject=teacher, rows={1: {"score": "8"}})
        services.record_scores(actor=school, plan=plan, subject=group, rows={1: {"score": "8"}})
    assert count() == before


def test_the_summary_links_each_school_to_its_plan_and_reads_the_same_queries_for_more_schools(
    client, plan, school, projects, tree
):
    """The city compares its schools on one page: a row per school naming its county, linked to the
    school's plan, in as many queries for two schools as for one."""
    client.force_login(make_user(Role.CITY_REVIEWER, tree.city_a, username="t_city"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/schools/training/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    before, page = count()
    assert f'href="/projects/{plan.project_id}/training/"' in page and tree.county_a.name in page
    b1 = make_user(Role.SCHOOL_APPLICANT, tree.school_b1, username="b1_trainer")
    other = services.plan_of(projects.b1)
    group = services.save_group(actor=b1, plan=other, data={"name": "数学科", "points": ["B1"], "responsible": "李"})
    teacher = services.save_teacher(actor=b1, plan=other, data={"name": "李明", "group": str(group.pk)})
    services.record_scores(actor=b1, plan=other, subject=teacher, rows={1: {"score": "8"}})
    after, page = count()
    assert f'href="/projects/{other.project_id}/training/"' in page and tree.county_b.name in page
    assert after == before
