"""Arithmetic of scores: weighted totals, the trimmed mean, outliers and ranks with ties."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TRIM_FROM = 5          # with at least this many scores the highest and the lowest are dropped


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
        return out          # with two scores each is as far from the other: nothing to single out
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
