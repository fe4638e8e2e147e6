"""The evaluation services' own rules, each pinned where a one-line change to the service would break it:
an extension's decision re-checks the call's limit and counts every earlier grant; an outcome waits for the
panel's signature; a rectification is examined only once filed, and failing it removes the project; its
date must lie after today; an expert who declared a conflict (回避) no longer reaches the entry; an open
acceptance round is offered to the projects themselves, not to the levels above them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from evaluation import extensions, outcomes, panel, scope
from evaluation.models import (
    EntryStatus,
    EvaluationScore,
    ExtensionStatus,
    Outcome,
    RectificationStatus,
    RoundKind,
    ScoreStatus,
)
from portal.core.exceptions import ServiceError
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Call
from portal.projects.selectors import visible_projects
from tests.evaluation.test_cycle import evaluated, file_self_evaluation, open_round, through_chain

YEAR_ONE = [{"name": "延期阶段", "starts_on": "2029-03-01", "ends_on": "2030-02-28", "work": "完成剩余任务"}]
YEAR_TWO = [{"name": "再延阶段", "starts_on": "2030-03-01", "ends_on": "2031-02-28", "work": "总结推广"}]


def _recommended(people, project, years=1, schedule=YEAR_ONE):
    ext = extensions.request(
        actor=people.school, project=project, years=years, reasons="进度受影响。", schedule=schedule
    )
    return extensions.recommend(actor=people.county, extension=ext, agree=True, text="同意延期。")


# ---- 延期 ----


def test_an_extension_is_refused_at_decision_when_the_calls_limit_was_lowered_after_the_request(people, projects):
    ext = _recommended(people, projects.a1)
    Call.objects.filter(pk=projects.a1.call_id).update(extension_years_max=0)
    with pytest.raises(ServiceError, match="超过本批次最长延期 0 年"):
        extensions.decide(actor=people.admin, extension=ext, approve=True)
    ext.refresh_from_db()
    projects.a1.refresh_from_db()
    assert ext.status == ExtensionStatus.RECOMMENDED and projects.a1.extended_ends_on is None


def test_an_extension_up_to_the_calls_limit_exactly_is_approved(people, projects):
    Call.objects.filter(pk=projects.a1.call_id).update(extension_years_max=2)
    projects.a1.call.refresh_from_db()
    ext = _recommended(people, projects.a1, years=2, schedule=YEAR_ONE + YEAR_TWO)
    extensions.decide(actor=people.admin, extension=ext, approve=True)
    projects.a1.refresh_from_db()
    assert str(projects.a1.ends) == "2031-02-28"


def test_a_second_extension_adds_to_the_first_so_the_end_moves_by_both(people, projects):
    Call.objects.filter(pk=projects.a1.call_id).update(extension_years_max=2)
    projects.a1.call.refresh_from_db()
    extensions.decide(actor=people.admin, extension=_recommended(people, projects.a1), approve=True)
    projects.a1.refresh_from_db()
    assert str(projects.a1.ends) == "2030-02-28"
    extensions.decide(actor=people.admin, extension=_recommended(people, projects.a1, schedule=YEAR_TWO), approve=True)
    projects.a1.refresh_from_db()
    assert (projects.a1.status, str(projects.a1.ends)) == (ProjectStatus.EXTENDED, "2031-02-28")
    with pytest.raises(ServiceError) as refused:  # the limit is now reached exactly
        extensions.request(actor=people.school, project=projects.a1, years=1, reasons="再延。", schedule=YEAR_TWO)
    assert refused.value.errors["years"] == ["本批次最长可延期 2 年，已批准延期 2 年，不能再申请延期 1 年。"]


def test_only_the_calls_organiser_decides_an_extension(people, projects, role_users, tree):
    from portal.orgs.choices import Role
    from tests.factories import make_user

    ext = _recommended(people, projects.a1)
    shanxi = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin_ext")
    for outsider in (shanxi, people.city, people.county, people.school):
        with pytest.raises(PermissionError):
            extensions.decide(actor=outsider, extension=ext, approve=True)
    assert extensions.may_decide(people.admin, projects.a1)


# ---- outcomes ----


def test_an_outcome_waits_for_the_panels_signed_opinion(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    entry = through_chain(entry, people.county, people.city)
    assert entry.status == EntryStatus.FILED
    with pytest.raises(ServiceError, match="专家组意见签署后才能作出结论"):
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.PASS, grade="优秀")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.FILED and not entry.decisions.exists()


def _rectifying(people, calls, experts, project, user, chain):
    entry = evaluated(people, calls, experts, project, user, chain)
    outcomes.decide(
        actor=people.admin,
        entry=entry,
        outcome=Outcome.RECTIFY,
        reasons="培训不足。",
        rectify_by=timezone.localdate() + timedelta(days=30),
        rectify_items="补齐培训",
    )
    return entry, entry.rectifications.get()


def test_a_rectification_is_examined_only_once_it_is_filed(people, calls, experts, projects):
    entry, rectification = _rectifying(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    with pytest.raises(ServiceError, match="^整改报告尚未提交，不能复核。$"):
        outcomes.review_rectification(actor=people.admin, rectification=rectification, passed=True, grade="合格")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DUE and entry.decisions.count() == 1


def test_a_failed_rectification_removes_the_project(people, calls, experts, projects):
    entry, rectification = _rectifying(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    outcomes.file_rectification(actor=people.school, rectification=rectification, report="部分整改。")
    decision = outcomes.review_rectification(
        actor=people.admin, rectification=entry.rectifications.get(), passed=False, reasons="整改不到位。"
    )
    projects.a1.refresh_from_db()
    entry.refresh_from_db()
    assert decision.outcome == Outcome.REVOKE and entry.outcome == Outcome.REVOKE
    assert projects.a1.status == ProjectStatus.TERMINATED
    assert entry.rectifications.get().status == RectificationStatus.FAILED


@pytest.mark.parametrize("days, refused", [(-1, True), (0, True), (1, False)])
def test_a_rectification_date_must_lie_after_today(people, calls, experts, projects, days, refused):
    entry = evaluated(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    decide = lambda: outcomes.decide(
        actor=people.admin,
        entry=entry,
        outcome=Outcome.RECTIFY,  # noqa: E731
        reasons="培训不足。",
        rectify_by=timezone.localdate() + timedelta(days=days),
        rectify_items="补齐培训",
    )
    if refused:
        with pytest.raises(ServiceError) as refusal:
            decide()
        assert refusal.value.errors == {"rectify_by": ["请填写晚于今天的整改期限。"]}
    else:
        assert decide().rectify_by == timezone.localdate() + timedelta(days=1)


def test_only_the_rounds_organiser_decides_publishes_and_reviews(people, calls, experts, projects, tree):
    from portal.orgs.choices import Role
    from tests.factories import make_user

    entry, rectification = _rectifying(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    shanxi = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin_out")
    for outsider in (shanxi, people.city, people.school, experts.huang.user):
        with pytest.raises(PermissionError):
            outcomes.decide(actor=outsider, entry=entry, outcome=Outcome.PASS, grade="优秀", change_reason="x")
        with pytest.raises(PermissionError):
            outcomes.publish(actor=outsider, round_=entry.round)
        with pytest.raises(PermissionError):
            outcomes.review_rectification(actor=outsider, rectification=rectification, passed=True)


# ---- scope ----


def test_an_expert_who_declared_a_conflict_no_longer_reaches_the_entry(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    through_chain(entry, people.county, people.city)
    panel.assign(actor=people.admin, round_=round_)
    sheet = EvaluationScore.objects.filter(entry=entry).exclude(expert=experts.huang).select_related("expert").first()
    assert scope.get_visible_entry(sheet.expert.user, pk=entry.pk) == entry
    EvaluationScore.objects.filter(pk=sheet.pk).update(status=ScoreStatus.CONFLICT)
    with pytest.raises(Http404):
        scope.get_visible_entry(sheet.expert.user, pk=entry.pk)
    with pytest.raises(Http404):
        scope.own_sheet(sheet.expert.user, entry=entry)
    assert not scope.expert_tasks(sheet.expert.user).exists()
    assert scope.get_visible_entry(experts.huang.user, pk=entry.pk) == entry  # the leader reaches all


def test_an_open_acceptance_round_is_offered_to_the_project_not_to_the_levels_above(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    assert round_ in scope.visible_rounds(people.school)  # a1 may apply into it
    # 隆安县 and 南宁 oversee projects of the call but hold none of their own (兴宁区 does: its zone).
    for overseer, overseen in ((people.county_b, projects.b1), (people.city, projects.a1)):
        assert overseen in visible_projects(overseer)
        assert round_ not in scope.visible_rounds(overseer)
    outcomes.apply_for_acceptance(actor=people.school, round_=round_, project=projects.a1)
    assert round_ in scope.visible_rounds(people.city)  # once a1 is in it, its city sees it
    assert round_ not in scope.visible_rounds(people.county_b)


# ---- 试点月报 ----


def test_a_month_is_due_once_it_has_ended_and_only_within_the_cycle(projects):
    from datetime import date

    from evaluation import monthly

    assert monthly.due_months(projects.a1, date(2026, 3, 31)) == []  # the first month is not over
    assert monthly.due_months(projects.a1, date(2026, 4, 1)) == [date(2026, 3, 1)]
    months = monthly.due_months(projects.a1, date(2029, 6, 1))  # long after the end
    assert months[0] == date(2026, 3, 1) and months[-1] == date(2029, 2, 1) and len(months) == 36


@pytest.mark.parametrize("day, late", [(5, False), (6, True)])
def test_a_months_report_is_late_after_the_fifth_of_the_next_month(projects, calls, tree, day, late):
    from datetime import date

    from evaluation import monthly
    from portal.notifications.models import Notification
    from portal.orgs.choices import Role
    from tests.factories import make_user

    assert monthly.overdue(date(2026, 5, 1), date(2026, 6, day)) is late
    type(calls.guangxi).objects.filter(pk=calls.guangxi.pk).update(monthly_pilot_reports=True)
    school = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="m_fifth")
    reminded = monthly.remind_missing(date(2026, 6, day))
    assert (reminded > 0) is late
    assert Notification.objects.filter(user=school, title__contains="2026年05月试点月报逾期未报").exists() is late


# ---- who reaches which round and entry ----


def test_an_expert_reaches_only_the_entries_assigned_to_them_and_the_leader_all(people, calls, experts, projects):
    from evaluation.models import RoundEntry

    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1])
    mine = round_.entries.get(project=projects.a1)
    theirs = round_.entries.get(project=projects.b1)
    EvaluationScore.objects.create(entry=mine, expert=experts.lu)
    assert scope.get_visible_entry(experts.lu.user, pk=mine.pk) == mine
    with pytest.raises(Http404):
        scope.get_visible_entry(experts.lu.user, pk=theirs.pk)
    assert set(scope.visible_entries(experts.lu.user)) == {mine}
    assert set(scope.visible_entries(experts.huang.user)) == set(RoundEntry.objects.filter(round=round_))
    assert not scope.visible_entries(experts.qin.user).exists()  # on the panel, assigned nothing


def test_the_organisers_administrators_see_the_rounds_they_run_and_no_other_provinces(
    people, calls, experts, tree, role_users, projects
):
    from portal.orgs.choices import Role
    from tests.factories import make_user

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    assert round_ in scope.visible_rounds(people.admin)
    assert round_ in scope.visible_rounds(role_users[Role.MINISTRY_REVIEWER])  # the ministry oversees all
    assert round_ not in scope.visible_rounds(make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_r"))
    assert scope.get_managed_round(people.admin, pk=round_.pk) == round_
    with pytest.raises(Http404):
        scope.get_managed_round(people.city, pk=round_.pk)


def test_an_open_round_is_offered_only_where_a_project_may_apply_into_it(people, calls, experts, projects):
    chosen = open_round(people, calls, experts, chosen=[projects.b1])  # a round a1 is not in
    assert chosen not in scope.visible_rounds(people.school)
    assert chosen in scope.visible_rounds(people.school_b)
    applied = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    assert applied in scope.visible_rounds(people.school)
    type(applied).objects.filter(pk=applied.pk).update(status="published")  # closed: no longer offered
    assert applied not in scope.visible_rounds(people.school)


def test_an_expert_sees_the_rounds_they_lead_or_sit_on_and_no_other(people, calls, experts, projects, tree):
    from portal.experts.services.pool import register_expert
    from portal.orgs.choices import Role
    from tests.factories import make_user

    round_ = open_round(people, calls, experts, chosen=[projects.a1])  # huang leads; lu, qin, wei sit on it
    for member in (experts.huang, experts.qin):
        assert round_ in scope.visible_rounds(member.user)
    outsider = register_expert(
        actor=people.admin, user=make_user(Role.EXPERT, tree.university, username="off_panel"), field="教育技术学"
    )
    assert round_ not in scope.visible_rounds(outsider.user)


# ---- 限期整改 past its date ----


def test_each_rectification_past_its_date_and_not_filed_is_escalated_once_to_the_project_and_the_organiser(
    people, calls, experts, projects
):
    from datetime import date

    from evaluation.models import Decision, Rectification, RoundEntry
    from portal.audit.models import AuditEntry
    from portal.notifications.models import Kind, Notification

    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1, projects.c1])
    today = date(2027, 3, 1)

    def rectification(project, due_on, status="due"):
        entry = RoundEntry.objects.get(round=round_, project=project)
        decision = Decision.objects.create(
            entry=entry,
            number=1,
            outcome="rectify",
            reasons="x",
            rectify_by=due_on,
            rectify_items=["x"],
            decided_at=timezone.now(),
        )
        return Rectification.objects.create(decision=decision, entry=entry, due_on=due_on, status=status)

    late_a1 = rectification(projects.a1, date(2027, 2, 28))
    late_b1 = rectification(projects.b1, date(2027, 1, 31))
    filed_c1 = rectification(projects.c1, date(2027, 1, 31), status="filed")
    assert outcomes.escalate_overdue(today) == 2
    assert outcomes.escalate_overdue(today) == 0
    escalated = dict(Rectification.objects.values_list("pk", "escalated_on"))
    assert escalated == {late_a1.pk: today, late_b1.pk: today, filed_c1.pk: None}
    note = Notification.objects.get(user=people.school, title__contains="整改期限")
    assert (note.kind, note.url) == (Kind.DEADLINE, f"/evaluation/entries/{late_a1.entry_id}/")
    assert note.title == f"{projects.a1.title}：整改期限（2027-02-28）已过，尚未提交整改报告"
    assert note.dedupe_key == f"rectification:{late_a1.pk}:{people.school.pk}"  # a concurrent sweep adds none
    assert Notification.objects.filter(user=people.admin, title__contains="整改期限").count() == 2  # the organiser
    entries = AuditEntry.objects.filter(action="evaluation.rectification.escalate").order_by("pk")
    assert sorted(((e.actor_id, e.object_id, e.data) for e in entries), key=lambda e: e[2]["rectification"]) == [
        (None, str(r.entry.project_id), {"rectification": r.pk, "due_on": str(r.due_on)})
        for r in sorted([late_a1, late_b1], key=lambda r: r.pk)
    ]


def test_a_rectification_due_today_is_not_yet_escalated(people, calls, experts, projects):
    from datetime import date

    from evaluation.models import Decision, Rectification, RoundEntry

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = RoundEntry.objects.get(round=round_)
    decision = Decision.objects.create(
        entry=entry,
        number=1,
        outcome="rectify",
        reasons="x",
        rectify_by=date(2027, 3, 1),
        rectify_items=["x"],
        decided_at=timezone.now(),
    )
    Rectification.objects.create(decision=decision, entry=entry, due_on=date(2027, 3, 1))
    assert outcomes.escalate_overdue(date(2027, 3, 1)) == 0
    assert outcomes.escalate_overdue(date(2027, 3, 2)) == 1


def test_an_experts_task_list_holds_their_own_live_sheets_in_order(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1, projects.c1])
    entries = {e.project_id: e for e in round_.entries.all()}
    first = EvaluationScore.objects.create(
        entry=entries[projects.a1.pk], expert=experts.lu, status=ScoreStatus.SUBMITTED
    )
    second = EvaluationScore.objects.create(entry=entries[projects.b1.pk], expert=experts.lu)
    EvaluationScore.objects.create(entry=entries[projects.c1.pk], expert=experts.lu, status=ScoreStatus.CONFLICT)
    EvaluationScore.objects.create(entry=entries[projects.c1.pk], expert=experts.qin)
    assert list(scope.expert_tasks(experts.lu.user)) == [second, first]  # assigned before submitted
    assert not scope.expert_tasks(people.school).exists()
    assert scope.own_sheet(experts.lu.user, entry=entries[projects.b1.pk]) == second
    with pytest.raises(Http404):  # a sheet of another entry is not it
        scope.own_sheet(experts.lu.user, entry=entries[projects.c1.pk])
    with pytest.raises(Http404):
        scope.own_sheet(people.school, entry=entries[projects.a1.pk])


def test_an_expert_record_without_the_expert_role_reaches_nothing(people, calls, experts, projects):
    from portal.orgs.models import User

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    EvaluationScore.objects.create(entry=entry, expert=experts.lu)
    assert entry in scope.visible_entries(experts.lu.user)
    from portal.orgs.models import RoleGrant

    RoleGrant.objects.filter(user=experts.lu.user).delete()  # the role withdrawn, the record kept
    user = User.objects.get(pk=experts.lu.user.pk)
    assert not scope.visible_entries(user).exists() and not scope.expert_tasks(user).exists()


def test_an_inactive_or_unattached_user_reaches_no_round_and_no_entry(people, calls, experts, projects):
    from django.contrib.auth.models import AnonymousUser

    from portal.orgs.models import User

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    assert scope.visible_entries(people.admin).exists()
    User.objects.filter(pk=people.admin.pk).update(is_active=False)
    inactive = User.objects.get(pk=people.admin.pk)
    for user in (inactive, AnonymousUser()):
        assert not scope.visible_entries(user).exists() and not scope.visible_rounds(user).exists()
    assert round_ in scope.visible_rounds(people.school)


def test_a_round_without_a_leader_shows_its_entries_to_no_unassigned_expert(people, calls, experts, projects):
    from evaluation.models import EvaluationRound

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    EvaluationRound.objects.filter(pk=round_.pk).update(leader=None)
    assert not scope.visible_entries(experts.qin.user).exists()


def test_a_rounds_progress_counts_its_entries_by_how_far_they_have_come(people, calls, experts, projects):
    from evaluation.models import EvaluationRound, RoundEntry

    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1, projects.c1, projects.zone])
    for project, status in ((projects.b1, "filed"), (projects.c1, "scored"), (projects.zone, "decided")):
        RoundEntry.objects.filter(round=round_, project=project).update(status=status)
    counted = scope.with_progress(EvaluationRound.objects.filter(pk=round_.pk)).get()
    assert (counted.n_entries, counted.n_filed, counted.n_scored, counted.n_decided) == (4, 3, 2, 1)


def test_a_rounds_progress_counts_each_entry_once_for_its_leader_whatever_the_panels_size(
    people, calls, experts, projects
):
    """The leader reaches the round through its panel as well: the four members must not count each
    entry four times."""
    from evaluation.models import RoundEntry

    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1, projects.c1, projects.zone])
    for project, status in ((projects.b1, "filed"), (projects.c1, "scored"), (projects.zone, "decided")):
        RoundEntry.objects.filter(round=round_, project=project).update(status=status)
    for reader in (experts.huang.user, experts.lu.user, people.admin):
        counted = scope.with_progress(scope.visible_rounds(reader)).get(pk=round_.pk)
        assert (counted.n_entries, counted.n_filed, counted.n_scored, counted.n_decided) == (4, 3, 2, 1), reader


def test_an_experts_tasks_go_round_by_round_the_newest_round_first(people, calls, experts, projects):
    older_round = open_round(people, calls, experts, chosen=[projects.a1])
    newer_round = open_round(people, calls, experts, chosen=[projects.b1])
    older = EvaluationScore.objects.create(entry=older_round.entries.get(), expert=experts.lu)
    newer = EvaluationScore.objects.create(entry=newer_round.entries.get(), expert=experts.lu)
    assert list(scope.expert_tasks(experts.lu.user)) == [newer, older]  # not in the order they were assigned


def test_the_task_list_reads_the_same_number_of_queries_for_one_task_or_three(client, people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.b1, projects.c1])
    entries = list(round_.entries.order_by("pk"))
    client.force_login(experts.lu.user)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/evaluation/tasks/")
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="task-')

    EvaluationScore.objects.create(entry=entries[0], expert=experts.lu)
    before, rows = count()
    assert rows == 1
    for entry in entries[1:]:
        EvaluationScore.objects.create(entry=entry, expert=experts.lu)
    assert count() == (before, 3)


def test_the_leader_reads_an_entry_but_has_no_sheet_on_it_unless_assigned(client, people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    client.force_login(experts.huang.user)
    response = client.get(f"/api/v1/evaluation/entries/{entry.pk}/score/")
    assert response.status_code == 404 and response.json()["detail"] == "评分任务不存在。"


def test_an_overdue_rectification_is_escalated_to_the_project_when_the_rounds_creator_is_gone(
    people, calls, experts, projects
):
    from datetime import date

    from evaluation.models import Decision, EvaluationRound, Rectification, RoundEntry
    from portal.notifications.models import Notification

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    EvaluationRound.objects.filter(pk=round_.pk).update(created_by=None)
    entry = RoundEntry.objects.get(round=round_)
    decision = Decision.objects.create(
        entry=entry, number=1, outcome="rectify", reasons="x", rectify_by=date(2027, 2, 28), decided_at=timezone.now()
    )
    Rectification.objects.create(decision=decision, entry=entry, due_on=date(2027, 2, 28))
    assert outcomes.escalate_overdue(date(2027, 3, 1)) == 1
    assert Notification.objects.filter(user=people.school, title__contains="整改期限").exists()


def test_a_round_outside_the_readers_reach_is_a_404_that_says_so_in_chinese(
    client, people, calls, experts, projects, tree
):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    from portal.orgs.choices import Role
    from tests.factories import make_user

    client.force_login(make_user(Role.COUNTY_REVIEWER, tree.county_c, username="lz_county"))  # no entry of its own
    response = client.get(f"/api/v1/evaluation/rounds/{round_.pk}/")
    assert response.status_code == 404 and response.json()["detail"] == "评估批次不存在或不在您的范围内。"


def test_the_leader_reads_the_scores_once_every_sheet_is_in_on_the_page_and_in_the_api_alike(
    client, people, calls, experts, projects
):
    """Blind scoring: the leader is an expert too and sees the others' scores only when all are in; the
    organiser sees them as they come; the project never. The API says what the page says."""
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = through_chain(file_self_evaluation(round_.entries.get(), people.school).entry, people.county, people.city)
    panel.assign(actor=people.admin, round_=round_)
    first, second = EvaluationScore.objects.filter(entry=entry).select_related("expert__user").order_by("pk")
    points = {"1": "50", "2": "30"}
    panel.save_sheet(actor=first.expert.user, sheet=first, points=points, comments={}, comment="好", submit=True)
    leader = experts.huang.user
    url = f"/api/v1/evaluation/entries/{entry.pk}/"

    def api_scores(user):
        client.force_login(user)
        return client.get(url).json().get("scores", "absent")

    assert scope.entry_result(leader, entry) is None and api_scores(leader) is None
    assert scope.entry_result(people.admin, entry).pending == 1 and api_scores(people.admin)["pending"] == 1
    panel.save_sheet(actor=second.expert.user, sheet=second, points=points, comments={}, comment="好", submit=True)
    assert scope.entry_result(leader, entry).pending == 0
    assert [row["total"] for row in api_scores(leader)["experts"]] == ["80.00", "80.00"]
    assert scope.entry_result(people.school, entry) is None and api_scores(people.school) == "absent"
    assert scope.sees_outcome(leader, entry) and not scope.sees_outcome(people.school, entry)
