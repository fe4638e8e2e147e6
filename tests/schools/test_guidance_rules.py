"""The 专家指导意见建议表 through its services, at each edge: the leader is not also a member; eight members
at most; an expert outside the province's pool is named at the field it was chosen for; a note and the
summary keep 2,000 characters and refuse one more; each note is kept under its expert; the summary's
version moves by one and a stale one is a conflict naming the current; each step is audited."""

from __future__ import annotations

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import Conflict, ServiceError
from portal.experts.services.pool import register_expert
from portal.orgs.choices import Role
from schools import devplans, guidance
from schools.models import Guidance
from tests.factories import make_user
from tests.schools.test_devplan import fill, plan, school  # noqa: F401


@pytest.fixture
def submitted(plan, school):  # noqa: F811
    devplans.submit(actor=school, plan=fill(plan, school))
    plan.refresh_from_db()
    return plan


@pytest.fixture
def pool(experts, admin, tree):
    """Eight more experts of the province, away from 南宁 (no 回避)."""
    return [
        register_expert(
            actor=admin,
            user=make_user(Role.EXPERT, tree.university, username=f"pool{i}"),
            field="教育技术学",
            region=tree.city_c,
        )
        for i in range(8)
    ]


def _assign_errors(**kwargs) -> dict:
    with pytest.raises(ServiceError) as refusal:
        guidance.assign(**kwargs)
    assert refusal.value.message == "专家指导安排有误。"
    return refusal.value.errors


def test_the_leader_is_not_also_a_member_and_eight_members_are_the_most(submitted, admin, experts, pool):
    made = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.lu, *pool])
    assert made.leader == experts.lu and set(made.members.all()) == set(pool)  # eight, the leader dropped
    Guidance.objects.all().delete()
    assert _assign_errors(actor=admin, plan=submitted, leader=experts.lu, members=[*pool, experts.huang]) == {
        "members": ["指导专家团队最多 8 人。"]
    }
    assert _assign_errors(actor=admin, plan=submitted, leader=None, members=[experts.huang]) == {
        "leader": ["请选择指导专家组长。"]
    }


def test_an_expert_outside_the_provinces_pool_is_named_at_its_field(submitted, admin, experts, tree):
    from portal.experts.models import Expert

    shanxi, other = (
        Expert.objects.create(
            user=make_user(Role.EXPERT, tree.other_school, username=f"sx_guide{i}"),
            field="x",
            province=tree.other_province,
        )
        for i in range(2)
    )
    errors = _assign_errors(actor=admin, plan=submitted, leader=shanxi, members=[experts.huang, other])
    assert errors == {"leader": [f"{shanxi}不在本省专家库中。"], "members": [f"{other}不在本省专家库中。"]}


def test_assigning_is_audited_with_the_version_and_the_panel(submitted, admin, experts):
    made = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])
    entry = AuditEntry.objects.get(action="schools.guidance.assign")
    assert (entry.actor_id, entry.object_id) == (admin.pk, str(submitted.project_id))
    assert entry.data == {"guidance": made.pk, "version": 1, "leader": experts.lu.pk, "members": [experts.huang.pk]}


@pytest.fixture
def given(submitted, admin, experts):
    return guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])


def test_a_note_keeps_two_thousand_characters_under_its_expert(given, experts):
    with pytest.raises(ServiceError) as refusal:
        guidance.write_note(actor=experts.huang.user, guidance=given, text="见" * 2001)
    assert refusal.value.message == "意见过长。"
    assert refusal.value.errors == {"note": ["专家意见不能超过 2000 字（现为 2001 字）。"]}
    guidance.write_note(actor=experts.huang.user, guidance=given, text=None)
    assert Guidance.objects.get(pk=given.pk).notes == {str(experts.huang.pk): ""}  # nothing written is no note
    guidance.write_note(actor=experts.huang.user, guidance=given, text="见" * 2000)
    guidance.write_note(actor=experts.lu.user, guidance=given, text=" 组长的意见 ")
    assert Guidance.objects.get(pk=given.pk).notes == {
        str(experts.huang.pk): "见" * 2000,
        str(experts.lu.pk): "组长的意见",
    }
    entry = AuditEntry.objects.filter(action="schools.guidance.note").order_by("pk")[1]
    assert (entry.actor_id, entry.data) == (experts.huang.user.pk, {"guidance": given.pk, "chars": 2000})
    assert entry.object_id == str(given.plan.project_id)


def test_the_summary_keeps_two_thousand_characters_and_its_version_moves_by_one(given, experts):
    leader = experts.lu.user
    with pytest.raises(ServiceError) as refusal:
        guidance.save_summary(actor=leader, guidance=given, summary="汇" * 2001, expected_version=1)
    assert refusal.value.message == "汇总过长。"
    assert refusal.value.errors == {"summary": ["指导意见建议汇总不能超过 2000 字（现为 2001 字）。"]}
    saved = guidance.save_summary(actor=leader, guidance=given, summary="汇" * 2000, expected_version=1)
    saved_at = Guidance.objects.get(pk=given.pk).summary_saved_at
    assert saved_at is not None
    assert Guidance.objects.get(pk=given.pk).lock_version == 2 == saved.lock_version
    with pytest.raises(Conflict) as conflict:
        guidance.save_summary(actor=leader, guidance=given, summary="另一窗口", expected_version=1)
    assert (conflict.value.current_version, conflict.value.updated_by) == (2, str(experts.lu))
    assert conflict.value.updated_at == saved_at  # when the other window saved, not when this one failed
    assert conflict.value.message == "指导意见已在其他窗口保存过，您的修改未保存。请刷新页面后再合并。"
    assert Guidance.objects.get(pk=given.pk).summary == "汇" * 2000
    entry = AuditEntry.objects.get(action="schools.guidance.summary")
    assert (entry.actor_id, entry.data) == (leader.pk, {"guidance": given.pk, "chars": 2000})
    assert entry.object_id == str(given.plan.project_id)
    emptied = guidance.save_summary(actor=leader, guidance=given, summary=None, expected_version=2)
    assert Guidance.objects.get(pk=emptied.pk).summary == ""


def test_signing_needs_a_summary_and_ends_the_writing(given, experts):
    leader = experts.lu.user
    with pytest.raises(ServiceError) as refusal:
        guidance.sign(actor=leader, guidance=given)
    assert refusal.value.message == "请先填写指导意见建议汇总再签署。"
    assert refusal.value.errors == {"summary": ["请填写指导意见建议汇总。"]}
    guidance.save_summary(actor=leader, guidance=given, summary="建议发挥科组作用。", expected_version=1)
    guidance.sign(actor=leader, guidance=given)
    signed = Guidance.objects.get(pk=given.pk)
    assert signed.status == "signed" and signed.signed_at is not None
    entry = AuditEntry.objects.get(action="schools.guidance.sign")
    assert entry.changes == {"status": ["writing", "signed"]} and entry.data == {"guidance": given.pk}
    assert (entry.actor_id, entry.object_id) == (leader.pk, str(given.plan.project_id))
    with pytest.raises(ServiceError, match="^指导意见已由组长签署，不能再修改。$"):
        guidance.write_note(actor=experts.huang.user, guidance=given, text="晚到的意见")


def test_guidance_is_read_by_its_experts_and_the_levels_above_the_school_only(given, experts, tree, admin):
    from schools.selectors import visible_guidance

    county = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="g_county")
    other_county = make_user(Role.COUNTY_REVIEWER, tree.county_b, username="g_county_b")
    city = make_user(Role.CITY_REVIEWER, tree.city_a, username="g_city")
    for reader in (experts.lu.user, experts.huang.user, county, city, admin):
        assert list(visible_guidance(reader)) == [given], reader
    for outsider in (experts.qin.user, other_county, make_user(Role.CITY_REVIEWER, tree.city_c, username="g_lz")):
        assert not visible_guidance(outsider).exists(), outsider


def test_the_school_and_the_system_administrator_read_no_guidance_though_they_see_the_project(
    given,
    school,  # noqa: F811
    role_users,
):
    """Reading guidance needs the 指导 permission: seeing the project is not enough (the school meets the
    experts' opinion on its own plan page, not their panel)."""
    from schools.selectors import visible_guidance

    for reader in (school, role_users[Role.SYSTEM_ADMIN]):
        assert reader.has_perm("projects.view_project") and not reader.has_perm("schools.view_guidance")
        assert not visible_guidance(reader).exists(), reader


def test_a_reviewer_who_is_also_an_expert_reads_the_guidance_of_its_panel_outside_its_scope(
    submitted, admin, experts, tree
):
    """Both reaches add up: a 柳州 county reviewer on a 南宁 school's panel reads that guidance."""
    from schools.selectors import visible_guidance

    both = register_expert(
        actor=admin,
        user=make_user([Role.EXPERT, Role.COUNTY_REVIEWER], tree.county_c, username="g_both"),
        field="教育技术学",
        region=tree.city_c,
    )
    made = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[both])
    assert list(visible_guidance(both.user)) == [made]


def _queries_and_rows(client, url: str, rows) -> tuple[int, int]:
    """How many queries a list costs, and how many rows it shows (`rows` reads them off the response)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), rows(response)


def _second_panel(projects, tree, admin, experts, username):
    """Guidance on a second school's submitted plan (隆安县实验小学); returns it and the version it guides."""
    from schools import devplans

    b1 = make_user(Role.SCHOOL_APPLICANT, tree.school_b1, username=username)
    version = devplans.submit(actor=b1, plan=fill(devplans.plan_of(projects.b1), b1))
    made = guidance.assign(actor=admin, plan=version.plan, leader=experts.huang, members=[experts.lu, experts.qin])
    return made, version


def test_the_guidance_list_reads_the_same_number_of_queries_for_one_school_or_two(
    client, given, admin, experts, projects, tree
):
    client.force_login(admin)
    rows = lambda response: response.content.decode().count('data-testid="guidance-row"')  # noqa: E731
    before, shown = _queries_and_rows(client, "/schools/guidance/", rows)
    assert shown == 1
    _second_panel(projects, tree, admin, experts, "b1_planner")
    assert _queries_and_rows(client, "/schools/guidance/", rows) == (before, 2)


def test_the_guidance_api_list_reads_the_same_number_of_queries_for_one_panel_or_two(
    client, given, admin, experts, projects, tree
):
    """Each panel's people and the version that answered it come with the list, not one query per row."""
    client.force_login(admin)
    rows = lambda response: len(response.json())  # noqa: E731
    Guidance.objects.filter(pk=given.pk).update(answer=given.version)  # as if the school had answered it
    before, shown = _queries_and_rows(client, "/api/v1/guidance/", rows)
    assert shown == 1
    second, version = _second_panel(projects, tree, admin, experts, "b1_api_planner")
    Guidance.objects.filter(pk=second.pk).update(answer=version)
    assert _queries_and_rows(client, "/api/v1/guidance/", rows) == (before, 2)


def test_guidance_outside_the_readers_reach_is_a_404_that_says_so_in_chinese(client, given, experts):
    client.force_login(experts.qin.user)
    response = client.get(f"/api/v1/guidance/{given.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "指导意见不存在或不在您的范围内。"


def test_a_plan_not_yet_submitted_gets_no_panel_and_the_message_says_so(plan, admin, experts):  # noqa: F811
    with pytest.raises(ServiceError) as refusal:
        guidance.assign(actor=admin, plan=plan, leader=experts.lu, members=[experts.huang])
    assert refusal.value.message == "学校尚未提交发展规划，不能安排专家指导。"


def test_an_expert_taken_off_the_pool_is_no_longer_offered_or_accepted(submitted, admin, experts):
    from portal.experts.models import Expert

    Expert.objects.filter(pk=experts.huang.pk).update(is_active=False)
    assert experts.huang.pk not in {expert.pk for expert, _ in guidance.candidates(submitted.project)}
    huang = Expert.objects.get(pk=experts.huang.pk)
    assert _assign_errors(actor=admin, plan=submitted, leader=experts.lu, members=[huang]) == {
        "members": [f"{huang}不在本省专家库中。"]
    }


def test_the_panel_page_reads_the_same_number_of_queries_however_many_experts_the_pool_holds(
    client, submitted, admin, pool
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.experts.models import Expert

    client.force_login(admin)
    url = f"/projects/{submitted.project_id}/development-plan/"  # its panel form lists the pool

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    Expert.objects.filter(pk__in=[e.pk for e in pool[4:]]).update(is_active=False)
    assert count() == before


def test_an_expert_from_another_school_of_the_same_city_is_kept_off_the_panel(submitted, admin, experts):
    """回避 reaches the expert's whole city, not only the expert's own school."""
    offered = {expert.pk: conflict for expert, conflict in guidance.candidates(submitted.project)}
    assert offered[experts.wei.pk] is True and offered[experts.huang.pk] is False
    assert _assign_errors(actor=admin, plan=submitted, leader=experts.lu, members=[experts.wei]) == {
        "members": [f"{experts.wei}与{submitted.project.organisation.name}须回避（本单位或本地市）。"]
    }
