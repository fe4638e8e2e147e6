"""A school's 学校信息化教育教学发展规划 as a form definition (every heading and
table of the seed, autosave, versions, attachments, 409 between two editors, the schedule inside the
project's cycle), the 专家指导意见建议表 by a panel chosen with 回避 and signed by its leader, and the
school's revised version answering it with the differences shown."""

import json

import pytest

from portal.audit.models import AuditEntry
from portal.core import fixtures
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec.registry import choices, latest
from portal.orgs.choices import Role
from schools import devplans, guidance
from schools.demo import _raw
from schools.models import GuidanceStatus
from tests.factories import make_user

# The seed's headings and the columns of its two people tables, as printed.
SEED_HEADINGS = [
    "学校信息化应用模式",
    "单位名称",
    "通讯地址",
    "邮编",
    "学校信息化负责人",
    "信息化管理团队",
    "学校信息化教育教学概况",
    "学校信息化教育教学发展目标",
    "教师信息技术应用能力建设情况",
    "学校信息化教育教学三年实施安排",
]
PEOPLE_COLUMNS = ["姓名", "性别", "电话", "职务", "职称", "电子邮箱"]


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_school", real_name="黄丽清")


@pytest.fixture
def plan(projects):
    return devplans.plan_of(projects.a1)  # a1 runs 2026-03-01 … 2029-02-28


def seed_values() -> dict:
    """The demo school's plan (the seed's text), with a schedule inside a1's cycle."""
    values = json.loads(json.dumps(fixtures.read_json("projects/xiangtou-devplan.json")["values"]))
    values["schedule"] = [
        {"start": "2026.3", "end": "2027.2", "theme": "培训先行，校本研修", "tasks": "全员培训"},
        {"start": "2027.3", "end": "2028.2", "theme": "实验探索，落实应用", "tasks": "课题研究"},
        {"start": "2028.3", "end": "2029.2", "theme": "示范引领，品牌辐射", "tasks": "示范辐射"},
    ]
    return values


def fill(plan, actor, values=None):
    plan = devplans.save_draft(
        actor=actor,
        plan=plan,
        raw=_raw(plan.schema.definition, values or seed_values()),
        expected_version=plan.lock_version,
    )
    return plan


def test_the_definition_carries_every_heading_and_table_of_the_seed():
    definition = latest("school_dev_plan")
    labels = {spec["label"] for spec in definition["fields"].values()}
    printed = labels | {s["title"] for s in definition["sections"]}
    for heading in SEED_HEADINGS:
        assert heading in printed, heading
    assert [c["label"] for c in definition["fields"]["team"]["columns"]] == PEOPLE_COLUMNS
    lead_row = definition["sections"][1]["items"][0]["rows"][0]
    assert [c["label"] for c in lead_row] == PEOPLE_COLUMNS
    assert {"一年绩效目标", "三年发展愿景", "主要任务", "保障措施"} <= labels
    assert dict(definition["fields"]["mode"]["choices"]) == {"smart": "智慧教育", "multi": "多技术融合"}
    # A project's document, never offered as a call's application form.
    assert "school_dev_plan" not in dict(choices())


def test_the_draft_keeps_what_was_typed_and_errors_are_at_the_field_in_chinese(client, plan, school):
    client.force_login(school)
    values = seed_values()
    values["team"][0]["phone"] = "12345"
    values["lead_email"] = "not-an-email"
    values["schedule"][2]["end"] = "2031.8"
    values["schedule"][1]["start"] = "明年"
    raw = _raw(plan.schema.definition, values)
    response = client.post(
        f"/projects/{plan.project_id}/development-plan/",
        {**raw, "_lock_version": plan.lock_version, "action": "submit"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "「信息化管理团队第1行电话」请填写手机号码或固定电话" in page
    assert "请填写「电话」" not in page  # a refused cell is not also called missing
    assert "「信息化负责人电子邮箱」请填写有效的电子邮件地址" in page
    assert "2031.8 不在项目实施周期（2026.3–2029.2）内" in page
    assert "三年实施安排第2行起始年月：“明年”不是年月，请写作 2020.9。" in page
    plan.refresh_from_db()
    assert plan.data["team__0__phone"] == "12345" and plan.data["schedule__2__end"] == "2031.8"  # nothing lost
    assert plan.version_count == 0 and not plan.versions.exists()


def test_a_reversed_stage_is_refused_at_its_end_cell(plan, school):
    values = seed_values()
    values["schedule"][0] = {"start": "2027.1", "end": "2026.9", "theme": "x", "tasks": "x"}
    plan = fill(plan, school, values)
    with pytest.raises(ServiceError) as refused:
        devplans.submit(actor=school, plan=plan)
    assert refused.value.errors["schedule__0__end"] == ["三年实施安排第1行：截止年月不能早于起始年月。"]


def test_two_editors_conflict_but_one_editors_own_saves_do_not(plan, school, tree):
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="程马峰")
    start = plan.lock_version
    plan = devplans.save_draft(
        actor=school, plan=plan, raw={"principal": "叶艳兰"}, expected_version=start, editor="tab-1"
    )
    # The same browser session's next save, still naming the old version (an upload raced the autosave).
    devplans.save_draft(
        actor=school, plan=plan, raw={"principal": "叶艳兰校长"}, expected_version=start, editor="tab-1"
    )
    with pytest.raises(Conflict) as conflict:
        devplans.save_draft(actor=colleague, plan=plan, raw={"principal": "程"}, expected_version=start, editor="tab-2")
    assert "黄丽清 已于" in conflict.value.message and "您的修改未保存" in conflict.value.message
    plan.refresh_from_db()
    assert plan.data["principal"] == "叶艳兰校长"


def test_autosave_answers_json_409_and_401(client, plan, school, tree):
    url = f"/projects/{plan.project_id}/development-plan/autosave/"
    assert client.post(url, {"principal": "x", "_lock_version": 1}).status_code == 401
    client.force_login(school)
    ok = client.post(url, {"principal": "叶艳兰", "_lock_version": plan.lock_version})
    assert ok.status_code == 200 and ok.json()["lock_version"] == plan.lock_version + 1
    other = make_user(Role.SCHOOL_APPLICANT, tree.school_a1)
    client.force_login(other)
    stale = client.post(url, {"principal": "别人", "_lock_version": plan.lock_version})
    assert stale.status_code == 409 and "未保存" in stale.json()["error"]
    assert client.post(url, {"principal": "x"}).status_code == 400


def test_submission_freezes_a_version_with_its_files_and_is_audited(plan, school):
    from portal.core.samples import blank_pdf

    plan = fill(plan, school)
    devplans.add_file(actor=school, plan=plan, name="学校信息化现状.pdf", data=blank_pdf())
    version = devplans.submit(actor=school, plan=plan)
    assert version.number == 1 and len(version.sha256) == 64
    assert version.content["values"]["team"][3]["phone"] == "0769-83011234"
    assert [a["name"] for a in version.content["attachments"]] == ["学校信息化现状.pdf"]
    with pytest.raises(PermissionError):
        version.save()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"schools.devplan.save", "schools.devplan.file_add", "schools.devplan.submit"} <= actions


def test_a_disguised_or_empty_file_is_refused(plan, school):
    with pytest.raises(ServiceError, match="空文件"):
        devplans.add_file(actor=school, plan=plan, name="a.pdf", data=b"")
    with pytest.raises(ServiceError):
        devplans.add_file(actor=school, plan=plan, name="规划.pdf", data=b"MZ\x90\x00 not a pdf at all")
    assert not plan.files.exists()


def test_only_the_school_edits_its_plan(plan, role_users):
    for role in (Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN):
        with pytest.raises(PermissionError):
            devplans.save_draft(actor=role_users[role], plan=plan, raw={"principal": "x"}, expected_version=1)


# ---- 专家指导意见建议表 ----


@pytest.fixture
def submitted(plan, school):
    devplans.submit(actor=school, plan=fill(plan, school))
    plan.refresh_from_db()
    return plan


def test_the_panel_is_chosen_with_avoidance(submitted, experts, admin):
    pool = {e.pk: conflict for e, conflict in guidance.candidates(submitted.project)}
    assert pool[experts.wei.pk] is True  # works at a 南宁 school: a1 is in 南宁
    assert pool[experts.lu.pk] is False
    with pytest.raises(ServiceError) as refused:
        guidance.assign(actor=admin, plan=submitted, leader=experts.wei, members=[experts.huang])
    assert "须回避" in refused.value.errors["leader"][0]
    with pytest.raises(ServiceError) as refused:
        guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[])
    assert refused.value.errors["members"] == ["请至少选择一名指导专家团队成员。"]
    made = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang, experts.qin])
    assert made.version.number == 1 and set(made.members.all()) == {experts.huang, experts.qin}
    with pytest.raises(ServiceError, match="已安排专家指导"):
        guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])


def test_a_county_cannot_form_a_panel_and_a_plan_without_a_version_gets_none(plan, role_users, experts, admin):
    with pytest.raises(PermissionError):
        guidance.assign(actor=role_users[Role.COUNTY_REVIEWER], plan=plan, leader=experts.lu, members=[experts.huang])
    with pytest.raises(ServiceError, match="尚未提交"):
        guidance.assign(actor=admin, plan=plan, leader=experts.lu, members=[experts.huang])


def test_guidance_to_revision_whole_cycle(client, submitted, school, experts, admin):
    given = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])
    # Members note, only the leader sums up and signs; nobody else writes.
    given = guidance.write_note(actor=experts.huang.user, guidance=given, text="建议发挥各科组的作用。")
    with pytest.raises(PermissionError):
        guidance.save_summary(actor=experts.huang.user, guidance=given, summary="x", expected_version=1)
    with pytest.raises(PermissionError):
        guidance.write_note(actor=experts.qin.user, guidance=given, text="不在本组")
    with pytest.raises(ServiceError) as empty:
        guidance.sign(actor=experts.lu.user, guidance=given)
    assert empty.value.errors == {"summary": ["请填写指导意见建议汇总。"]}
    given = guidance.save_summary(
        actor=experts.lu.user,
        guidance=given,
        expected_version=given.lock_version,
        summary="规划条理清晰。建议发挥教科研组和各科组的重要作用。",
    )
    with pytest.raises(Conflict):
        guidance.save_summary(actor=experts.lu.user, guidance=given, summary="旧窗口", expected_version=1)
    # Before signing the school does not see the table.
    client.force_login(school)
    page = client.get(f"/projects/{submitted.project_id}/development-plan/").content.decode()
    assert "规划条理清晰" not in page
    guidance.sign(actor=experts.lu.user, guidance=given)
    with pytest.raises(ServiceError, match="已由组长签署"):
        guidance.write_note(actor=experts.huang.user, guidance=given, text="签署之后")
    page = client.get(f"/projects/{submitted.project_id}/development-plan/").content.decode()
    assert "规划条理清晰" in page and "指导专家组长" in page and "陆教授" in page
    # The school answers with a revised version: the guidance records it and the page shows the change.
    plan = devplans.save_draft(
        actor=school,
        plan=submitted,
        raw={"tasks": "4、发挥教科研组和各科组的作用。"},
        expected_version=submitted.lock_version,
    )
    answer = devplans.submit(actor=school, plan=plan)
    given.refresh_from_db()
    assert given.status == GuidanceStatus.ANSWERED and given.answer == answer and answer.number == 2
    page = client.get(f"/projects/{submitted.project_id}/development-plan/").content.decode()
    assert "第 1 版 → 第 2 版" in page and "4、发挥教科研组和各科组的作用。" in page
    changes = client.get(f"/projects/{submitted.project_id}/development-plan/versions/2/").content.decode()
    assert "与第 1 版相比" in changes and "主要任务" in changes
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "schools.guidance.assign",
        "schools.guidance.note",
        "schools.guidance.summary",
        "schools.guidance.sign",
    } <= actions


def test_experts_read_the_plan_with_contacts_masked_and_only_when_assigned(client, submitted, experts, admin):
    given = guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])
    client.force_login(experts.huang.user)
    page = client.get(f"/schools/guidance/{given.pk}/").content.decode()
    assert "叶艳兰" in page and "0769-83011234" not in page and "yeyl@demo.pilot.edu.cn" not in page
    assert "（评审时不显示）" in page
    client.force_login(experts.qin.user)  # not on the panel
    assert client.get(f"/schools/guidance/{given.pk}/").status_code == 404
    assert client.get(f"/projects/{submitted.project_id}/development-plan/").status_code == 403
    # The city reads the whole contacts; the county (a role that masks) does not.
    client.force_login(admin)
    assert "0769-83011234" in client.get(f"/projects/{submitted.project_id}/development-plan/").content.decode()


def test_the_page_reads_a_constant_number_of_queries(client, submitted, school, experts, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/projects/{submitted.project_id}/development-plan/"
    client.force_login(admin)
    guidance.assign(actor=admin, plan=submitted, leader=experts.lu, members=[experts.huang])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        plan = devplans.save_draft(
            actor=school, plan=submitted, raw={"principal": f"校长{_}"}, expected_version=submitted.lock_version
        )
        submitted.refresh_from_db()
        devplans.submit(actor=school, plan=plan)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) <= len(one) + 2, [q["sql"] for q in four.captured_queries]
