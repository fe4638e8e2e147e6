"""The spending plan's lines and the spending against them through their services, at each edge: a blank
row is skipped and the next keeps its place (lines-<i>-…); amounts must be above zero; a quantity has at
most two decimals and stays below 10⁸; a line's amount below the column's limit; what was typed is
kept; a voucher must be a PDF or an image, named in the refusal; a spending is audited with its line,
payee and day, and by whom it was recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from budgets import arithmetic
from budgets.models import Expenditure
from budgets.services import plans
from budgets.services.spending import record_expenditure
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from tests.factories import make_user

ROW = {
    "category": "研训交流",
    "purpose": "专家劳务费",
    "explanation": "每场1万元",
    "unit_cost": "1",
    "quantity": "10",
    "unit": "场",
}


@pytest.fixture
def people(tree):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="line_school", real_name="韦丽娟"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="line_county"),
        },
    )


def _save(people, project, rows, grant="100"):
    return plans.save_plan(
        actor=people.school, project=project, grant=grant, source="x", rows=rows, expected_version=None
    )


def _errors(people, project, rows) -> dict:
    with pytest.raises(ServiceError) as refusal:
        _save(people, project, rows)
    return refusal.value.errors


def test_a_blank_row_is_skipped_and_each_line_keeps_what_was_typed(people, projects):
    plan = _save(people, projects.a1, [{}, {"category": " ", "unit_cost": ""}, ROW])
    line = plan.lines.get()
    assert (line.number, line.category, line.purpose, line.explanation, line.unit) == (
        1,
        "研训交流",
        "专家劳务费",
        "每场1万元",
        "场",
    )
    assert (line.unit_cost, line.quantity, line.amount) == (D(1), D(10), D(10))


def test_no_line_at_all_is_refused(people, projects):
    assert _errors(people, projects.a1, [{}, {}]) == {"lines": ["请至少填写一个预算项目。"]}


def test_each_refusal_is_at_the_rows_own_index_with_its_label(people, projects):
    rows = [ROW, {}, {**ROW, "category": "", "unit_cost": "0", "quantity": "-1", "unit": ""}]
    assert _errors(people, projects.a1, rows) == {
        "lines-2-category": ["请填写资金投入方向。"],
        "lines-2-unit": ["请填写单位。"],
        "lines-2-unit_cost": ["单价：须大于 0。"],
        "lines-2-quantity": ["数量：须大于 0。"],
    }


@pytest.mark.parametrize(
    "quantity, refusal",
    [
        ("1.25", None),
        ("1.255", "数量：数量最多保留两位小数。"),
        ("99999999.99", None),
        ("100000000", "数量：数量过大。"),
    ],
)
def test_a_quantity_has_two_decimals_at_most_and_stays_below_a_hundred_million(people, projects, quantity, refusal):
    row = {**ROW, "unit_cost": "0.0001", "quantity": quantity}
    if refusal is None:
        assert _save(people, projects.a1, [row]).lines.get().quantity == D(quantity)
    else:
        assert _errors(people, projects.a1, [row]) == {"lines-0-quantity": [refusal]}


def test_a_unit_cost_may_have_four_decimals(people, projects):
    assert _save(people, projects.a1, [{**ROW, "unit_cost": "0.1234", "quantity": "3"}]).lines.get().amount == D(
        "0.3702"
    )


def test_a_line_whose_amount_reaches_the_columns_limit_is_refused(people, projects):
    below = arithmetic.LIMIT - 1
    assert _save(people, projects.a1, [{**ROW, "unit_cost": str(below), "quantity": "1"}]).lines.get().amount == below
    for unit_cost, quantity in ((str(below), "1.01"), (str(arithmetic.LIMIT / 2), "2")):  # above, and exactly at it
        assert _errors(people, projects.a1, [{**ROW, "unit_cost": unit_cost, "quantity": quantity}]) == {
            "lines-0-quantity": ["金额（单价 × 数量）过大。"]
        }


@pytest.fixture
def line(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意。")
    return plan.lines.get(number=2)


def test_a_spending_is_recorded_by_whom_and_audited_with_its_line_payee_and_day(people, line):
    from portal.core.samples import blank_pdf

    spent = record_expenditure(
        actor=people.school,
        line=line,
        spent_on=date(2026, 9, 1),
        amount="1.5",
        payee="专家劳务费",
        voucher_name="凭证.pdf",
        voucher=blank_pdf(),
    )
    spent = Expenditure.objects.get(pk=spent.pk)
    assert (spent.recorded_by, spent.voucher_name, spent.voucher_type) == (people.school, "凭证.pdf", "application/pdf")
    assert spent.voucher_stored and spent.amount == D("1.5")
    entry = AuditEntry.objects.get(action="budgets.expenditure.record")
    assert (entry.actor_id, entry.object_id) == (people.school.pk, str(spent.pk))
    assert entry.changes == {"金额": [None, "1.5000"]}
    assert entry.data == {"line": 2, "payee": "专家劳务费", "spent_on": "2026-09-01"}


def test_a_spending_without_a_voucher_keeps_no_voucher_name(people, line):
    spent = record_expenditure(
        actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="1", payee="x", voucher_name="凭证.pdf"
    )
    assert (spent.voucher_name, spent.voucher_stored, spent.voucher_type) == ("", "", "")


def test_a_voucher_that_is_no_pdf_or_image_is_refused_by_its_name(people, line):
    import io
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(ServiceError) as refusal:
        record_expenditure(
            actor=people.school,
            line=line,
            spent_on=None,
            amount="1",
            payee="x",
            voucher_name="凭证.zip",
            voucher=data.getvalue(),
        )
    errors = refusal.value.errors
    assert refusal.value.message == "支出记录有内容需要修改。"
    assert errors["spent_on"] == ["请填写支出日期。"]
    assert len(errors["voucher"]) == 1 and "凭证.zip" in errors["voucher"][0]
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_on_a_plan_is_signed_by_whom_audited_and_told(people, projects, dongguan_rows, approve):
    from budgets.choices import PlanStatus
    from budgets.models import PlanDecision, SpendingPlan
    from portal.notifications.models import Kind, Notification

    plan = _save(people, projects.a1, dongguan_rows)
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    version = plan.lock_version
    with pytest.raises(ServiceError) as refusal:
        plans.decide_plan(actor=people.county, plan=plan, approve=approve, text=" ")
    assert (refusal.value.message, refusal.value.errors) == ("请填写审批意见。", {"text": ["请填写审批意见。"]})
    decision = plans.decide_plan(
        actor=people.county, plan=plan, approve=approve, text="同意。" if approve else "请修改。"
    )
    decision = PlanDecision.objects.get(pk=decision.pk)
    assert (decision.actor, decision.approve, decision.adjustment, decision.organisation) == (
        people.county,
        approve,
        None,
        projects.a1.organisation.parent,
    )
    plan = SpendingPlan.objects.get(pk=plan.pk)
    assert plan.status == (PlanStatus.APPROVED if approve else PlanStatus.RETURNED)
    assert (plan.approved_at is not None) is approve and plan.lock_version == version + 1
    entry = AuditEntry.objects.get(action="budgets.plan." + ("approve" if approve else "return"))
    assert (entry.actor_id, entry.object_id) == (people.county.pk, str(plan.pk))
    assert entry.changes == {"status": ["submitted", plan.status]} and entry.data == {"opinion": decision.text}
    note = Notification.objects.get(user=people.school, kind=Kind.RESULT)
    assert note.title == f"{projects.a1.title}：用款方案" + ("已批复" if approve else "被退回修改")
    assert note.url == f"/projects/{projects.a1.pk}/budget/"


def test_a_plan_is_saved_with_its_grant_source_and_goal_and_audited_from_what_it_was(people, projects, dongguan_rows):
    from budgets.models import SpendingPlan

    with pytest.raises(ServiceError) as refusal:
        plans.save_plan(
            actor=people.school, project=projects.a1, grant="0", source="", rows=dongguan_rows, expected_version=None
        )
    assert refusal.value.errors == {
        "grant": ["下达资金：须大于 0。"],
        "source": ["请填写资金来源（下达资金的文件文号）。"],
    }
    plan = plans.save_plan(
        actor=people.school,
        project=projects.a1,
        grant="0.5",
        source="粤财〔2021〕1号",
        goal=" 目标 ",
        rows=dongguan_rows[:1],
        expected_version=None,
    )
    plan = SpendingPlan.objects.get(pk=plan.pk)
    assert (plan.grant, plan.source, plan.goal, plan.updated_by, plan.lock_version) == (
        D("0.5"),
        "粤财〔2021〕1号",
        "目标",
        people.school,
        1,
    )
    plans.save_plan(
        actor=people.school,
        project=projects.a1,
        grant="100",
        source="粤财〔2021〕2号",
        goal="新目标",
        rows=dongguan_rows[:1],
        expected_version=1,
    )
    entry = AuditEntry.objects.filter(action="budgets.plan.save").order_by("-pk").first()
    assert entry.actor_id == people.school.pk
    assert entry.changes == {
        "grant": ["0.5000", "100.0000"],
        "source": ["粤财〔2021〕1号", "粤财〔2021〕2号"],
        "goal": ["目标", "新目标"],
    }
    with pytest.raises(ServiceError) as conflict:
        plans.save_plan(
            actor=people.school, project=projects.a1, grant="100", source="x", rows=dongguan_rows, expected_version=1
        )
    assert conflict.value.message.startswith("用款方案已被韦丽娟于")
    assert (conflict.value.current_version, conflict.value.updated_by) == (2, "韦丽娟")
