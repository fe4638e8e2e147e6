"""The spending plan (用款方案): drafting its lines, submission, the level above's approval with
opinion and seal, and adjustments after approval."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets import arithmetic
from budgets.choices import ADJUSTMENT_TRANSITIONS, PLAN_TRANSITIONS, AdjustmentStatus, PlanStatus
from budgets.models import Adjustment, BudgetLine, BudgetShare, PlanDecision, SpendingPlan
from budgets.services.common import audit_change, require, snapshot
from portal.audit.services import log_action
from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.core.workflow import move
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.projects.selectors import project_users, supervisors

LINE_FIELDS = ("category", "purpose", "explanation", "unit_cost", "quantity", "unit")
REQUIRED = {"category": "资金投入方向", "purpose": "项目", "unit": "单位"}


def shares_of(call) -> list[arithmetic.Share]:
    return [arithmetic.Share(s.category, s.percent, s.amount) for s in BudgetShare.objects.filter(call=call)]


def _clean_lines(rows: list[dict]) -> tuple[list[dict], dict]:
    """Typed lines from the editor's rows, and errors keyed "lines-<i>-<field>" (blank rows dropped)."""
    lines, errors = [], {}
    for i, row in enumerate(rows):
        if not any(str(row.get(f, "")).strip() for f in LINE_FIELDS):
            continue
        line = {"explanation": str(row.get("explanation", "")).strip()}
        for field, label in REQUIRED.items():
            value = str(row.get(field, "")).strip()
            if not value:
                errors[f"lines-{i}-{field}"] = [f"请填写{label}。"]
            line[field] = value
        for field in ("unit_cost", "quantity"):
            try:
                value = arithmetic.wan(row.get(field, ""))
                if value <= 0:
                    raise ValueError("须大于 0")
                if field == "quantity" and value != value.quantize(Decimal("0.01")):
                    raise ValueError("数量最多保留两位小数")
                if field == "quantity" and value >= 10**8:
                    raise ValueError("数量过大")
                line[field] = value
            except ValueError as refusal:
                errors[f"lines-{i}-{field}"] = [f"{'单价' if field == 'unit_cost' else '数量'}：{refusal}。"]
        if "unit_cost" in line and "quantity" in line:
            line["amount"] = arithmetic.line_amount(line["unit_cost"], line["quantity"])
            if line["amount"] >= arithmetic.LIMIT:
                errors[f"lines-{i}-quantity"] = ["金额（单价 × 数量）过大。"]
        lines.append(line)
    if not lines and not errors:
        errors["lines"] = ["请至少填写一个预算项目。"]
    return lines, errors


def _check_version(plan: SpendingPlan, expected: int) -> None:
    if plan.lock_version != expected:
        who = plan.updated_by.display_name if plan.updated_by else "其他用户"
        raise Conflict(
            f"用款方案已被{who}于{timezone.localtime(plan.updated_at):%H:%M}修改，您的修改尚未保存。",
            current_version=plan.lock_version,
            updated_by=who,
            updated_at=plan.updated_at,
        )


def plan_refusals(plan: SpendingPlan, amounts: dict | None = None) -> list[str]:
    """Why the plan's lines (with `amounts` put in place of their own) cannot stand: total and split."""
    amounts = amounts or {}
    lines = [
        arithmetic.Line(f"第{line.number}项“{line.purpose}”", line.category, amounts.get(line.pk, line.amount))
        for line in plan.lines.all()
    ]
    return arithmetic.total_refusals(lines, plan.grant) + arithmetic.split_refusals(
        lines, plan.grant, shares_of(plan.project.call)
    )


def save_plan(*, actor, project, grant, source: str, goal: str = "", rows: list[dict], expected_version: int | None):
    """Creates or replaces the draft plan. Field errors refuse the save (the page keeps the input);
    a total or split that does not hold is saved and reported, and refused at submission."""
    require(actor, "projects.edit_project", project)
    errors = {}
    try:
        grant = arithmetic.wan(grant)
        if grant <= 0:
            raise ValueError("须大于 0")
    except ValueError as refusal:
        errors["grant"] = [f"下达资金：{refusal}。"]
    source = (source or "").strip()
    if not source:
        errors["source"] = ["请填写资金来源（下达资金的文件文号）。"]
    lines, line_errors = _clean_lines(rows)
    errors.update(line_errors)
    if errors:
        raise ServiceError("用款方案有内容需要修改，请按提示修改后再保存。", errors=errors)
    with transaction.atomic():
        plan = SpendingPlan.objects.select_for_update().filter(project=project).first()
        if plan is None:
            plan = SpendingPlan(project=project, grant=grant, source=source)
            before = {}
        else:
            _check_version(plan, expected_version)
            move(PLAN_TRANSITIONS, "save", plan.status, plan.get_status_display())
            before = {**snapshot(plan, ["grant", "source", "goal"]), "lines": _line_texts(plan)}
        plan.grant, plan.source, plan.goal = grant, source, goal.strip()
        plan.updated_by = actor
        plan.lock_version = (plan.lock_version or 0) + 1 if plan.pk else 1
        plan.save()
        plan.lines.all().delete()
        BudgetLine.objects.bulk_create([BudgetLine(plan=plan, number=n, **line) for n, line in enumerate(lines, 1)])
        audit_change(
            "budgets.plan.save",
            actor=actor,
            obj=plan,
            before=before,
            after={**snapshot(plan, ["grant", "source", "goal"]), "lines": _line_texts(plan)},
        )
    return plan


def _line_texts(plan) -> list[str]:
    return [
        f"{line.number}. {line.category} / {line.purpose}: {arithmetic.show(line.unit_cost)} × "
        f"{arithmetic.show(line.quantity)} {line.unit} = {arithmetic.show(line.amount)}"
        for line in plan.lines.all()
    ]


def submit_plan(*, actor, plan: SpendingPlan, expected_version: int) -> SpendingPlan:
    require(actor, "projects.edit_project", plan.project)
    with transaction.atomic():
        plan = SpendingPlan.objects.select_for_update().get(pk=plan.pk)
        _check_version(plan, expected_version)
        target = move(PLAN_TRANSITIONS, "submit", plan.status, plan.get_status_display())
        refusals = plan_refusals(plan)
        if refusals:
            raise ServiceError("用款方案不能提交：" + " ".join(refusals), errors={"__all__": refusals})
        before = snapshot(plan, ["status"])
        plan.status, plan.submitted_at, plan.updated_by = target, timezone.now(), actor
        plan.lock_version += 1
        plan.save()
        audit_change("budgets.plan.submit", actor=actor, obj=plan, before=before)
    notify(
        supervisors(plan.project),
        kind=Kind.TO_REVIEW,
        title=f"{plan.project.title}：用款方案待审批",
        url=reverse("budgets:plan", args=[plan.project_id]),
    )
    return plan


def _sign(actor, plan, *, approve: bool, text: str, adjustment=None) -> PlanDecision:
    from portal.review.services.seals import current_seal

    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写审批意见。", errors={"text": ["请填写审批意见。"]})
    parent = plan.project.organisation.parent
    return PlanDecision.objects.create(
        plan=plan,
        adjustment=adjustment,
        approve=approve,
        text=text,
        organisation=parent,
        signer_name=actor.display_name,
        signed_on=timezone.localdate(),
        seal=current_seal(parent),
        actor=actor,
    )


def decide_plan(*, actor, plan: SpendingPlan, approve: bool, text: str) -> PlanDecision:
    require(actor, "projects.decide_project", plan.project)
    with transaction.atomic():
        plan = SpendingPlan.objects.select_for_update().get(pk=plan.pk)
        target = move(PLAN_TRANSITIONS, "approve" if approve else "return", plan.status, plan.get_status_display())
        if approve and (refusals := plan_refusals(plan)):
            raise ServiceError("用款方案不能批复：" + " ".join(refusals))
        decision = _sign(actor, plan, approve=approve, text=text)
        before = snapshot(plan, ["status"])
        plan.status = target
        plan.approved_at = timezone.now() if approve else None
        plan.lock_version += 1
        plan.save()
        audit_change(
            "budgets.plan.approve" if approve else "budgets.plan.return",
            actor=actor,
            obj=plan,
            before=before,
            data={"opinion": decision.text},
        )
    notify(
        project_users(plan.project),
        kind=Kind.RESULT,
        title=f"{plan.project.title}：用款方案" + ("已批复" if approve else "被退回修改"),
        url=reverse("budgets:plan", args=[plan.project_id]),
    )
    return decision


def request_adjustment(*, actor, plan: SpendingPlan, amounts: dict, reason: str) -> Adjustment:
    """`amounts` maps line id → new amount (万元, as typed); unchanged lines may be left out."""
    require(actor, "projects.edit_project", plan.project)
    plan = SpendingPlan.objects.get(pk=plan.pk)  # the state now, not when the caller read it
    reason = (reason or "").strip()
    errors = {} if reason else {"reason": ["请填写调整理由。"]}
    if plan.status != PlanStatus.APPROVED:
        raise ServiceError("用款方案批复后才能申请调整；批复前请直接修改方案。")
    lines = {line.pk: line for line in plan.lines.all()}
    new = {}
    for key, raw in amounts.items():
        line = lines.get(parse_id(key))
        if line is None:
            raise ServiceError("预算项目不存在。")
        try:
            value = arithmetic.wan(raw)
            if value < 0:
                raise ValueError("不能为负数")
        except ValueError as refusal:
            errors[f"amount-{line.pk}"] = [f"第{line.number}项：{refusal}。"]
            continue
        if value != line.amount:
            new[line.pk] = value
    if errors:
        raise ServiceError("调整申请有内容需要修改。", errors=errors)
    if not new:
        raise ServiceError("没有调整任何金额。")
    _check_adjusted(plan, lines, new)
    with transaction.atomic():
        if plan.adjustments.filter(status=AdjustmentStatus.PENDING).exists():
            raise ServiceError("已有一项调整待审批，审批后才能再次申请。")
        adjustment = Adjustment.objects.create(
            plan=plan,
            reason=reason,
            requested_by=actor,
            changes={str(pk): [str(lines[pk].amount), str(value)] for pk, value in new.items()},
        )
        log_action(
            "budgets.adjustment.request",
            actor=actor,
            obj=adjustment,
            changes={f"第{lines[pk].number}项金额": [str(lines[pk].amount), str(v)] for pk, v in new.items()},
            data={"reason": reason},
        )
    notify(
        supervisors(plan.project),
        kind=Kind.TO_REVIEW,
        title=f"{plan.project.title}：预算调整待审批",
        url=reverse("budgets:plan", args=[plan.project_id]),
    )
    return adjustment


def _check_adjusted(plan, lines: dict, new: dict) -> None:
    from budgets.selectors import spent_by_line

    spent = spent_by_line(plan)
    below = [
        f"第{lines[pk].number}项调整后 {arithmetic.show(v)} 万元，低于已支出的 {arithmetic.show(spent[pk])} 万元。"
        for pk, v in new.items()
        if v < spent.get(pk, Decimal(0))
    ]
    refusals = below + plan_refusals(plan, new)
    if refusals:
        raise ServiceError("调整后的方案不成立：" + " ".join(refusals), errors={"__all__": refusals})


def decide_adjustment(*, actor, adjustment: Adjustment, approve: bool, text: str) -> PlanDecision:
    plan = adjustment.plan
    require(actor, "projects.decide_project", plan.project)
    with transaction.atomic():
        adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        target = move(
            ADJUSTMENT_TRANSITIONS,
            "approve" if approve else "refuse",
            adjustment.status,
            adjustment.get_status_display(),
        )
        lines = {line.pk: line for line in BudgetLine.objects.select_for_update().filter(plan=plan)}
        new = {int(pk): arithmetic.wan(pair[1]) for pk, pair in adjustment.changes.items()}
        if approve:
            _check_adjusted(plan, lines, new)  # spending may have moved on since the request
        decision = _sign(actor, plan, approve=approve, text=text, adjustment=adjustment)
        adjustment.status, adjustment.decided_at = target, timezone.now()
        adjustment.save(update_fields=["status", "decided_at"])
        if approve:
            for pk, value in new.items():
                BudgetLine.objects.filter(pk=pk).update(amount=value)
            SpendingPlan.objects.filter(pk=plan.pk).update(lock_version=plan.lock_version + 1)
        log_action(
            "budgets.adjustment.approve" if approve else "budgets.adjustment.refuse",
            actor=actor,
            obj=adjustment,
            changes={f"第{lines[pk].number}项金额": [adjustment.changes[str(pk)][0], str(v)] for pk, v in new.items()}
            if approve
            else {},
            data={"opinion": decision.text},
        )
    notify(
        project_users(plan.project),
        kind=Kind.RESULT,
        title=f"{plan.project.title}：预算调整" + ("已批准" if approve else "未获批准"),
        url=reverse("budgets:plan", args=[plan.project_id]),
    )
    return decision
