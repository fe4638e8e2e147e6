"""延期 through its services, rule by rule: each row of the revised schedule is checked where it stands
(第N行), blank rows are skipped, a stage may last one day and must lie inside the extended cycle from its
first day to its last; at most twelve stages; a refusal needs its reason; an approval appends the stages
after the project's own, moves the end, and is audited; the years follow the calendar (29 February)."""

from __future__ import annotations

from datetime import date

import pytest

from budgets.models import Stage
from evaluation import extensions
from evaluation.models import Extension, ExtensionStatus
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from portal.programmes.choices import ProjectStatus
from tests.factories import make_user

ROW = {"name": "延期阶段", "starts_on": "2029-03-01", "ends_on": "2030-02-28", "work": "完成剩余任务"}


@pytest.fixture
def people(tree, role_users):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="ext_school"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="ext_county"),
            "admin": role_users[Role.PROVINCE_ADMIN],
        },
    )


def _refused_schedule(people, project, rows) -> list[str]:
    with pytest.raises(ServiceError) as refusal:
        extensions.request(actor=people.school, project=project, years=1, reasons="进度受影响。", schedule=rows)
    return refusal.value.errors["schedule"]


def test_each_row_is_refused_at_its_own_number(people, projects):
    rows = [
        ROW,
        {**ROW, "name": ""},
        {**ROW, "starts_on": "2029/3/1"},
        {**ROW, "ends_on": "2029-02-28"},
        {**ROW, "starts_on": "2029-03-01", "ends_on": "2030-03-01"},
    ]
    assert _refused_schedule(people, projects.a1, rows) == [
        "第2行：请填写阶段名称。",
        "第3行：请填写有效的开始和结束日期，如 2025-09-01。",
        "第4行：结束日期不能早于开始日期。",
        "第5行：日期须在延期后的实施周期内（2026-03-01 至 2030-02-28）。",
    ]


def test_a_stage_that_starts_before_the_project_is_refused(people, projects):
    assert _refused_schedule(people, projects.a1, [{**ROW, "starts_on": "2026-02-28"}]) == [
        "第1行：日期须在延期后的实施周期内（2026-03-01 至 2030-02-28）。"
    ]


def test_blank_rows_are_skipped_and_a_row_with_anything_in_it_is_checked(people, projects):
    assert _refused_schedule(people, projects.a1, []) == ["请填写调整后的实施安排（至少一个阶段）。"]
    assert _refused_schedule(people, projects.a1, [{}, {"name": " ", "work": ""}]) == [
        "请填写调整后的实施安排（至少一个阶段）。"
    ]
    for only in ({"work": "只写了工作"}, {"starts_on": "2029-03-01"}, {"ends_on": "2029-03-01"}):
        assert _refused_schedule(people, projects.a1, [only]) == ["第1行：请填写有效的开始和结束日期，如 2025-09-01。"]


def test_a_one_day_stage_on_the_first_and_the_last_day_is_kept_and_texts_are_cut_to_their_length(people, projects):
    rows = [
        {"name": "名" * 150, "starts_on": "2026-03-01", "ends_on": "2026-03-01", "work": "事" * 1200},
        {"name": "收尾", "starts_on": "2030-02-28", "ends_on": "2030-02-28", "work": ""},
    ]
    ext = extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=rows)
    assert [(len(r["name"]), len(r["work"]), r["starts_on"], r["ends_on"]) for r in ext.schedule] == [
        (100, 1000, "2026-03-01", "2026-03-01"),
        (2, 0, "2030-02-28", "2030-02-28"),
    ]


def test_twelve_stages_are_the_most(people, projects):
    twelve = [{**ROW, "name": f"阶段{i}"} for i in range(12)]
    assert (
        len(
            extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=twelve).schedule
        )
        == 12
    )
    Extension.objects.all().delete()
    assert _refused_schedule(people, projects.a1, twelve + [ROW]) == ["实施安排最多 12 个阶段。"]


def test_a_refusal_needs_its_reason_and_changes_nothing(people, projects):
    ext = extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=[ROW])
    ext = extensions.recommend(actor=people.county, extension=ext, agree=True, text="同意。")
    with pytest.raises(ServiceError) as refusal:
        extensions.decide(actor=people.admin, extension=ext, approve=False, note="  ")
    assert refusal.value.errors == {"decision_note": ["请填写不予批准的理由。"]}
    extensions.decide(actor=people.admin, extension=ext, approve=False, note="理由不充分。")
    ext = Extension.objects.get(pk=ext.pk)
    projects.a1.refresh_from_db()
    assert (ext.status, ext.decision_note, ext.decided_by) == (ExtensionStatus.REFUSED, "理由不充分。", people.admin)
    assert (projects.a1.status, projects.a1.extended_ends_on) == (ProjectStatus.RUNNING, None)
    assert not Stage.objects.filter(project=projects.a1).exists()
    entry = AuditEntry.objects.get(action="evaluation.extension.decide")
    assert (entry.actor_id, entry.object_id) == (people.admin.pk, str(projects.a1.pk))
    assert entry.changes == {"status": ["recommended", "refused"]}
    assert entry.data == {"extension": ext.pk, "note": "理由不充分。"}
    assert not AuditEntry.objects.filter(action="projects.extend").exists()


def test_an_approval_appends_the_stages_after_the_projects_own_and_moves_the_end(people, projects):
    Stage.objects.create(
        project=projects.a1, number=1, name="筹备", starts_on=date(2026, 3, 1), ends_on=date(2026, 8, 31)
    )
    Stage.objects.create(
        project=projects.a1, number=2, name="实施", starts_on=date(2026, 9, 1), ends_on=date(2029, 2, 28)
    )
    rows = [ROW, {**ROW, "name": "总结", "starts_on": "2030-01-01"}]
    ext = extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=rows)
    ext = extensions.recommend(actor=people.county, extension=ext, agree=True, text="同意。")
    extensions.decide(actor=people.admin, extension=ext, approve=True)
    stages = list(
        Stage.objects.filter(project=projects.a1)
        .order_by("number")
        .values_list("number", "name", "starts_on", "ends_on", "work")
    )
    assert stages[2:] == [
        (3, "延期阶段", date(2029, 3, 1), date(2030, 2, 28), "完成剩余任务"),
        (4, "总结", date(2030, 1, 1), date(2030, 2, 28), "完成剩余任务"),
    ]
    extend = AuditEntry.objects.get(action="projects.extend")
    assert (extend.actor_id, extend.object_id) == (people.admin.pk, str(projects.a1.pk))
    assert extend.changes == {"ends": ["2029-02-28", "2030-02-28"], "status": [None, "extended"]}
    assert extend.data == {"extension": ext.pk}
    assert AuditEntry.objects.get(action="evaluation.extension.decide").changes == {
        "status": ["recommended", "approved"]
    }


@pytest.mark.parametrize(
    "day, years, expected",
    [
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2029, 2, 28), 1, date(2030, 2, 28)),
        (date(2029, 2, 28), 0, date(2029, 2, 28)),
    ],
)
def test_years_follow_the_calendar(day, years, expected):
    assert extensions.plus_years(day, years) == expected


def test_a_project_without_stages_gets_the_extensions_stages_from_number_one(people, projects):
    ext = extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=[ROW])
    extensions.decide(
        actor=people.admin,
        approve=True,
        extension=extensions.recommend(actor=people.county, extension=ext, agree=True, text="同意。"),
    )
    assert list(Stage.objects.filter(project=projects.a1).values_list("number", "name")) == [(1, "延期阶段")]


def test_a_request_names_each_problem_at_its_field_and_is_audited_and_told(people, projects):
    from portal.notifications.models import Kind, Notification

    with pytest.raises(ServiceError) as refusal:
        extensions.request(actor=people.school, project=projects.a1, years="一年", reasons="", schedule=[ROW])
    assert refusal.value.message == "延期申请有内容需要修改。"
    assert refusal.value.errors == {"years": ["请填写延期年限（整数年）。"], "reasons": ["请填写延期理由。"]}
    with pytest.raises(ServiceError) as refusal:
        extensions.request(actor=people.school, project=projects.a1, years=1, reasons="由" * 1001, schedule=[ROW])
    assert refusal.value.errors == {"reasons": ["延期理由不能超过 1000 字（现为 1001 字）。"]}
    ext = extensions.request(actor=people.school, project=projects.a1, years=" 1 ", reasons="由" * 1000, schedule=[ROW])
    assert (ext.years, len(ext.reasons), ext.requested_by, ext.status) == (
        1,
        1000,
        people.school,
        ExtensionStatus.REQUESTED,
    )
    entry = AuditEntry.objects.get(action="evaluation.extension.request")
    assert (entry.actor_id, entry.object_id) == (people.school.pk, str(projects.a1.pk))
    assert entry.data == {"extension": ext.pk, "years": 1, "stages": 1}
    note = Notification.objects.get(user=people.county)
    assert (note.kind, note.title, note.url) == (
        Kind.TO_REVIEW,
        f"{projects.a1.title}：申请延期 1 年",
        f"/projects/{projects.a1.pk}/evaluation/",
    )
    with pytest.raises(ServiceError) as refusal:
        extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=[ROW])
    assert refusal.value.message == "已有一份延期申请正在办理。"


@pytest.mark.parametrize("agree, status", [(True, ExtensionStatus.RECOMMENDED), (False, ExtensionStatus.REFUSED)])
def test_the_level_above_recommends_or_refuses_with_its_opinion(people, projects, agree, status):
    ext = extensions.request(actor=people.school, project=projects.a1, years=1, reasons="x", schedule=[ROW])
    with pytest.raises(ServiceError) as refusal:
        extensions.recommend(actor=people.county, extension=ext, agree=agree, text=" ")
    assert (refusal.value.message, refusal.value.errors) == (
        "请填写推荐意见。",
        {"recommendation": ["请填写推荐意见。"]},
    )
    extensions.recommend(actor=people.county, extension=ext, agree=agree, text="情况属实。")
    ext = Extension.objects.get(pk=ext.pk)
    assert (ext.status, ext.recommendation, ext.recommended_by) == (status, "情况属实。", people.county)
    entry = AuditEntry.objects.get(action="evaluation.extension.recommend")
    assert (entry.actor_id, entry.object_id) == (people.county.pk, str(projects.a1.pk))
    assert entry.changes == {"status": ["requested", status]} and entry.data == {"extension": ext.pk}
    with pytest.raises(ServiceError) as refusal:
        extensions.recommend(actor=people.county, extension=ext, agree=True, text="再次推荐。")
    assert refusal.value.message == "该延期申请不在待推荐状态。"
