"""The budget rules as pure functions over Decimal amounts in 万元 (no database, no floats).

A spending plan's lines must add up to the grant exactly; a call may prescribe a split by
category (a share of the grant or a fixed amount); a line cannot be spent beyond its amount.
Every refusal names the line or category and the difference, in the words the form uses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# 万元 kept to 元: four decimal places.
PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
# What a 14-digit column with four decimals holds: ten digits before the point.
LIMIT = Decimal(10) ** 10


def wan(value) -> Decimal:
    """A 万元 amount from user input or storage; ValueError with a Chinese reason when it is not one."""
    if isinstance(value, float):
        raise ValueError("金额不能以浮点数表示")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError):
        raise ValueError("请填写数字金额（万元）")
    if not amount.is_finite():
        raise ValueError("请填写数字金额（万元）")
    if abs(amount) >= LIMIT:
        raise ValueError("金额过大（不超过 99 亿万元）")
    if amount != amount.quantize(PLACES):
        raise ValueError("金额最多保留四位小数（精确到元）")
    return amount.quantize(PLACES)


def show(amount: Decimal) -> str:
    """30.0000 → "30", 12.5000 → "12.5": amounts as the paper form prints them."""
    text = format(amount.quantize(PLACES), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_amount(unit_cost: Decimal, quantity: Decimal) -> Decimal:
    return (unit_cost * quantity).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    label: str  # how a refusal names the line (序号 and 项目)
    category: str
    amount: Decimal


@dataclass(frozen=True)
class Share:
    """A prescribed part of the grant for one category: a percentage or a fixed amount (one of them)."""

    category: str
    percent: Decimal | None = None
    amount: Decimal | None = None

    def expected(self, grant: Decimal) -> Decimal:
        if self.amount is not None:
            return self.amount
        return (grant * self.percent / HUNDRED).quantize(PLACES, rounding=ROUND_HALF_UP)

    def describe(self) -> str:
        return f"{show(self.percent)}%" if self.amount is None else f"{show(self.amount)}万元"


def total_refusals(lines: list[Line], grant: Decimal) -> list[str]:
    total = sum((line.amount for line in lines), Decimal(0))
    if total == grant:
        return []
    gap = grant - total
    side = f"少 {show(gap)} 万元" if gap > 0 else f"多 {show(-gap)} 万元"
    return [f"各预算项目合计 {show(total)} 万元，与下达资金 {show(grant)} 万元不一致（{side}）。"]


def split_refusals(lines: list[Line], grant: Decimal, shares: list[Share]) -> list[str]:
    """Each prescribed category must hold exactly its share; a line in no prescribed category is refused."""
    if not shares:
        return []
    known = {share.category for share in shares}
    refusals = [
        f"{line.label}：资金投入方向“{line.category}”不在本批次规定的预算结构中。"
        for line in lines
        if line.category not in known
    ]
    for share in shares:
        held = sum((line.amount for line in lines if line.category == share.category), Decimal(0))
        expected = share.expected(grant)
        if held != expected:
            gap = held - expected
            side = f"超出 {show(gap)} 万元" if gap > 0 else f"不足 {show(-gap)} 万元"
            refusals.append(
                f"“{share.category}”规定占 {share.describe()}（{show(expected)} 万元），"
                f"现为 {show(held)} 万元，{side}。"
            )
    return refusals


def execution_rate(spent: Decimal, planned: Decimal) -> Decimal | None:
    """执行率 in percent with two decimals, half up; None for a line planned at zero."""
    if planned <= 0:
        return None
    return (spent * HUNDRED / planned).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def overspend(planned: Decimal, spent: Decimal, new: Decimal) -> Decimal:
    """How far a new expenditure would take the line beyond its amount (0 when it fits)."""
    over = spent + new - planned
    return over if over > 0 else Decimal(0)
