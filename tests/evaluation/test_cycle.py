"""The evaluation cycle end to end on the services: a mid-term round → 限期整改 → follow-up 通过 →
extension → acceptance 通过 with a grade; a 撤销 that stops spending and reporting; an acceptance
不通过 and its one reapplication; and each refusal the issue names."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from evaluation import extensions, outcomes, panel, rounds, selfeval
from evaluation.models import (
    Decision,
    EntryStatus,
    EvaluationScore,
    ExtensionStatus,
    Outcome,
    RectificationStatus,
    RoundEntry,
    RoundKind,
    ScoreStatus,
    SelfEvaluation,
)
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from portal.programmes.choices import ProjectStatus
from tests.factories import make_user

CRITERIA = [
    {"number": 1, "title": "实施进展", "guidance": "对照进度安排", "max_points": D(60), "weight": D(1)},
    {"number": 2, "title": "绩效目标完成", "guidance": "", "max_points": D(40), "weight": D(1)},
]
TEXT = {
    "progress": "按计划完成第一阶段。",
    "indicators": "指标达成。",
    "budget": "支出规范。",
    "tasks": "完成三项任务。",
    "cases": "典型案例一则。",
    "problems": "教师培训需加强。",
}


def open_round(people, calls, experts, *, kind=RoundKind.MIDTERM, selection="chosen", chosen=(), **extra):
    return rounds.open_round(
        actor=people.admin,
        call=calls.guangxi,
        kind=kind,
        title=f"2026年{RoundKind(kind).label}",
        selection=selection,
        self_due_at=timezone.now() + timedelta(days=10),
        review_due_at=timezone.now() + timedelta(days=20),
        criteria=[dict(c) for c in CRITERIA],
        leader=experts.huang,
        members=[experts.lu, experts.huang, experts.qin, experts.wei],
        chosen=[p.pk for p in chosen],
        experts_per_project=2,
        **extra,
    )


def file_self_evaluation(entry, user, scores=("50", "30")):
    entry = selfeval.save_draft(
        actor=user,
        entry=entry,
        raw={**TEXT, "self_1": scores[0], "self_2": scores[1]},
        expected_version=entry.lock_version,
    )
    return selfeval.submit(actor=user, entry=entry)


def through_chain(entry, *users):
    for user in users:
        entry = selfeval.give_opinion(
            actor=user, entry=RoundEntry.objects.get(pk=entry.pk), agree=True, text="同意报送。"
        )
    return RoundEntry.objects.get(pk=entry.pk)


def score_all(round_, points=("55", "35")):
    for sheet in EvaluationScore.objects.filter(entry__round=round_, status=ScoreStatus.ASSIGNED).select_related(
        "expert__user"
    ):
        panel.save_sheet(
            actor=sheet.expert.user,
            sheet=sheet,
            points={"1": points[0], "2": points[1]},
            comments={},
            comment="进展良好。",
            submit=True,
        )


def evaluated(people, calls, experts, project, user, chain, **kw):
    """An entry of a new round for the project, filed, through the chain, scored and signed."""
    round_ = open_round(people, calls, experts, chosen=[project], **kw)
    entry = round_.entries.get()
    file_self_evaluation(entry, user)
    entry = through_chain(entry, *chain)
    assert entry.status == EntryStatus.FILED
    panel.assign(actor=people.admin, round_=round_)
    score_all(round_)
    return panel.sign_opinion(actor=experts.huang.user, entry=entry, text="专家组同意。")


def test_a_project_goes_from_mid_term_to_rectification_extension_acceptance_and_showcase(
    people, calls, experts, projects
):
    p = projects.a1
    round_ = open_round(people, calls, experts, chosen=[p])
    entry = round_.entries.get()
    assert entry.status == EntryStatus.DUE
    # The self-evaluation, with the project's figures frozen in it, then the county and the city in turn.
    version = file_self_evaluation(entry, people.school)
    assert version.content["self_total"] == "80.00" and "figures" in version.content
    entry.refresh_from_db()
    assert (entry.status, entry.stage) == (EntryStatus.OPINIONS, "county")
    with pytest.raises(PermissionError):
        selfeval.give_opinion(actor=people.city, entry=entry, agree=True, text="同意。")  # not the city's turn
    entry = through_chain(entry, people.county, people.city)
    assert set(entry.opinions) == {"county", "city"}
    # Experts, with 回避: 韦老师 works at a 南宁 school and never gets a 南宁 project.
    assert panel.assign(actor=people.admin, round_=round_)["made"] == 2
    assigned = set(EvaluationScore.objects.filter(entry=entry).values_list("expert_id", flat=True))
    assert experts.wei.pk not in assigned and len(assigned) == 2
    with pytest.raises(ServiceError, match="尚有 2 位专家未提交评分"):
        panel.sign_opinion(actor=experts.huang.user, entry=entry, text="同意。")
    score_all(round_)
    result = next(r for r in panel.results(round_) if r.entry.pk == entry.pk)
    assert result.trimmed == D("90.00") and result.rank == 1
    entry = panel.sign_opinion(actor=experts.huang.user, entry=entry, text="进展良好，个别指标滞后。")
    # 限期整改, re-examined and passed.
    with pytest.raises(ServiceError) as refused:
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.RECTIFY)
    assert refused.value.errors == {
        "reasons": ["结论为“限期整改”时须写明理由。"],
        "rectify_by": ["请填写晚于今天的整改期限。"],
        "rectify_items": ["请列出整改事项（每行一项）。"],
    }
    assert not Decision.objects.exists()  # nothing half-saved
    due = timezone.localdate() + timedelta(days=30)
    outcomes.decide(
        actor=people.admin,
        entry=entry,
        outcome=Outcome.RECTIFY,
        reasons="培训指标滞后。",
        rectify_by=due,
        rectify_items="补齐教师培训\n提交培训记录",
    )
    rectification = entry.rectifications.get()
    assert rectification.decision.rectify_items == ["补齐教师培训", "提交培训记录"]
    outcomes.file_rectification(actor=people.school, rectification=rectification, report="已完成全员培训。")
    outcomes.review_rectification(
        actor=people.admin, rectification=entry.rectifications.get(), passed=True, grade="良好"
    )
    entry.refresh_from_db()
    assert (entry.outcome, entry.grade) == (Outcome.PASS, "良好")
    assert [d.change_reason for d in entry.decisions.all()] == ["整改复核通过", ""]
    assert entry.rectifications.get().status == RectificationStatus.PASSED
    outcomes.publish(actor=people.admin, round_=round_)
    # 延期 by one year (Guangxi's limit), recommended by the county, decided by the province.
    p.refresh_from_db()
    ext = extensions.request(
        actor=people.school,
        project=p,
        years=1,
        reasons="疫情影响进度。",
        schedule=[{"name": "延期阶段", "starts_on": "2029-03-01", "ends_on": "2030-02-28", "work": "完成剩余任务"}],
    )
    assert ext.status == ExtensionStatus.REQUESTED
    extensions.recommend(actor=people.county, extension=ext, agree=True, text="同意延期。")
    extensions.decide(actor=people.admin, extension=ext, approve=True)
    p.refresh_from_db()
    assert (p.status, str(p.ends)) == (ProjectStatus.EXTENDED, "2030-02-28")
    assert p.stages.filter(name="延期阶段").exists()
    with pytest.raises(ServiceError) as refused:  # a second request beyond the limit
        extensions.request(
            actor=people.school,
            project=p,
            years=1,
            reasons="再延。",
            schedule=[{"name": "再延", "starts_on": "2030-03-01", "ends_on": "2031-02-28"}],
        )
    assert refused.value.errors["years"] == ["本批次最长可延期 1 年，已批准延期 1 年，不能再申请延期 1 年。"]
    # 验收 on application: 通过 with a grade; the project is accepted.
    acceptance = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    assert not acceptance.entries.exists()
    entry = outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=p)
    file_self_evaluation(entry, people.school)
    entry = through_chain(entry, people.county, people.city)
    panel.assign(actor=people.admin, round_=acceptance)
    score_all(acceptance)
    entry = panel.sign_opinion(actor=experts.huang.user, entry=entry, text="同意通过验收。")
    with pytest.raises(ServiceError) as refused:
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.RECTIFY, reasons="x")
    assert "outcome" in refused.value.errors  # an acceptance cannot order rectification
    outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.PASS, grade="优秀")
    p.refresh_from_db()
    assert p.status == ProjectStatus.ACCEPTED
    # 示范推广: the accepted project's case is selected and shown, marked as accepted.
    from evaluation import showcase

    item = showcase.submit(
        actor=people.school,
        project=p,
        data={
            "title": "智慧课堂教学模式",
            "category": "model",
            "stage": "小学",
            "subject": "语文",
            "summary": "课堂互动。",
        },
    )
    showcase.select(actor=people.admin, item=item, selected=True)
    shown = list(showcase.public_items({"stage": "小学"}))
    assert shown == [item] and shown[0].project.status == ProjectStatus.ACCEPTED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "evaluation.round.open",
        "evaluation.selfeval.submit",
        "evaluation.selfeval.opinion",
        "evaluation.assign",
        "evaluation.score.submit",
        "evaluation.panel.sign",
        "evaluation.decide",
        "evaluation.decide.change",
        "evaluation.rectification.file",
        "evaluation.rectification.review",
        "evaluation.round.publish",
        "evaluation.extension.request",
        "evaluation.extension.recommend",
        "evaluation.extension.decide",
        "evaluation.acceptance.apply",
        "projects.extend",
        "projects.status",
        "evaluation.showcase.submit",
        "evaluation.showcase.select",
    } <= actions


def test_a_removed_project_stops_spending_and_reporting_and_its_budget_is_frozen(
    people, calls, experts, projects, dongguan_rows
):
    from datetime import date

    from budgets.services import plans, spending
    from portal.projects import services as reports
    from portal.projects.models import ProgressReport

    p = projects.b1
    plan = plans.save_plan(
        actor=people.school_b, project=p, grant="100", source="x", rows=dongguan_rows, expected_version=None
    )
    plan = plans.submit_plan(actor=people.school_b, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=people.county_b, plan=plan, approve=True, text="同意")
    line = plan.lines.get(number=1)
    spending.record_expenditure(actor=people.school_b, line=line, spent_on=date(2026, 9, 1), amount="8", payee="x")
    entry = evaluated(people, calls, experts, p, people.school_b, [people.county_b, people.city])
    with pytest.raises(ServiceError) as refused:
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.REVOKE, reasons="")
    assert refused.value.errors == {"reasons": ["结论为“撤销”时须写明理由。"]}
    decision = outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.REVOKE, reasons="未按方案实施。")
    p.refresh_from_db()
    assert p.status == ProjectStatus.TERMINATED
    assert decision.frozen_amount == D("92")  # 100 万元 granted, 8 spent
    report = ProgressReport.objects.create(
        project=p, title="2026年第3季度", period_start="2026-07-01", period_end="2026-09-30", due_on="2026-10-15"
    )
    with pytest.raises(ServiceError, match="已被撤销"):
        reports.file_report(actor=people.school_b, report=report, text="进展。")
    with pytest.raises(ServiceError, match="已被撤销"):
        spending.record_expenditure(actor=people.school_b, line=line, spent_on=date(2026, 9, 2), amount="1", payee="x")
    with pytest.raises(ServiceError, match="已被撤销"):
        extensions.request(actor=people.school_b, project=p, years=1, reasons="x", schedule=[])
    # The outcome can be changed only by a new decision that says why; undoing 撤销 restores the project.
    with pytest.raises(ServiceError) as refused:
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.PASS, grade="合格")
    assert refused.value.errors == {"change_reason": ["请写明变更理由。"]}
    outcomes.decide(
        actor=people.admin, entry=entry, outcome=Outcome.PASS, grade="合格", change_reason="复议后改为通过。"
    )
    p.refresh_from_db()
    assert p.status == ProjectStatus.RUNNING
    assert Decision.objects.filter(entry=entry).count() == 2
    with pytest.raises(PermissionError):
        decision.save()  # a decision is never rewritten


def test_an_acceptance_that_fails_may_be_applied_for_once_more(people, calls, experts, projects):
    p = projects.a1
    for attempt in (1, 2):
        round_ = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
        entry = outcomes.apply_for_acceptance(actor=people.school, round_=round_, project=p)
        assert entry.attempt == attempt
        with pytest.raises(ServiceError, match="正在办理"):
            outcomes.apply_for_acceptance(actor=people.school, round_=round_, project=p)
        file_self_evaluation(entry, people.school)
        entry = through_chain(entry, people.county, people.city)
        panel.assign(actor=people.admin, round_=round_)
        score_all(round_)
        entry = panel.sign_opinion(actor=experts.huang.user, entry=entry, text="未达到验收要求。")
        with pytest.raises(ServiceError) as refused:
            outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.FAIL)
        assert refused.value.errors == {"reasons": ["结论为“不通过”时须写明理由。"]}
        outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.FAIL, reasons="资金执行率不足。")
    third = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    with pytest.raises(ServiceError, match="只可在整改后再申请一次"):
        outcomes.apply_for_acceptance(actor=people.school, round_=third, project=p)
    p.refresh_from_db()
    assert p.status == ProjectStatus.RUNNING


def test_a_self_evaluation_after_the_deadline_or_incomplete_is_refused_and_nothing_is_lost(
    people, calls, experts, projects
):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    entry = selfeval.save_draft(
        actor=people.school,
        entry=entry,
        raw={"progress": "只写了进展。", "self_1": "70"},
        expected_version=entry.lock_version,
    )
    with pytest.raises(ServiceError) as refused:
        selfeval.submit(actor=people.school, entry=entry)
    assert refused.value.errors["self_1"] == ["“实施进展”的得分须在 0 到 60 之间。"]
    assert refused.value.errors["budget"] == ["请填写“资金使用情况”。"]
    entry.refresh_from_db()
    assert entry.draft["progress"] == "只写了进展。" and not SelfEvaluation.objects.exists()
    # A second editor who started from an older version is refused, not silently overwriting.
    from portal.core.exceptions import Conflict

    with pytest.raises(Conflict):
        selfeval.save_draft(actor=people.school, entry=entry, raw={"progress": "另一窗口"}, expected_version=1)
    type(round_).objects.filter(pk=round_.pk).update(self_due_at=timezone.now() - timedelta(minutes=1))
    entry = selfeval.save_draft(
        actor=people.school,
        entry=RoundEntry.objects.get(pk=entry.pk),
        raw={**TEXT, "self_1": "50", "self_2": "30"},
        expected_version=entry.lock_version,
    )
    with pytest.raises(ServiceError, match="已过，不能再提交"):
        selfeval.submit(actor=people.school, entry=entry)


def test_a_sample_is_recorded_and_can_be_drawn_again(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, selection="sample", sample_size=2)
    picked = sorted(round_.entries.values_list("project_id", flat=True))
    live = list(rounds.live_projects(calls.guangxi).values_list("pk", flat=True))
    assert len(picked) == 2 and round_.sample_seed
    assert rounds.draw_sample(live, 2, round_.sample_seed) == picked
    with pytest.raises(ServiceError) as refused:
        open_round(people, calls, experts, selection="sample", sample_size=99)
    assert refused.value.errors["sample_size"] == [f"抽取数量须在 1 至 {len(live)} 之间（本批次实施中的项目数）。"]


def test_a_returned_self_evaluation_goes_back_to_the_project_and_can_be_filed_after_the_deadline(
    people, calls, experts, projects
):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    entry = selfeval.give_opinion(
        actor=people.county, entry=RoundEntry.objects.get(pk=entry.pk), agree=False, text="请补充典型案例。"
    )
    assert entry.status == EntryStatus.DUE and entry.opinions["returned"]["text"] == "请补充典型案例。"
    type(round_).objects.filter(pk=round_.pk).update(self_due_at=timezone.now() - timedelta(minutes=1))
    version = selfeval.submit(actor=people.school, entry=RoundEntry.objects.get(pk=entry.pk))
    assert version.number == 2


def test_a_province_runs_a_national_calls_round_for_its_own_projects_by_delegation(
    people, calls, experts, tree, role_users
):
    from evaluation.scope import manages
    from tests.fixtures.projects import make_project

    ours = make_project(calls.national, tree.county_a, title="兴宁区国家级实验区", kind="zone_county")
    theirs = make_project(calls.national, tree.other_county, title="小店区国家级实验区", kind="zone_county")
    round_ = rounds.open_round(
        actor=people.admin,
        call=calls.national,
        kind=RoundKind.MIDTERM,
        title="国家级实验区中期评估（受委托）",
        selection="all",
        self_due_at=timezone.now() + timedelta(days=10),
        review_due_at=timezone.now() + timedelta(days=20),
        criteria=[dict(c) for c in CRITERIA],
        leader=experts.huang,
        members=[experts.lu, experts.huang],
        experts_per_project=1,
    )
    assert list(round_.entries.values_list("project_id", flat=True)) == [ours.pk]  # not Shanxi's
    assert round_.organisation == tree.province
    assert manages(people.admin, round_) and manages(role_users[Role.MINISTRY_REVIEWER], round_)
    entry = round_.entries.get()
    # The national chain's levels below the province give their opinion: the city.
    assert [o.code for o in selfeval.levels(entry)] == ["450100"]
    shanxi_admin = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")
    assert rounds.organiser_for(shanxi_admin, calls.national)[0] == tree.other_province
    assert not manages(shanxi_admin, round_)
    assert theirs.pk not in set(round_.entries.values_list("project_id", flat=True))


def test_a_removed_project_no_longer_needs_attention(people, calls, experts, projects):
    from budgets.models import Milestone
    from portal.projects.selectors import needing_attention

    Milestone.objects.create(project=projects.b1, title="逾期", owner="x", due_on="2026-04-01")
    assert projects.b1 in needing_attention(people.city)
    entry = evaluated(people, calls, experts, projects.b1, people.school_b, [people.county_b, people.city])
    outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.REVOKE, reasons="严重滞后。")
    assert projects.b1 not in needing_attention(people.city)


def test_a_missed_rectification_date_escalates_once_through_the_beat_task(people, calls, experts, projects):
    from evaluation.models import Rectification
    from evaluation.tasks import task_daily_sweep
    from portal.notifications.models import Notification

    entry = evaluated(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    outcomes.decide(
        actor=people.admin,
        entry=entry,
        outcome=Outcome.RECTIFY,
        reasons="培训不足。",
        rectify_by=timezone.localdate() + timedelta(days=1),
        rectify_items="补齐培训",
    )
    assert outcomes.escalate_overdue() == 0  # not yet due
    Rectification.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert task_daily_sweep.delay().get()["escalated"] == 1
    assert task_daily_sweep.delay().get()["escalated"] == 0  # once
    rectification = Rectification.objects.get()
    assert rectification.escalated_on == timezone.localdate()
    for user in (people.school, people.admin):
        assert Notification.objects.filter(user=user, title__contains="整改期限").count() == 1
    # Filed late, it is still examined; the record says it was late.
    outcomes.file_rectification(actor=people.school, rectification=rectification, report="已整改。")
    assert AuditEntry.objects.filter(action="evaluation.rectification.file").get().data["late"] is True
