"""The spending plan's service rules at their boundaries: approval re-checks the plan against the call's
split as it stands then; an adjustment's approval re-checks what has been spent since it was asked
for; a line may be brought down to exactly what it has spent, not below; a date is inside the cycle
from its first day to its last (the extended end included), and outside it the day before and after."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from budgets.choices import AdjustmentStatus, PlanStatus
from budgets.models import BudgetLine, BudgetShare, SpendingPlan
from budgets.services import plans, schedule
from budgets.services.spending import record_expenditure
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from portal.programmes.models import Project
from tests.factories import make_user
from tests.fixtures.projects import END, START


@pytest.fixture
def people(tree):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="韦丽娟"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, real_name="覃海燕"),
        },
    )


def _submitted(people, project, rows):
    plan = plans.save_plan(
        actor=people.school,
        project=project,
        grant="100",
        source="粤财科教〔2021〕68号",
        rows=rows,
        expected_version=None,
    )
    return plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)


def _approved(people, project, rows):
    plan = _submitted(people, project, rows)
    plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意。")
    return SpendingPlan.objects.get(pk=plan.pk)


def test_approval_checks_the_plan_against_the_split_as_it_stands_at_approval(people, projects, calls, dongguan_rows):
    plan = _submitted(people, projects.a1, dongguan_rows)  # 30 / 10 / 60, no split prescribed yet
    for n, (category, percent) in enumerate([("成果编撰出版", 40), ("研训交流展示活动", 10), ("孵化教学模式", 50)], 1):
        BudgetShare.objects.create(call=calls.guangxi, number=n, category=category, percent=percent)
    with pytest.raises(ServiceError, match="用款方案不能批复"):
        plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意。")
    assert SpendingPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    plans.decide_plan(
        actor=people.county, plan=plan, approve=False, text="请按新的预算结构修改。"
    )  # returning needs no check
    assert SpendingPlan.objects.get(pk=plan.pk).status == PlanStatus.RETURNED


def test_approving_an_adjustment_rechecks_what_was_spent_since_it_was_requested(people, projects, dongguan_rows):
    plan = _approved(people, projects.a1, dongguan_rows)
    _, second, third = plan.lines.all()
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "5", third.pk: "65"}, reason="研训活动减少"
    )
    record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 1), amount="8", payee="专家劳务费")
    with pytest.raises(ServiceError, match="第2项调整后 5 万元，低于已支出的 8 万元"):
        plans.decide_adjustment(actor=people.county, adjustment=adjustment, approve=True, text="同意。")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.PENDING
    assert BudgetLine.objects.get(pk=second.pk).amount == D("10")


def test_a_line_may_come_down_to_exactly_what_it_has_spent(people, projects, dongguan_rows):
    plan = _approved(people, projects.a1, dongguan_rows)
    _, second, third = plan.lines.all()
    record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 1), amount="8", payee="专家劳务费")
    with pytest.raises(ServiceError, match="低于已支出的 8 万元"):
        plans.request_adjustment(
            actor=people.school, plan=plan, amounts={second.pk: "7.9999", third.pk: "62.0001"}, reason="x"
        )
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "8", third.pk: "62"}, reason="研训活动减少"
    )
    plans.decide_adjustment(actor=people.county, adjustment=adjustment, approve=True, text="同意。")
    assert BudgetLine.objects.get(pk=second.pk).amount == D("8")


@pytest.mark.parametrize(
    "day, inside", [(START - timedelta(days=1), False), (START, True), (END, True), (END + timedelta(days=1), False)]
)
def test_spending_is_dated_from_the_cycles_first_day_to_its_last(people, projects, dongguan_rows, day, inside):
    line = _approved(people, projects.a1, dongguan_rows).lines.get(number=1)
    spend = lambda: record_expenditure(actor=people.school, line=line, spent_on=day, amount="1", payee="x")  # noqa: E731
    if inside:
        assert spend().spent_on == day
    else:
        with pytest.raises(ServiceError) as refused:
            spend()
        assert refused.value.errors["spent_on"] == ["日期须在项目实施周期内（2026-03-01 至 2029-02-28）。"]


def test_an_extended_cycle_ends_on_its_new_last_day(people, projects, dongguan_rows):
    line = _approved(people, projects.a1, dongguan_rows).lines.get(number=1)
    Project.objects.filter(pk=projects.a1.pk).update(extended_ends_on=date(2030, 2, 28))
    line = BudgetLine.objects.select_related("plan__project").get(pk=line.pk)
    assert record_expenditure(actor=people.school, line=line, spent_on=date(2030, 2, 28), amount="1", payee="x")
    with pytest.raises(ServiceError) as refused:
        record_expenditure(actor=people.school, line=line, spent_on=date(2030, 3, 1), amount="1", payee="x")
    assert refused.value.errors["spent_on"] == ["日期须在项目实施周期内（2026-03-01 至 2030-02-28）。"]


@pytest.mark.parametrize("day, inside", [(START, True), (END, True), (END + timedelta(days=1), False)])
def test_a_milestone_is_due_inside_the_cycle_its_last_day_included(people, projects, day, inside):
    add = lambda: schedule.add_milestone(
        actor=people.school,
        project=projects.a1,  # noqa: E731
        data={"title": "完成全员培训", "owner": "教务处", "due_on": day.isoformat()},
    )
    if inside:
        assert add().due_on == day
    else:
        with pytest.raises(ServiceError) as refused:
            add()
        assert "due_on" in refused.value.errors


def test_spending_exactly_what_is_left_on_a_line_is_accepted_and_a_ten_thousandth_more_is_not(
    people, projects, dongguan_rows
):
    line = _approved(people, projects.a1, dongguan_rows).lines.get(number=2)  # 10 万元
    record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="9.9999", payee="x")
    with pytest.raises(ServiceError, match="本笔将超出 0.0001 万元"):
        record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="0.0002", payee="x")
    record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="0.0001", payee="x")


def test_a_removed_project_stops_its_own_writes_only(people, projects, dongguan_rows, tree):
    from portal.programmes.choices import ProjectStatus

    Project.objects.filter(pk=projects.b1.pk).update(status=ProjectStatus.TERMINATED)
    line = _approved(people, projects.a1, dongguan_rows).lines.get(number=1)  # a1 goes on
    assert record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="1", payee="x")
    b1 = make_user(Role.SCHOOL_APPLICANT, tree.school_b1, username="b1_removed")
    with pytest.raises(ServiceError) as refused:
        schedule.add_milestone(actor=b1, project=projects.b1, data={"title": "x", "owner": "y", "due_on": "2026-12-31"})
    assert refused.value.message == "该项目已被撤销（动态调整），不能再支出、报送或修改项目材料。"
    assert refused.value.errors == {"__all__": ["项目已撤销，剩余资金已冻结。"]}
