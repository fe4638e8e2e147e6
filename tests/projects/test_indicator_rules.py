"""Indicator judgements with exact expected values: inclusive bounds as written, dates done on or
before their target, qualitative ones left to the reviewer, and the attainment summary."""

from datetime import date
from decimal import Decimal as D

import pytest

from evaluation.judgement import attainment, judge


@pytest.mark.parametrize(
    "comparator, target, actual, met",
    [
        ("ge", "80", "80", True),
        ("ge", "80", "79.9999", False),
        ("ge", "80", "80.0001", True),
        ("le", "5", "5", True),
        ("le", "5", "5.0001", False),
        ("gt", "30", "30", False),
        ("gt", "30", "31", True),
        ("lt", "30", "30", False),
        ("lt", "30", "29", True),
        ("eq", "2", "2", True),
        ("eq", "2", "3", False),
    ],
)
def test_numbers_are_judged_with_the_comparison_as_written(comparator, target, actual, met):
    assert judge("quantity", comparator=comparator, target=D(target), actual=D(actual)) is met


def test_a_percentage_bound_is_inclusive_and_must_be_a_percentage():
    assert judge("percent", comparator="ge", target=D("80"), actual=D("80")) is True
    assert judge("percent", comparator="ge", target=D("80"), actual=D("79.99")) is False
    with pytest.raises(ValueError):
        judge("percent", comparator="ge", target=D("80"), actual=D("100.01"))
    with pytest.raises(ValueError):
        judge("percent", comparator="ge", target=D("80"), actual=D("-1"))
    assert judge("percent", comparator="ge", target=D("80"), actual=D("100")) is True


def test_a_date_target_is_met_on_or_before_the_day():
    target = date(2022, 7, 30)
    assert judge("date", target=target, actual=date(2022, 7, 30)) is True
    assert judge("date", target=target, actual=date(2022, 7, 29)) is True
    assert judge("date", target=target, actual=date(2022, 7, 31)) is False
    with pytest.raises(TypeError):
        judge("date", target=target, actual="2022-07-30")


def test_unknown_until_there_is_a_value_or_a_verdict():
    assert judge("quantity", comparator="ge", target=D("30"), actual=None) is None
    assert judge("date", target=date(2022, 7, 30), actual=None) is None
    assert judge("text", verdict=None) is None
    assert judge("text", verdict=True) is True and judge("text", verdict=False) is False
    assert judge("text", target=None, actual=D("1"), verdict=False) is False


def test_attainment_counts_and_rate():
    assert attainment([True, True, False, None]) == {
        "met": 2,
        "missed": 1,
        "pending": 1,
        "total": 4,
        "rate": D("66.67"),
    }
    assert attainment([None, None]) == {"met": 0, "missed": 0, "pending": 2, "total": 2, "rate": None}
    assert attainment([True, False])["rate"] == D("50.00")
    assert attainment([True, True, False])["rate"] == D("66.67")
    assert attainment([True, False, False])["rate"] == D("33.33")
    assert attainment([]) == {"met": 0, "missed": 0, "pending": 0, "total": 0, "rate": None}


def test_the_default_comparison_is_at_least_and_bad_dates_are_named():
    assert judge("quantity", target=D("30"), actual=D("30")) is True
    assert judge("quantity", target=D("30"), actual=D("29")) is False
    with pytest.raises(TypeError, match="^date targets compare dates$"):
        judge("date", target="2022-07-30", actual=date(2022, 7, 30))
    with pytest.raises(TypeError, match="^date targets compare dates$"):
        judge("date", target=date(2022, 7, 30), actual="2022-07-30")


def test_zero_and_a_fraction_are_percentages():
    assert judge("percent", comparator="ge", target=D("0"), actual=D("0")) is True
    assert judge("percent", comparator="le", target=D("1"), actual=D("0.5")) is True


def test_the_percentage_refusal_says_why_and_the_rate_rounds_half_up():
    with pytest.raises(ValueError) as refused:
        judge("percent", comparator="ge", target=D("80"), actual=D("101"))
    assert str(refused.value) == "百分比须在 0 至 100 之间"
    assert attainment([True] + [False] * 31)["rate"] == D("3.13")  # 3.125 → 3.13, not 3.12
