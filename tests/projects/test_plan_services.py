"""The spending plan through its services: drafting, the total and the prescribed split at
submission, approval with opinion and seal by the level above, 409 between two editors, spending
never beyond a line, adjustments, and the audit of old → new values."""

from datetime import date
from decimal import Decimal as D

import pytest

from budgets.choices import AdjustmentStatus, PlanStatus
from budgets.models import BudgetLine, BudgetShare, Expenditure, SpendingPlan
from budgets.selectors import execution
from budgets.services import plans
from budgets.services.spending import record_expenditure
from portal.audit.models import AuditEntry
from portal.core.exceptions import Conflict, ServiceError
from portal.core.samples import blank_pdf
from portal.orgs.choices import Role
from tests.factories import make_user


@pytest.fixture
def people(tree):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="韦丽娟"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, real_name="覃海燕"),
            "other_county": make_user(Role.COUNTY_REVIEWER, tree.county_b),
            "city": make_user(Role.CITY_REVIEWER, tree.city_a),
        },
    )


def _save(people, project, rows, grant="100", version=None):
    return plans.save_plan(
        actor=people.school,
        project=project,
        grant=grant,
        source="粤财科教〔2021〕68号",
        rows=rows,
        expected_version=version,
    )


def _approved(people, project, rows, plan=None):
    plan = plan or _save(people, project, rows)
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意。")
    return SpendingPlan.objects.get(pk=plan.pk)


def test_the_dongguan_lines_make_a_plan_of_100_wan(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    assert [(line.number, line.amount) for line in plan.lines.all()] == [(1, D("30")), (2, D("10")), (3, D("60"))]
    assert plans.plan_refusals(plan) == []


def test_lines_that_do_not_add_up_are_saved_as_draft_but_refused_at_submission(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows[:2])
    with pytest.raises(ServiceError) as refused:
        plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    assert "各预算项目合计 40 万元，与下达资金 100 万元不一致（少 60 万元）。" in refused.value.message
    assert SpendingPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_a_prescribed_30_10_60_split_is_kept_or_refused_with_the_line(people, projects, calls, dongguan_rows):
    for n, (category, percent) in enumerate([("成果编撰出版", 30), ("研训交流展示活动", 10), ("孵化教学模式", 60)], 1):
        BudgetShare.objects.create(call=calls.guangxi, number=n, category=category, percent=percent)
    rows = [dict(r) for r in dongguan_rows]
    rows[0]["quantity"], rows[2]["quantity"] = "2.5", "8.75"  # 37.5 + 10 + 52.5: the total holds, the split not
    plan = _save(people, projects.a1, rows)
    assert plans.plan_refusals(plan) == [
        "“成果编撰出版”规定占 30%（30 万元），现为 37.5 万元，超出 7.5 万元。",
        "“孵化教学模式”规定占 60%（60 万元），现为 52.5 万元，不足 7.5 万元。",
    ]
    with pytest.raises(ServiceError, match="超出 7.5 万元"):
        plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plan = _save(people, projects.a1, dongguan_rows, version=plan.lock_version)
    assert plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version).status == "submitted"


def test_bad_fields_refuse_the_save_with_a_message_at_each_field_and_save_nothing(people, projects, dongguan_rows):
    rows = [dict(r) for r in dongguan_rows]
    rows[1]["unit_cost"] = "一万"
    rows[2]["unit"] = ""
    with pytest.raises(ServiceError) as refused:
        plans.save_plan(
            actor=people.school, project=projects.a1, grant="abc", source="", rows=rows, expected_version=None
        )
    assert refused.value.errors == {
        "grant": ["下达资金：请填写数字金额（万元）。"],
        "source": ["请填写资金来源（下达资金的文件文号）。"],
        "lines-1-unit_cost": ["单价：请填写数字金额（万元）。"],
        "lines-2-unit": ["请填写单位。"],
    }
    assert not SpendingPlan.objects.exists() and not BudgetLine.objects.exists()


def test_two_editors_of_one_plan_get_a_conflict_and_the_first_save_stands(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    stale = plan.lock_version
    _save(people, projects.a1, dongguan_rows[:2], version=stale)
    with pytest.raises(Conflict):
        _save(people, projects.a1, dongguan_rows, version=stale)
    assert SpendingPlan.objects.get(pk=plan.pk).lines.count() == 2
    with pytest.raises(Conflict):
        _save(people, projects.a1, dongguan_rows, version=None)


def test_only_the_level_above_approves_and_its_seal_is_on_the_opinion(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    for outsider in (people.other_county, people.city, people.school):
        with pytest.raises(PermissionError):
            plans.decide_plan(actor=outsider, plan=plan, approve=True, text="同意")
    with pytest.raises(ServiceError, match="请填写审批意见"):
        plans.decide_plan(actor=people.county, plan=plan, approve=True, text=" ")
    decision = plans.decide_plan(actor=people.county, plan=plan, approve=True, text="同意该用款方案。")
    assert (
        decision.organisation == projects.a1.organisation.parent and decision.seal.organisation == decision.organisation
    )
    assert SpendingPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    with pytest.raises(ServiceError, match="不能进行此操作"):  # frozen: no second decision, no edit
        plans.decide_plan(actor=people.county, plan=plan, approve=False, text="退回")
    with pytest.raises(ServiceError, match="不能进行此操作"):
        _save(people, projects.a1, dongguan_rows, version=SpendingPlan.objects.get(pk=plan.pk).lock_version)


def test_a_returned_plan_can_be_revised_and_submitted_again(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    plan = plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=people.county, plan=plan, approve=False, text="请细化说明。")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    plan = _save(people, projects.a1, dongguan_rows, version=plan.lock_version)
    assert plans.submit_plan(actor=people.school, plan=plan, expected_version=plan.lock_version).status == "submitted"


def test_spending_stops_at_the_line_amount(people, projects, dongguan_rows):
    plan = _approved(people, projects.a1, dongguan_rows)
    line = plan.lines.get(number=2)  # 10 万元
    record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 1), amount="9.5", payee="专家劳务费")
    with pytest.raises(ServiceError) as refused:
        record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 2), amount="0.5001", payee="材料费")
    assert refused.value.errors["amount"] == [
        "第2项“研训、交流展示活动专家劳务费、专用材料费等”预算 10 万元，已支出 9.5 万元，本笔将超出 0.0001 万元；如需超支，请先申请预算调整。"
    ]
    record_expenditure(actor=people.school, line=line, spent_on=date(2026, 9, 2), amount="0.5", payee="材料费")
    money = execution(plan)
    assert [(r["line"].number, r["spent"], r["rate"]) for r in money["lines"]] == [
        (1, D("0"), D("0.00")),
        (2, D("10"), D("100.00")),
        (3, D("0"), D("0.00")),
    ]
    assert money["spent"] == D("10") and money["rate"] == D("10.00")
    assert money["years"] == [{"year": 2026, "spent": D("10"), "rate": D("10.00")}]


def test_spending_needs_an_approved_plan_a_date_in_the_cycle_and_a_real_voucher(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    with pytest.raises(ServiceError, match="批复后才能登记支出"):
        record_expenditure(
            actor=people.school, line=plan.lines.first(), spent_on=date(2026, 9, 1), amount="1", payee="x"
        )
    plan = _approved(people, projects.a1, dongguan_rows, plan=plan)
    line = plan.lines.first()
    with pytest.raises(ServiceError) as refused:
        record_expenditure(
            actor=people.school,
            line=line,
            spent_on=date(2025, 12, 31),
            amount="0",
            payee="",
            voucher_name="凭证.pdf",
            voucher=b"MZ\x90\x00 not a pdf",
        )
    errors = refused.value.errors
    assert errors["spent_on"] == ["日期须在项目实施周期内（2026-03-01 至 2029-02-28）。"]
    assert errors["amount"] == ["金额：须大于 0。"] and errors["payee"] == ["请填写收款单位/用途。"]
    assert "不是允许的文件类型" in errors["voucher"][0]
    with pytest.raises(ServiceError) as refused:
        record_expenditure(
            actor=people.school,
            line=line,
            spent_on=date(2026, 9, 1),
            amount="1",
            payee="x",
            voucher_name="凭证.jpg",
            voucher=blank_pdf(),
        )
    assert "扩展名与文件内容（PDF）不符" in refused.value.errors["voucher"][0]
    assert not Expenditure.objects.exists()
    e = record_expenditure(
        actor=people.school,
        line=line,
        spent_on=date(2026, 9, 1),
        amount="1",
        payee="x",
        voucher_name="凭证.pdf",
        voucher=blank_pdf(),
    )
    assert e.voucher_type == "application/pdf" and e.voucher_stored


def test_an_adjustment_moves_money_between_lines_once_approved(people, projects, dongguan_rows):
    plan = _approved(people, projects.a1, dongguan_rows)
    first, second, third = plan.lines.all()
    record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 1), amount="8", payee="x")
    with pytest.raises(ServiceError, match="合计 105 万元"):
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "15"}, reason="增加场次")
    with pytest.raises(ServiceError, match="低于已支出的 8 万元"):
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "7", third.pk: "63"}, reason="x")
    with pytest.raises(ServiceError) as refused:
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "15", third.pk: "55"}, reason="")
    assert refused.value.errors == {"reason": ["请填写调整理由。"]}
    adjustment = plans.request_adjustment(
        actor=people.school, plan=plan, amounts={second.pk: "15", third.pk: "55"}, reason="研训活动增加至15场"
    )
    with pytest.raises(ServiceError, match="已有一项调整待审批"):
        plans.request_adjustment(actor=people.school, plan=plan, amounts={second.pk: "12", third.pk: "58"}, reason="x")
    assert BudgetLine.objects.get(pk=second.pk).amount == D("10")  # nothing moves before approval
    with pytest.raises(ServiceError, match="超出"):
        record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 2), amount="3", payee="x")
    plans.decide_adjustment(actor=people.county, adjustment=adjustment, approve=True, text="同意调整。")
    assert [line.amount for line in plan.lines.all()] == [D("30"), D("15"), D("55")]
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    record_expenditure(actor=people.school, line=second, spent_on=date(2026, 9, 2), amount="3", payee="x")
    entry = AuditEntry.objects.filter(action="budgets.adjustment.approve").get()
    assert entry.changes == {"第2项金额": ["10.0000", "15.0000"], "第3项金额": ["60.0000", "55.0000"]}


def test_every_change_is_audited_with_old_and_new_values(people, projects, dongguan_rows):
    plan = _save(people, projects.a1, dongguan_rows)
    rows = [dict(r) for r in dongguan_rows]
    rows[1]["quantity"] = "8"
    _save(people, projects.a1, rows, version=plan.lock_version)
    entry = AuditEntry.objects.filter(action="budgets.plan.save").order_by("-pk").first()
    old, new = entry.changes["lines"]
    assert "10 场 = 10" in old[1] and "8 场 = 8" in new[1]
    assert AuditEntry.objects.filter(action="budgets.plan.save").count() == 2
    assert entry.changes.get("grant") is None  # unchanged fields are not listed


def test_someone_elses_project_cannot_be_planned(people, projects, dongguan_rows):
    with pytest.raises(PermissionError):
        _save(people, projects.b1, dongguan_rows)
    with pytest.raises(PermissionError):
        plans.save_plan(
            actor=people.county, project=projects.a1, grant="1", source="x", rows=dongguan_rows, expected_version=None
        )
