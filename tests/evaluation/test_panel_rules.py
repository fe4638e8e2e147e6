"""Assigning round experts by hand and stepping aside (回避), rule by rule: only a member of the round's
panel, only a filed entry, never an expert of the project's own unit or city, never twice; each
assignment audited and told to the expert. An expert steps aside from their own open sheet only, with
a reason (trimmed, at most 300 characters); the entry goes at once to another eligible member, the
round's organiser is told — and told when nobody is left to take it."""

from __future__ import annotations

import pytest

from evaluation import panel
from evaluation.models import EntryStatus, EvaluationScore, RoundEntry, ScoreStatus
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind, Notification
from tests.evaluation.test_cycle import file_self_evaluation, open_round, through_chain


@pytest.fixture
def round_(people, calls, experts, projects):
    return open_round(people, calls, experts, chosen=[projects.a1])


@pytest.fixture
def filed(people, round_):
    """The 兴宁区 school's entry, filed through the county and the city: its eligible experts are 陆, 黄 and 覃
    (韦 works at a school of the same city and must step aside)."""
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    entry = through_chain(entry, people.county, people.city)
    assert entry.status == EntryStatus.FILED
    return entry


def _refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call()
    return refused.value


def test_a_hand_assignment_is_audited_and_told_to_the_expert(people, experts, filed, round_):
    sheet = panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    assert sheet.entry_id == filed.pk and sheet.expert_id == experts.lu.pk and sheet.status == ScoreStatus.ASSIGNED
    entry = AuditEntry.objects.get(action="evaluation.assign")
    assert entry.data == {"pairs": [[filed.pk, experts.lu.pk]], "how": "manual"} and entry.object_id == str(round_.pk)
    told = Notification.objects.get(user=experts.lu.user)
    assert told.kind == Kind.TO_REVIEW and told.title == f"{round_.title}：新分配 1 份评估任务"
    assert told.url == "/evaluation/tasks/"


def test_only_a_member_of_the_rounds_panel(people, experts, filed, tree, admin):
    from portal.experts.services.pool import register_expert
    from portal.orgs.choices import Role
    from tests.factories import make_user

    outsider = register_expert(
        actor=admin, user=make_user(Role.EXPERT, tree.university, username="库外专家"), field="教育技术学"
    )
    for expert in (None, outsider):
        refused = _refusal(lambda expert=expert: panel.assign_one(actor=people.admin, entry=filed, expert=expert))
        assert refused.message == "该专家不是本专家组的在库成员。"
        assert refused.errors == {"expert": ["请选择本专家组的成员。"]}
    assert not EvaluationScore.objects.exists()


def test_only_a_filed_entry(people, experts, round_):
    refused = _refusal(lambda: panel.assign_one(actor=people.admin, entry=round_.entries.get(), expert=experts.lu))
    assert refused.message == "只有待专家评审的项目可以分配专家。"


def test_never_an_expert_of_the_projects_city(people, experts, filed):
    refused = _refusal(lambda: panel.assign_one(actor=people.admin, entry=filed, expert=experts.wei))
    assert refused.message == f"{experts.wei}与{filed.project.organisation.name}属同一单位或同一地市，须回避。"
    assert refused.errors == {"expert": ["须回避。"]}
    assert not EvaluationScore.objects.exists()


def test_never_the_same_expert_twice(people, experts, filed):
    panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    refused = _refusal(lambda: panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu))
    assert refused.message == f"{experts.lu}已分配过该项目（或已申请回避）。" and refused.errors == {
        "expert": ["已分配过。"]
    }
    assert EvaluationScore.objects.filter(entry=filed).count() == 1


def test_an_expert_steps_aside_from_their_own_open_sheet_only(people, experts, filed):
    lu = panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    with pytest.raises(PermissionError):
        panel.declare_conflict(actor=experts.huang.user, sheet=lu, reason="代为申请")
    refused = _refusal(lambda: panel.declare_conflict(actor=experts.lu.user, sheet=lu, reason=" \x00 "))
    assert refused.message == "请说明回避理由。"
    assert refused.errors == {"reason": ["请说明回避理由（如：曾参与该项目方案编写）。"]}
    panel.save_sheet(
        actor=experts.lu.user, sheet=lu, points={"1": "50", "2": "30"}, comments={}, comment="良好。", submit=True
    )
    refused = _refusal(
        lambda: panel.declare_conflict(
            actor=experts.lu.user, sheet=EvaluationScore.objects.get(pk=lu.pk), reason="曾参与方案编写"
        )
    )
    assert refused.message == "已提交评分的任务不能再申请回避。"
    assert EvaluationScore.objects.get(pk=lu.pk).status == ScoreStatus.SUBMITTED


def test_no_stepping_aside_once_the_entry_has_left_the_experts(people, experts, filed):
    lu = panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    RoundEntry.objects.filter(pk=filed.pk).update(status=EntryStatus.SCORED)
    refused = _refusal(lambda: panel.declare_conflict(actor=experts.lu.user, sheet=lu, reason="曾参与方案编写"))
    assert refused.message == "已提交评分的任务不能再申请回避。"


def test_stepping_aside_keeps_the_reason_audits_and_hands_the_entry_on(people, experts, filed, round_):
    panel.assign_one(actor=people.admin, entry=filed, expert=experts.huang)
    lu = panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    reason = "  曾参与该项目方案编写\x00" + "。" * 400
    current = panel.declare_conflict(actor=experts.lu.user, sheet=lu, reason=reason)
    kept = ("曾参与该项目方案编写" + "。" * 400)[:300]
    assert current.status == ScoreStatus.CONFLICT and EvaluationScore.objects.get(pk=lu.pk).conflict_reason == kept
    logged = AuditEntry.objects.get(action="evaluation.conflict")
    assert logged.data == {"entry": filed.pk, "expert": experts.lu.pk, "reason": kept}
    assert logged.object_id == str(filed.project_id)
    # 覃 is the one eligible member not yet on the entry: the entry goes to him at once.
    sheets = dict(EvaluationScore.objects.filter(entry=filed).values_list("expert_id", "status"))
    assert sheets == {
        experts.huang.pk: ScoreStatus.ASSIGNED,
        experts.lu.pk: ScoreStatus.CONFLICT,
        experts.qin.pk: ScoreStatus.ASSIGNED,
    }
    handed = AuditEntry.objects.filter(action="evaluation.assign").latest("pk")
    assert handed.data == {"pairs": [[filed.pk, experts.qin.pk]], "how": "reassign"}
    told = Notification.objects.get(user=people.admin, title__endswith="申请回避")
    assert told.title == f"{round_.title}：{experts.lu}申请回避" and told.body == kept
    assert told.url == f"/evaluation/entries/{filed.pk}/" and told.kind == Kind.TO_REVIEW


def test_the_organiser_is_told_when_nobody_is_left_to_take_the_entry(people, experts, filed, round_):
    for expert in (experts.huang, experts.qin):
        panel.assign_one(actor=people.admin, entry=filed, expert=expert)
    lu = panel.assign_one(actor=people.admin, entry=filed, expert=experts.lu)
    panel.declare_conflict(actor=experts.lu.user, sheet=lu, reason="曾参与方案编写")
    assert EvaluationScore.objects.filter(entry=filed, status=ScoreStatus.ASSIGNED).count() == 2  # 韦 never
    told = Notification.objects.get(user=people.admin, title__endswith="申请回避")
    assert told.body == "曾参与方案编写（无可替换的专家，请手工分配）"


# ---- across entries, and who takes a handed-on entry ----------------------------------------------


@pytest.fixture
def wide(people, calls, experts, projects, tree, admin):
    """A round over the 兴宁区 and 隆安县 schools (both in 南宁) whose panel has a fifth member at the
    university, so that an entry handed on has two eligible takers to choose between."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation import rounds
    from portal.experts.services.pool import register_expert
    from portal.orgs.choices import Role
    from tests.evaluation.test_cycle import CRITERIA
    from tests.factories import make_user

    mo = register_expert(
        actor=admin,
        user=make_user(Role.EXPERT, tree.university, username="莫教授", real_name="莫教授"),
        field="教育技术学",
    )
    round_ = rounds.open_round(
        actor=people.admin,
        call=calls.guangxi,
        kind="midterm",
        title="2026年中期评估（扩组）",
        selection="chosen",
        self_due_at=timezone.now() + timedelta(days=10),
        review_due_at=timezone.now() + timedelta(days=20),
        criteria=[dict(c) for c in CRITERIA],
        leader=experts.huang,
        members=[experts.lu, experts.huang, experts.qin, experts.wei, mo],
        chosen=[projects.b1.pk, projects.a1.pk],
        experts_per_project=2,
    )
    entries = {}
    for project, school in ((projects.b1, people.school_b), (projects.a1, people.school)):
        entry = round_.entries.get(project=project)
        file_self_evaluation(entry, school)
        county = people.county_b if project == projects.b1 else people.county
        entries[project.pk] = through_chain(entry, county, people.city)
    return type("Wide", (), {"round": round_, "a1": entries[projects.a1.pk], "b1": entries[projects.b1.pk], "mo": mo})


def test_an_expert_on_one_entry_may_still_be_given_another(people, experts, wide):
    panel.assign_one(actor=people.admin, entry=wide.b1, expert=experts.lu)
    sheet = panel.assign_one(actor=people.admin, entry=wide.a1, expert=experts.lu)
    assert sheet.entry_id == wide.a1.pk
    assert all(e.actor_username == people.admin.username for e in AuditEntry.objects.filter(action="evaluation.assign"))


def test_a_handed_on_entry_goes_to_the_least_loaded_eligible_member_only(people, experts, wide):
    # 覃 already scores the 隆安 entry; 莫 scores nothing. Both may take the 兴宁 entry.
    panel.assign_one(actor=people.admin, entry=wide.b1, expert=experts.qin)
    panel.assign_one(actor=people.admin, entry=wide.a1, expert=experts.huang)
    lu = panel.assign_one(actor=people.admin, entry=wide.a1, expert=experts.lu)
    panel.declare_conflict(actor=experts.lu.user, sheet=lu, reason="曾参与方案编写")
    on_a1 = dict(EvaluationScore.objects.filter(entry=wide.a1).values_list("expert_id", "status"))
    assert on_a1 == {
        experts.huang.pk: ScoreStatus.ASSIGNED,
        experts.lu.pk: ScoreStatus.CONFLICT,
        wide.mo.pk: ScoreStatus.ASSIGNED,
    }
    logged = AuditEntry.objects.filter(action="evaluation.assign").latest("pk")
    assert logged.data == {"pairs": [[wide.a1.pk, wide.mo.pk]], "how": "reassign"}
    assert logged.object_id == str(wide.round.pk) and logged.actor_username == experts.lu.user.username
    conflict = AuditEntry.objects.get(action="evaluation.conflict")
    assert conflict.actor_username == experts.lu.user.username


def test_who_is_on_the_entry_is_read_by_expert_not_by_sheet(people, experts, wide):
    # Sheets made first on the 隆安 entry push the 兴宁 entry's sheet numbers past the experts' numbers,
    # so that a rule reading sheet numbers for experts would hand the entry to someone already on it.
    for expert in (experts.huang, experts.lu, wide.mo):
        panel.assign_one(actor=people.admin, entry=wide.b1, expert=expert)
    panel.assign_one(actor=people.admin, entry=wide.a1, expert=experts.qin)
    panel.assign_one(actor=people.admin, entry=wide.a1, expert=wide.mo)
    huang = panel.assign_one(actor=people.admin, entry=wide.a1, expert=experts.huang)
    panel.declare_conflict(actor=experts.huang.user, sheet=huang, reason="曾参与方案编写")
    on_a1 = dict(EvaluationScore.objects.filter(entry=wide.a1).values_list("expert_id", "status"))
    assert on_a1 == {
        experts.qin.pk: ScoreStatus.ASSIGNED,
        wide.mo.pk: ScoreStatus.ASSIGNED,
        experts.huang.pk: ScoreStatus.CONFLICT,
        experts.lu.pk: ScoreStatus.ASSIGNED,
    }


# ---- 专家组意见 ----


def test_the_panel_opinion_is_signed_only_by_the_leader_with_a_text_of_at_most_a_thousand_characters(
    people, experts, filed, round_
):
    from tests.evaluation.test_cycle import score_all

    leader = experts.huang.user
    for who in (experts.lu.user, people.admin):
        with pytest.raises(PermissionError):
            panel.sign_opinion(actor=who, entry=filed, text="同意。")
    for text, message, error in (
        (None, "请填写专家组意见。", "请填写专家组意见。"),
        (" \x00 ", "请填写专家组意见。", "请填写专家组意见。"),
        ("意" * 1001, "意见过长。", "专家组意见不能超过 1000 字。"),
    ):
        refused = _refusal(lambda text=text: panel.sign_opinion(actor=leader, entry=filed, text=text))
        assert (refused.message, refused.errors) == (message, {"panel_opinion": [error]})
    assert _refusal(lambda: panel.sign_opinion(actor=leader, entry=filed, text="同意。")).message == (
        "该项目尚未分配评审专家。"
    )
    panel.assign(actor=people.admin, round_=round_)
    assert _refusal(lambda: panel.sign_opinion(actor=leader, entry=filed, text="同意。")).message == (
        "尚有 2 位专家未提交评分，不能签署。"
    )
    score_all(round_)
    version = RoundEntry.objects.get(pk=filed.pk).lock_version
    signed = panel.sign_opinion(actor=leader, entry=filed, text="意\x00" * 1000, expected_version=version)
    stored = RoundEntry.objects.get(pk=filed.pk)
    assert stored.panel_opinion == "意" * 1000 and stored.status == EntryStatus.SCORED
    assert stored.lock_version == version + 1 == signed.lock_version and stored.opinion_signed_at is not None
    entry = AuditEntry.objects.get(action="evaluation.panel.sign")
    assert (entry.actor_id, entry.object_id) == (leader.pk, str(filed.project_id))
    assert entry.changes == {"status": ["filed", "scored"]} and entry.data == {"entry": filed.pk}
    assert _refusal(lambda: panel.sign_opinion(actor=leader, entry=filed, text="再签一次。")).message == (
        "该项目不在专家评审阶段。"
    )


def test_a_stale_signature_is_a_conflict_naming_the_current_version(people, experts, filed, round_):
    from portal.core.exceptions import Conflict
    from tests.evaluation.test_cycle import score_all

    panel.assign(actor=people.admin, round_=round_)
    score_all(round_)
    current = RoundEntry.objects.get(pk=filed.pk)
    with pytest.raises(Conflict) as conflict:
        panel.sign_opinion(
            actor=experts.huang.user, entry=filed, text="同意。", expected_version=current.lock_version - 1
        )
    assert conflict.value.message == "该项目已有更新，请刷新后再签署。"
    assert (conflict.value.current_version, conflict.value.updated_at) == (current.lock_version, current.updated_at)
    assert RoundEntry.objects.get(pk=filed.pk).status == EntryStatus.FILED


def test_sheets_of_experts_who_stepped_aside_are_no_scoring_to_sign_on(people, experts, filed):
    sheet = EvaluationScore.objects.create(entry=filed, expert=experts.lu, status=ScoreStatus.CONFLICT)
    assert sheet.status == ScoreStatus.CONFLICT
    refused = _refusal(lambda: panel.sign_opinion(actor=experts.huang.user, entry=filed, text="同意。"))
    assert refused.message == "该项目尚未分配评审专家。"


# ---- the round's results ----


def test_the_results_count_submitted_sheets_only_and_every_open_one_as_pending(people, calls, experts, projects):
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1])
    a1, b1 = (round_.entries.get(project=p) for p in (projects.a1, projects.b1))
    sheet = EvaluationScore.objects.create
    sheet(entry=a1, expert=experts.lu, status=ScoreStatus.SUBMITTED, total=Decimal("80"))
    sheet(entry=a1, expert=experts.huang, status=ScoreStatus.SUBMITTED, total=Decimal("90"))
    sheet(entry=a1, expert=experts.qin, status=ScoreStatus.CONFLICT, total=Decimal("10"))  # stepped aside
    sheet(entry=b1, expert=experts.lu, status=ScoreStatus.ASSIGNED, total=Decimal("70"))  # a draft's total
    sheet(entry=b1, expert=experts.huang, status=ScoreStatus.ASSIGNED)
    with CaptureQueriesContext(connection) as queries:
        rows = {r.entry.pk: r for r in panel.results(round_)}
        shown = {
            pk: (r.entry.project.organisation.name, [e.user.real_name for e in r.totals]) for pk, r in rows.items()
        }
    assert len(queries) == 2  # the entries with their units, the sheets with their experts
    assert shown[a1.pk][1] == ["陆教授", "黄教授"]
    assert (rows[a1.pk].totals, rows[a1.pk].pending, rows[a1.pk].mean) == (
        {experts.lu: Decimal("80"), experts.huang: Decimal("90")},
        0,
        Decimal("85"),
    )
    assert (rows[b1.pk].totals, rows[b1.pk].pending, rows[b1.pk].rank) == ({}, 2, None)
    assert rows[a1.pk].rank == 1


# ---- 评分表 ----


def test_a_sheet_is_kept_as_a_draft_unless_submitted_and_a_submitted_one_must_be_complete(people, round_, filed):
    panel.assign(actor=people.admin, round_=round_)
    sheet = EvaluationScore.objects.filter(entry=filed).select_related("expert__user").first()
    user = sheet.expert.user
    draft = panel.save_sheet(actor=user, sheet=sheet, points={"1": "50"}, comments={}, comment=" 初评 ")
    assert (draft.status, draft.comment) == (ScoreStatus.ASSIGNED, "初评")
    assert not AuditEntry.objects.filter(action__startswith="evaluation.score").exists()  # a draft is not audited
    refused = _refusal(
        lambda: panel.save_sheet(actor=user, sheet=sheet, points={"1": "50"}, comments={}, comment="", submit=True)
    )
    assert refused.errors and refused.message == f"评分表有 {len(refused.errors)} 处需要修改。"
    assert EvaluationScore.objects.get(pk=sheet.pk).status == ScoreStatus.ASSIGNED


def test_after_the_review_deadline_only_a_submitted_sheet_may_be_corrected(people, round_, filed):
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.models import EvaluationRound

    panel.assign(actor=people.admin, round_=round_)
    done, open_ = EvaluationScore.objects.filter(entry=filed).select_related("expert__user").order_by("pk")
    full = {"1": "50", "2": "30"}
    panel.save_sheet(actor=done.expert.user, sheet=done, points=full, comments={}, comment="好", submit=True)
    EvaluationRound.objects.filter(pk=round_.pk).update(review_due_at=timezone.now() - timedelta(seconds=1))
    refused = _refusal(
        lambda: panel.save_sheet(
            actor=open_.expert.user, sheet=open_, points=full, comments={}, comment="", submit=True
        )
    )
    assert refused.message == "专家评审截止时间已过。"
    corrected = panel.save_sheet(
        actor=done.expert.user, sheet=done, points={"1": "55", "2": "30"}, comments={}, comment="好", submit=True
    )
    assert corrected.total == 85
    change = AuditEntry.objects.get(action="evaluation.score.change")
    assert (change.actor_id, change.changes) == (done.expert.user.pk, {"total": ["80.00", "85.00"]})
    RoundEntry.objects.filter(pk=filed.pk).update(status=EntryStatus.SCORED)
    refused = _refusal(
        lambda: panel.save_sheet(actor=done.expert.user, sheet=done, points=full, comments={}, comment="", submit=True)
    )
    assert refused.message == "专家组意见已签署，评分不能再修改。"


# ---- 自动分配 ----


def test_assigning_fills_each_filed_entry_up_to_the_rounds_count_by_load_and_tells_each_expert_once(
    people, calls, experts, projects
):
    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1])
    with pytest.raises(ServiceError) as refused:
        panel.assign(actor=people.admin, round_=round_)
    assert refused.value.message == "没有待专家评审的自评报告。"
    a1, b1 = (round_.entries.get(project=p) for p in (projects.a1, projects.b1))
    from portal.orgs.choices import Role
    from tests.factories import make_user

    b1_school = make_user(Role.SCHOOL_APPLICANT, projects.b1.organisation, username="b1_eval")
    b1_county = make_user(Role.COUNTY_REVIEWER, projects.b1.organisation.parent, username="b1_county")
    a1 = through_chain(file_self_evaluation(a1, people.school).entry, people.county, people.city)
    b1 = through_chain(file_self_evaluation(b1, b1_school).entry, b1_county, people.city)
    panel.assign_one(actor=people.admin, entry=a1, expert=experts.lu)
    stepped = panel.assign_one(actor=people.admin, entry=b1, expert=experts.qin)
    panel.declare_conflict(actor=experts.qin.user, sheet=stepped, reason="曾指导该校")
    Notification.objects.all().delete()
    live = EvaluationScore.objects.exclude(status=ScoreStatus.CONFLICT)
    before = set(live.values_list("entry_id", "expert_id"))  # by hand, and qin's entry handed on
    done = panel.assign(actor=people.admin, round_=round_)
    on = {e.pk: set(live.filter(entry=e).values_list("expert_id", flat=True)) for e in (a1, b1)}
    assert all(len(experts_on) == 2 for experts_on in on.values()) and experts.qin.pk not in on[b1.pk]
    logged = AuditEntry.objects.filter(action="evaluation.assign").latest("pk")  # after the two by hand
    assert (logged.actor_id, logged.object_id) == (people.admin.pk, str(round_.pk))
    assert logged.data["short"] == {} and done == {"made": len(logged.data["pairs"]), "short": {}}
    pairs = sorted(map(tuple, logged.data["pairs"]))
    assert pairs == sorted(set(live.values_list("entry_id", "expert_id")) - before) and pairs
    counts = {}
    for _, expert_pk in pairs:
        counts[expert_pk] = counts.get(expert_pk, 0) + 1
    for expert_pk, count in counts.items():
        told = Notification.objects.get(user__expert__pk=expert_pk)
        assert (told.kind, told.title, told.url) == (
            Kind.TO_REVIEW,
            f"{round_.title}：新分配 {count} 份评估任务",
            "/evaluation/tasks/",
        )


def test_a_submitted_sheet_is_audited_with_its_total_and_keeps_its_first_submission_time(people, round_, filed):
    panel.assign(actor=people.admin, round_=round_)
    sheet = EvaluationScore.objects.filter(entry=filed).select_related("expert__user").first()
    user = sheet.expert.user
    draft = panel.save_sheet(actor=user, sheet=sheet, points={"1": "50"}, comments={}, comment=None)
    assert (draft.comment, draft.submitted_at) == ("", None)
    points = {"1": "50", "2": "30"}
    first = panel.save_sheet(actor=user, sheet=sheet, points=points, comments={}, comment=" 好 ", submit=True)
    assert first.comment == "好" and first.submitted_at is not None
    logged = AuditEntry.objects.get(action="evaluation.score.submit")
    assert (logged.actor_id, logged.object_id) == (user.pk, str(filed.project_id))
    assert logged.changes == {"total": [None, "80.00"]}
    assert logged.data == {"entry": filed.pk, "expert": sheet.expert_id, "total": "80.00"}
    again = panel.save_sheet(actor=user, sheet=sheet, points=points, comments={}, comment="同", submit=True)
    assert again.submitted_at == first.submitted_at  # the first submission's time is kept
    assert AuditEntry.objects.get(action="evaluation.score.change").changes == {}  # the same total: no change
