"""Adjustments of an approved plan (预算调整) through their services, rule by rule: a line may go down to
zero when nothing was spent on it, never below zero nor below what was spent; every bad amount is named
at its line; the request records who asked, why and from what to what, and tells the level above; the
decision is signed on the adjustment, moves the amounts only when approved, and tells the project."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from budgets.choices import AdjustmentStatus
from budgets.models import Adjustment, BudgetLine, PlanDecision, SpendingPlan
from budgets.services import plans
from budgets.services.spending import record_expenditure
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind, Notification
from portal.orgs.choices import Role
from tests.factories import make_user


@pytest.fixture
def people(tree):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="adj_school", real_name="韦丽娟"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="adj_county", real_name="覃海燕"),
        },
    )


@pytest.fixture
def plan(people, projects, dongguan_rows):
    plan = plans.save_plan(
        actor=people.school,
        project=projects.a1,
        grant="100",
        source="粤财科教〔2021〕68号",
        rows=dongguan_rows,
        expected_version=None,
    )
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意。")
    return SpendingPlan.objects.get(pk=plan.pk)


def _lines(plan):
    return list(plan.lines.all())


def test_a_line_with_nothing_spent_may_go_down_to_zero_but_not_below(people, plan):
    _, second, third = _lines(plan)
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "-1", third.pk: "71"}, reason="x")
    assert refused.value.errors == {f"amount-{second.pk}": ["第2项：不能为负数。"]}
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "0", third.pk: "70"}, reason="研训并入孵化"
    )
    plans.decide_adjustment(actor=people.county, adjustment=adjustment, approve=True, text="同意。")
    assert [line.amount for line in _lines(plan)] == [D("30"), D("0"), D("70")]


def test_a_line_with_nothing_spent_may_go_below_one_wan(people, plan):
    _, second, third = _lines(plan)
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "0.5", third.pk: "69.5"}, reason="x"
    )
    assert adjustment.changes == {str(second.pk): ["10.0000", "0.5000"], str(third.pk): ["60.0000", "69.5000"]}


def test_every_bad_amount_is_named_at_its_own_line(people, plan):
    first, second, third = _lines(plan)
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(
            actor=people.school, plan=plan, reason="x", amounts={first.pk: "-5", second.pk: "abc", third.pk: "60"}
        )
    assert refused.value.message == "调整申请有内容需要修改。"
    assert set(refused.value.errors) == {f"amount-{first.pk}", f"amount-{second.pk}"}
    assert refused.value.errors[f"amount-{first.pk}"] == ["第1项：不能为负数。"]
    assert refused.value.errors[f"amount-{second.pk}"][0].startswith("第2项：")


def test_an_adjustment_is_asked_for_only_on_an_approved_plan_and_with_a_change(people, projects, dongguan_rows, plan):
    first, second, third = _lines(plan)
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={first.pk: "30"}, reason="x")
    assert refused.value.message == "没有调整任何金额。"
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={999999: "1"}, reason="x")
    assert refused.value.message == "预算项目不存在。"
    SpendingPlan.objects.filter(pk=plan.pk).update(status="returned")
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "5", third.pk: "65"}, reason="x")
    assert refused.value.message == "用款方案批复后才能申请调整；批复前请直接修改方案。"


def test_a_plan_that_would_not_hold_is_refused_with_every_reason(people, plan):
    _, second, third = _lines(plan)
    record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 1), amount="8", payee="x")
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "7"}, reason="x")
    reasons = refused.value.errors["__all__"]
    assert reasons[0] == "第2项调整后 7 万元，低于已支出的 8 万元。"
    assert any("合计 97 万元" in r for r in reasons[1:])
    assert refused.value.message == "调整后的方案不成立：" + " ".join(reasons)


def test_a_request_records_who_why_and_from_what_and_tells_the_level_above(people, plan):
    _, second, third = _lines(plan)
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "15", third.pk: "55"}, reason="研训活动增加至15场"
    )
    adjustment = Adjustment.objects.get(pk=adjustment.pk)
    assert (adjustment.reason, adjustment.requested_by, adjustment.status) == (
        "研训活动增加至15场",
        people.school,
        AdjustmentStatus.PENDING,
    )
    assert adjustment.changes == {str(second.pk): ["10.0000", "15.0000"], str(third.pk): ["60.0000", "55.0000"]}
    entry = AuditEntry.objects.get(action="budgets.adjustment.request")
    assert (entry.actor_id, entry.object_id) == (people.school.pk, str(adjustment.pk))
    assert entry.changes == {"第2项金额": ["10.0000", "15.0000"], "第3项金额": ["60.0000", "55.0000"]}
    assert entry.data == {"reason": "研训活动增加至15场"}
    note = Notification.objects.get(user=people.county, title__contains="预算调整")
    assert (note.kind, note.title, note.url) == (
        Kind.TO_REVIEW,
        f"{plan.project.title}：预算调整待审批",
        f"/projects/{plan.project_id}/budget/",
    )
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "12", third.pk: "58"}, reason="x")
    assert refused.value.message == "已有一项调整待审批，审批后才能再次申请。"


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_is_signed_on_the_adjustment_and_moves_money_only_when_approved(people, plan, approve):
    _, second, third = _lines(plan)
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "15", third.pk: "55"}, reason="x"
    )
    version = SpendingPlan.objects.get(pk=plan.pk).lock_version
    decision = plans.decide_adjustment(
        actor=people.county, adjustment=adjustment, approve=approve, text="同意。" if approve else "理由不充分。"
    )
    decision = PlanDecision.objects.get(pk=decision.pk)
    assert (decision.adjustment_id, decision.approve, decision.signer_name) == (adjustment.pk, approve, "覃海燕")
    adjustment = Adjustment.objects.get(pk=adjustment.pk)
    assert adjustment.status == (AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED)
    assert adjustment.decided_at is not None
    amounts = [line.amount for line in BudgetLine.objects.filter(plan=plan).order_by("number")]
    assert amounts == ([D("30"), D("15"), D("55")] if approve else [D("30"), D("10"), D("60")])
    assert SpendingPlan.objects.get(pk=plan.pk).lock_version == version + (1 if approve else 0)
    entry = AuditEntry.objects.get(action="budgets.adjustment." + ("approve" if approve else "refuse"))
    assert (entry.actor_id, entry.object_id) == (people.county.pk, str(adjustment.pk))
    assert entry.changes == (
        {"第2项金额": ["10.0000", "15.0000"], "第3项金额": ["60.0000", "55.0000"]} if approve else {}
    )
    assert entry.data == {"opinion": decision.text}
    note = Notification.objects.get(user=people.school, kind=Kind.RESULT, title__contains="预算调整")
    assert note.title == f"{plan.project.title}：预算调整" + ("已批准" if approve else "未获批准")
    assert note.url == f"/projects/{plan.project_id}/budget/"
    with pytest.raises(ServiceError, match="不能进行此操作"):  # decided once
        plans.decide_adjustment(actor=people.county, adjustment=adjustment, approve=True, text="同意。")
