"""Expenditure (支出) against an approved plan's lines: never beyond a line's amount."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from budgets import arithmetic
from budgets.choices import PlanStatus
from budgets.models import BudgetLine, Expenditure
from budgets.services.common import in_cycle, require
from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.projects import uploads

VOUCHER_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def record_expenditure(
    *, actor, line: BudgetLine, spent_on, amount, payee: str, voucher_name: str = "", voucher: bytes | None = None
) -> Expenditure:
    project = line.plan.project
    require(actor, "projects.edit_project", project)
    errors = {}
    try:
        amount = arithmetic.wan(amount)
        if amount <= 0:
            raise ValueError("须大于 0")
    except ValueError as refusal:
        errors["amount"] = [f"金额：{refusal}。"]
    payee = (payee or "").strip()
    if not payee:
        errors["payee"] = ["请填写收款单位/用途。"]
    if spent_on is None:
        errors["spent_on"] = ["请填写支出日期。"]
    else:
        try:
            in_cycle(project, spent_on, "spent_on")
        except ServiceError as refusal:
            errors.update(refusal.errors)
    stored = content_type = ""
    if voucher is not None:
        passed, refusals = uploads.checked([(voucher_name or "凭证", voucher)])
        if passed and passed[0][2] not in VOUCHER_TYPES:
            refusals = [f"“{passed[0][0]}”不是 PDF 或 JPG、PNG 图片；凭证只能是这几种文件。"]
        if refusals:
            errors["voucher"] = refusals
        else:
            voucher_name, _, content_type = passed[0]
    if errors:
        raise ServiceError("支出记录有内容需要修改。", errors=errors)
    with transaction.atomic():
        # The line row is locked so two entries at once cannot both fit in what is left.
        line = BudgetLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
        if line.plan.status != PlanStatus.APPROVED:
            raise ServiceError("用款方案批复后才能登记支出。")
        spent = line.expenditures.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        over = arithmetic.overspend(line.amount, spent, amount)
        if over:
            message = (
                f"第{line.number}项“{line.purpose}”预算 {arithmetic.show(line.amount)} 万元，已支出 "
                f"{arithmetic.show(spent)} 万元，本笔将超出 {arithmetic.show(over)} 万元；如需超支，请先申请预算调整。"
            )
            raise ServiceError(message, errors={"amount": [message]})
        if voucher is not None:
            stored, _ = files.store(voucher)
        expenditure = Expenditure.objects.create(
            line=line,
            spent_on=spent_on,
            amount=amount,
            payee=payee,
            voucher_name=voucher_name if stored else "",
            voucher_stored=stored,
            voucher_type=content_type,
            recorded_by=actor,
        )
        log_action(
            "budgets.expenditure.record",
            actor=actor,
            obj=expenditure,
            changes={"金额": [None, str(amount)]},
            data={"line": line.number, "payee": payee, "spent_on": str(spent_on)},
        )
    return expenditure
