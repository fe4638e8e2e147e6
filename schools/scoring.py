"""The two scoring sheets of a pilot school's 校本研修与考核方案 (科组考核, 个人考核) as pure rules over
Decimal points: no database. The sheets themselves are data (schools/rubrics/*.json, the seed's
items and 分值 as printed); this module reads them and scores an entry.

An item is scored from what the assessor gives (the base, at most the item's 分值, or one of the
item's grades: 明显 10 / 一般 7 / 不明显 5) and the facts behind it: how many are missing where the
sheet deducts (缺1人扣2分, 每缺1课时扣1分), how many more than the first where it adds (每增加1个+5),
and which awards (获奖 国家级 +8, 省级 +5, 市级 +3, 镇级 +2, only the levels the item names). How a
bonus meets the item's 分值 is the sheet's stated rule: `within` (本项得分不超过分值) or `beyond`
(加分在分值之外另计). Deductions never take an item below zero."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

RUBRICS = Path(__file__).resolve().parent / "rubrics"
AWARDS = {
    "national": ("国家级", Decimal(8)),
    "province": ("省级", Decimal(5)),
    "city": ("市级", Decimal(3)),
    "town": ("镇级", Decimal(2)),
}
CAP_RULES = {"within": "加分计入本项，本项得分不超过该项分值", "beyond": "加分在该项分值之外另计，本项得分可超过分值"}
ZERO = Decimal(0)
POINTS = Decimal("0.1")  # scores are kept to one decimal place


@dataclass(frozen=True)
class Rate:
    per: Decimal
    unit: str
    label: str


@dataclass(frozen=True)
class Item:
    number: int
    content: str
    points_text: str
    max: Decimal
    deduction: Rate | None = None
    extra: Rate | None = None
    awards: tuple[str, ...] = ()
    grades: tuple[tuple[str, Decimal], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    heading: str
    subject: str
    source: str
    items: tuple[Item, ...]

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    @property
    def full_marks(self) -> Decimal:
        return sum((item.max for item in self.items), ZERO)


@dataclass(frozen=True)
class Entry:
    """One item as scored: the base and the facts behind deductions and bonuses."""

    score: Decimal | None
    missing: int = 0
    extras: int = 0
    awards: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Result:
    base: Decimal
    deduction: Decimal
    bonus: Decimal
    total: Decimal


def _rate(data: dict | None) -> Rate | None:
    return Rate(Decimal(str(data["per"])), data["unit"], data["label"]) if data else None


def load(key: str) -> Sheet:
    data = json.loads((RUBRICS / f"{key}.json").read_text(encoding="utf-8"))
    items = tuple(
        Item(
            number=row["number"],
            content=row["content"],
            points_text=row["points_text"],
            max=Decimal(str(row["max"])),
            deduction=_rate(row.get("deduction")),
            extra=_rate(row.get("extra")),
            awards=tuple(row.get("awards", ())),
            grades=tuple((g["label"], Decimal(str(g["score"]))) for g in row.get("grades", ())),
            note=row.get("note", ""),
        )
        for row in data["items"]
    )
    return Sheet(
        key=data["key"],
        title=data["title"],
        heading=data["heading"],
        subject=data["subject"],
        source=data["source"],
        items=items,
    )


def points(value) -> Decimal:
    """A score from input: a number with at most one decimal place; ValueError in Chinese otherwise."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise ValueError("请填写数字分数")
    if not number.is_finite():
        raise ValueError("请填写数字分数")
    if number != number.quantize(POINTS):
        raise ValueError("分数最多保留一位小数")
    return number.quantize(POINTS)


def entry_errors(item: Item, entry: Entry, *, prefix: str = "") -> dict[str, str]:
    """Why an entry cannot stand, per field (score, missing, extras, awards); empty when it can."""
    errors = {}
    if entry.score is not None:
        if entry.score < ZERO:
            errors["score"] = f"{prefix}第{item.number}项得分不能为负数"
        elif entry.score > item.max:
            errors["score"] = f"{prefix}第{item.number}项得分不能超过该项分值 {show(item.max)} 分"
        elif item.grades and entry.score not in {score for _, score in item.grades}:
            allowed = "、".join(f"{label} {show(score)} 分" for label, score in item.grades)
            errors["score"] = f"{prefix}第{item.number}项只能评为：{allowed}"
    if entry.missing < 0:
        errors["missing"] = f"{prefix}第{item.number}项的人数或课时不能为负数"
    elif entry.missing and item.deduction is None:
        errors["missing"] = f"{prefix}第{item.number}项没有扣分规定"
    if entry.extras < 0:
        errors["extras"] = f"{prefix}第{item.number}项的增加数不能为负数"
    elif entry.extras and item.extra is None:
        errors["extras"] = f"{prefix}第{item.number}项没有“每增加”加分规定"
    unknown = [a for a in entry.awards if a not in AWARDS]
    if unknown:
        errors["awards"] = f"{prefix}获奖级别“{'、'.join(unknown)}”不存在，可选：国家级、省级、市级、镇级"
    else:
        refused = [AWARDS[a][0] for a in entry.awards if a not in item.awards]
        if refused:
            allowed = "、".join(AWARDS[a][0] for a in item.awards) or "无"
            errors["awards"] = f"{prefix}第{item.number}项没有{'、'.join(refused)}获奖加分（本项可加：{allowed}）"
    return errors


def score_item(item: Item, entry: Entry, rule: str = "within") -> Result:
    if rule not in CAP_RULES:
        raise ValueError(f"unknown cap rule {rule!r}")
    errors = entry_errors(item, entry)
    if errors:
        raise ValueError("；".join(errors.values()))
    base = entry.score if entry.score is not None else ZERO
    deduction = item.deduction.per * entry.missing if item.deduction else ZERO
    bonus = sum((AWARDS[a][1] for a in entry.awards), ZERO)
    if item.extra:
        bonus += item.extra.per * entry.extras
    kept = max(ZERO, base - deduction)
    total = kept + bonus
    if rule == "within":
        total = min(item.max, total)
    return Result(base=base, deduction=min(deduction, base), bonus=bonus, total=total)


def score_sheet(sheet: Sheet, entries: dict[int, Entry], rule: str = "within") -> tuple[dict[int, Result], Decimal]:
    """Each item's result (an item without an entry scores nothing) and the sheet's total."""
    unknown = set(entries) - {item.number for item in sheet.items}
    if unknown:
        raise ValueError(f"{sheet.title}没有第{'、'.join(str(n) for n in sorted(unknown))}项")
    results = {item.number: score_item(item, entries.get(item.number, Entry(None)), rule) for item in sheet.items}
    return results, sum((r.total for r in results.values()), ZERO)


def rank(totals: dict) -> dict:
    """Ranks by total, highest first; equal totals share a rank and the next rank is skipped (1, 1, 3)."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(total) + 1 for key, total in totals.items()}


def show(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
