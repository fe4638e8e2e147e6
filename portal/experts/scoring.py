"""Arithmetic of scores: weighted totals, the trimmed mean, outliers and ranks with ties."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.formspec.values import plain_number

CENT = Decimal("0.01")
TRIM_FROM = 5  # with at least this many scores the highest and the lowest are dropped


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(criteria, points: dict) -> Decimal:
    """Σ weight × points over the criteria (points keyed by criterion number as text)."""
    return q(sum((Decimal(str(c.weight)) * Decimal(str(points[str(c.number)])) for c in criteria), Decimal(0)))


def mean(values: list[Decimal]) -> Decimal | None:
    return q(sum(values, Decimal(0)) / len(values)) if values else None


def trimmed_mean(values: list[Decimal]) -> Decimal | None:
    if len(values) < TRIM_FROM:
        return mean(values)
    ordered = sorted(values)
    return mean(ordered[1:-1])


def spread(values: list[Decimal]) -> Decimal | None:
    return q(max(values) - min(values)) if values else None


def outliers(totals: dict, margin: Decimal) -> dict:
    """Experts whose total differs from the mean of the others' by more than the margin: {expert: difference}."""
    out = {}
    if len(totals) < 3:
        return out  # with two scores each is as far from the other: nothing to single out
    for expert, total in totals.items():
        others = [v for e, v in totals.items() if e != expert]
        difference = q(total - sum(others, Decimal(0)) / len(others))
        if abs(difference) > margin:
            out[expert] = difference
    return out


def competition_ranks(scores: dict) -> dict:
    """Highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (key, score) in enumerate(ordered, 1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def parse_points(criterion, raw) -> tuple[Decimal | None, str | None]:
    text = str(raw if raw is not None else "").strip()
    if text == "":
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"“{criterion.title}”的得分须为数字。"
    if not value.is_finite():  # Decimal accepts "NaN" and "Infinity"; neither is a score
        return None, f"“{criterion.title}”的得分须为数字。"
    if value < 0 or value > criterion.max_points:
        return None, f"“{criterion.title}”的得分须在 0 到 {plain_number(criterion.max_points)} 之间。"
    if value.as_tuple().exponent < -1:
        return None, f"“{criterion.title}”的得分最多保留一位小数。"
    return value, None


def read_sheet(criteria, points: dict, comments: dict, comment: str, *, submit: bool):
    """A score sheet as typed → (sheet by criterion number, errors by field, weighted total or None).
    A draft keeps whatever was typed; a submission needs every criterion scored and an overall comment.
    Used by the application review and the evaluation rounds alike."""
    errors, sheet = {}, {}
    for c in criteria:
        key = str(c.number)
        value, error = parse_points(c, points.get(key))
        if error:
            errors[f"points_{key}"] = [error]
        elif value is None and submit:
            errors[f"points_{key}"] = [f"请为“{c.title}”打分。"]
        sheet[key] = {
            "points": str(value) if value is not None else str(points.get(key, "")).strip(),
            "comment": str(comments.get(key, "")).strip(),
        }
    if submit and not str(comment or "").strip():
        errors["comment"] = ["请填写总体评审意见。"]
    valid = not errors and all(v["points"] != "" for v in sheet.values())
    total = weighted_total(criteria, {k: v["points"] for k, v in sheet.items()}) if valid else None
    return sheet, errors, total
