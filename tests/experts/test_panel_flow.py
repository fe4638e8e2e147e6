"""Panels through the services: assignment with 回避, blind scoring, conflicts, closing, the leader's
sign-off into the review chain, and the ranking."""

from decimal import Decimal as D

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.experts import results, selectors
from portal.experts.models import Assignment
from portal.experts.services.assignment import assign, auto_assign, declare_conflict
from portal.experts.services.sheets import close_panel, save_sheet
from portal.review.services.decisions import Decision, decide


def _score(expert, application, points, comment="方案可行。", submit=True):
    assignment = Assignment.objects.get(expert=expert, application=application, status__in=["assigned", "submitted"])
    return save_sheet(
        actor=expert.user,
        assignment=assignment,
        points=dict(zip("1234", points)),
        comments={},
        comment=comment,
        submit=submit,
    )


def test_automatic_assignment_respects_avoidance_and_balances(tree, admin, experts, panel, at_expert_stage):
    a1, b1, c1 = at_expert_stage(tree.school_a1, tree.school_b1, tree.school_c1)
    outcome = auto_assign(actor=admin, panel=panel)
    assert outcome == {"made": 6, "short": {}}
    given = {(a.application_id, a.expert_id) for a in Assignment.objects.all()}
    # 陆 (registered in 柳州) and 覃 (柳州's bureau) never get 柳州's school; 韦 (a 南宁 school) never 南宁's.
    assert (c1.pk, experts.lu.pk) not in given and (c1.pk, experts.qin.pk) not in given
    assert not {(a1.pk, experts.wei.pk), (b1.pk, experts.wei.pk)} & given
    loads = [Assignment.objects.filter(expert=e).count() for e in (experts.lu, experts.huang, experts.qin, experts.wei)]
    assert sum(loads) == 6 and max(loads) - min(loads) <= 2
    assert AuditEntry.objects.filter(action="experts.assign").count() == 6
    assert auto_assign(actor=admin, panel=panel)["made"] == 0  # idempotent
    with pytest.raises(ServiceError, match="须回避"):
        Assignment.objects.filter(application=c1).delete()
        assign(actor=admin, panel=panel, application=c1, expert=experts.qin)


def test_scoring_is_blind_until_submitted_and_the_leader_sees_all_after_the_close(
    tree, admin, experts, panel, at_expert_stage
):
    (a1,) = at_expert_stage(tree.school_a1)
    assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    assign(actor=admin, panel=panel, application=a1, expert=experts.qin)
    huang = Assignment.objects.get(expert=experts.huang)
    qin = Assignment.objects.get(expert=experts.qin)
    _score(experts.huang, a1, ["20", "22", "18", "21"])
    assert selectors.others_visible(experts.qin.user, qin) is False  # before submitting: blind
    draft = _score(experts.qin, a1, ["15", "", "", ""], submit=False)
    assert draft.total is None and draft.scores["1"]["points"] == "15"
    with pytest.raises(ServiceError) as refusal:
        _score(experts.qin, a1, ["15", "30", "", ""])
    assert refusal.value.errors["points_2"] == ["“教育信息化基础条件较好”的得分须在 0 到 25 之间。"]
    assert refusal.value.errors["points_3"] == ["请为“信息化教学应用起点较高”打分。"]
    _score(experts.qin, a1, ["15", "16", "17", "18"])
    qin.refresh_from_db()
    assert qin.total == D("66.00") and selectors.others_visible(experts.qin.user, qin)
    assert selectors.others_visible(experts.lu.user, huang) is False  # the leader, before the close
    close_panel(actor=admin, panel=panel)
    panel.refresh_from_db()
    assert selectors.others_visible(experts.lu.user, Assignment.objects.get(pk=huang.pk))
    assert AuditEntry.objects.filter(action="experts.score.submit").count() == 2


def test_a_changed_score_is_audited_and_nothing_changes_after_the_close(tree, admin, experts, panel, at_expert_stage):
    (a1,) = at_expert_stage(tree.school_a1)
    assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    _score(experts.huang, a1, ["20", "20", "20", "20"])
    _score(experts.huang, a1, ["20", "20", "20", "25"])
    change = AuditEntry.objects.get(action="experts.score.change")
    assert change.changes == {"total": ["80.00", "85.00"]}
    close_panel(actor=admin, panel=panel)
    with pytest.raises(ServiceError, match="评审已结束"):
        _score(experts.huang, a1, ["1", "1", "1", "1"])


def test_a_declared_conflict_is_reassigned_at_once(tree, admin, experts, panel, at_expert_stage):
    (a1,) = at_expert_stage(tree.school_a1)
    auto_assign(actor=admin, panel=panel)
    first = Assignment.objects.filter(application=a1).order_by("pk").first()
    with pytest.raises(ServiceError, match="回避理由"):
        declare_conflict(actor=first.expert.user, assignment=first, reason=" ")
    declare_conflict(actor=first.expert.user, assignment=first, reason="曾参与该校实验方案的编写")
    active = Assignment.objects.filter(application=a1, status="assigned")
    assert active.count() == 2 and first.expert_id not in set(active.values_list("expert_id", flat=True))
    assert AuditEntry.objects.filter(action="experts.conflict", data__reason="曾参与该校实验方案的编写").exists()


def test_closing_needs_every_score_and_only_the_leader_signs_the_panel_opinion(
    tree, admin, experts, panel, at_expert_stage
):
    (a1,) = at_expert_stage(tree.school_a1)
    assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    assign(actor=admin, panel=panel, application=a1, expert=experts.qin)
    _score(experts.huang, a1, ["20", "22", "18", "21"])
    with pytest.raises(ServiceError, match="尚有 1 份评分未提交"):
        close_panel(actor=admin, panel=panel)
    _score(experts.qin, a1, ["15", "16", "17", "18"])
    decision = Decision(outcome="recommend", text="专家组一致建议立项。")
    with pytest.raises(ServiceError, match="由专家组组长在评审结束后签署"):
        decide(actor=experts.lu.user, application=a1, decision=decision)  # the leader, before the close
    close_panel(actor=admin, panel=panel)
    for other in (admin, experts.huang.user):
        with pytest.raises(ServiceError, match="由专家组组长在评审结束后签署"):
            decide(actor=other, application=a1, decision=decision)
    opinion = decide(actor=experts.lu.user, application=a1, decision=decision)
    assert (opinion.level, opinion.organisation, opinion.signer_name) == ("expert", tree.province, "陆教授")
    with pytest.raises(ServiceError):
        decide(actor=experts.lu.user, application=a1, decision=Decision(outcome="approve", text="越权"))


def test_ranking_with_trimmed_means_outliers_and_ties(tree, admin, experts, panel, at_expert_stage, calls):
    from portal.experts.services.pool import register_expert, save_panel
    from tests.factories import make_user

    extra = [
        register_expert(actor=admin, user=make_user("expert", tree.university, username=f"e{i}"), field="x")
        for i in range(2)
    ]
    big = save_panel(
        actor=admin,
        call=calls.guangxi,
        name="五人组",
        leader=experts.huang,
        members=[experts.lu, experts.qin, *extra],
        applicant_kind="school",
        experts_per_application=5,
        outlier_margin=D(25),
        panel=panel,
    )
    a1, a2, a3 = at_expert_stage(tree.school_a1, tree.school_a2, tree.school_b1)
    members = [experts.huang, experts.lu, experts.qin, *extra]
    for app in (a1, a2, a3):
        for m in members:
            assign(actor=admin, panel=big, application=app, expert=m)
    # a1: 90 80 86 70 40 → trimmed (80 + 86 + 70) / 3 = 78.67; 40 is 41.5 below the others' mean 81.5
    # (beyond the 25-point margin); 90 is 21 above its others' 69 (within it).
    for m, total in zip(members, [90, 80, 86, 70, 40]):
        _score(m, a1, [str(total / 4)] * 4)
    for app in (a2, a3):  # a tie: both 80 80 80 80 80
        for m in members:
            _score(m, app, ["20"] * 4)
    rows = {r.application.pk: r for r in results.panel_results(big)}
    assert (rows[a1.pk].trimmed, rows[a1.pk].mean, rows[a1.pk].spread) == (D("78.67"), D("73.20"), D("50.00"))
    assert {e.pk: d for e, d in rows[a1.pk].outliers.items()} == {extra[1].pk: D("-41.50")}
    assert (rows[a2.pk].rank, rows[a3.pk].rank, rows[a1.pk].rank) == (1, 1, 3)
    ranked = results.against_targets(results.panel_results(big), calls.guangxi)
    assert all(r.within_target for r in ranked)  # 40 schools targeted, 3 scored


def test_the_leaders_recommendations_reach_the_administrator_in_the_panels_order(
    tree, admin, experts, panel, at_expert_stage
):
    from portal.experts.services.sheets import order_list_by_panel
    from portal.review.models import RecommendationList

    low, high = at_expert_stage(tree.school_a1, tree.school_b1)
    for app, points in ((low, "15"), (high, "24")):
        for e in (experts.huang, experts.qin):
            assign(actor=admin, panel=panel, application=app, expert=e)
            _score(e, app, [points] * 4)
    close_panel(actor=admin, panel=panel)
    for app in (low, high):  # signed in the "wrong" order
        decide(actor=experts.lu.user, application=app, decision=Decision(outcome="recommend", text="建议立项"))
    order_list_by_panel(actor=experts.lu.user, panel=panel)
    lst = RecommendationList.objects.get(level="expert")
    assert list(lst.entries.order_by("rank").values_list("application_id", flat=True)) == [high.pk, low.pk]
