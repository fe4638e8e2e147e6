"""Due progress reports from the call's cadence, inside the project's cycle."""

from datetime import date

from portal.projects.cadence import label, periods


def test_quarterly_periods_start_on_the_project_start_and_end_with_the_cycle():
    got = periods(date(2026, 3, 15), date(2026, 12, 20), "quarterly")
    assert got == [
        (date(2026, 3, 15), date(2026, 3, 31), date(2026, 4, 10)),
        (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10)),
        (date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 10)),
        (date(2026, 10, 1), date(2026, 12, 20), date(2026, 12, 30)),
    ]
    assert [label(s, e, "quarterly") for s, e, _ in got] == [
        "2026年第1季度",
        "2026年第2季度",
        "2026年第3季度",
        "2026年第4季度",
    ]


def test_monthly_half_yearly_and_none():
    assert len(periods(date(2026, 1, 1), date(2026, 12, 31), "monthly")) == 12
    assert periods(date(2026, 1, 31), date(2026, 3, 1), "monthly")[1] == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        date(2026, 3, 10),
    )
    assert periods(date(2026, 7, 1), date(2029, 6, 30), "half_yearly")[0] == (
        date(2026, 7, 1),
        date(2026, 12, 31),
        date(2027, 1, 10),
    )
    assert periods(date(2026, 9, 9), date(2029, 6, 30), "half_yearly")[:2] == [
        (date(2026, 9, 9), date(2026, 12, 31), date(2027, 1, 10)),
        (date(2027, 1, 1), date(2027, 6, 30), date(2027, 7, 10)),
    ]
    assert len(periods(date(2026, 7, 1), date(2029, 6, 30), "half_yearly")) == 6
    assert periods(date(2026, 1, 1), date(2026, 12, 31), "none") == []
    assert periods(date(2026, 1, 1), date(2025, 12, 31), "monthly") == []


def test_labels():
    assert label(date(2026, 7, 1), date(2026, 9, 30), "quarterly") == "2026年第3季度"
    assert label(date(2026, 2, 1), date(2026, 2, 28), "monthly") == "2026年2月"
    assert label(date(2026, 7, 1), date(2026, 12, 31), "half_yearly") == "2026年下半年"
    assert label(date(2026, 1, 1), date(2026, 6, 30), "half_yearly") == "2026年上半年"


def test_a_one_day_cycle_and_a_period_that_begins_on_the_last_day():
    day = date(2026, 5, 20)
    assert periods(day, day, "monthly") == [(day, day, date(2026, 5, 30))]
    assert periods(date(2026, 1, 15), date(2026, 4, 1), "quarterly")[-1] == (
        date(2026, 4, 1),
        date(2026, 4, 1),
        date(2026, 4, 11),
    )
    assert label(date(2026, 6, 1), date(2026, 6, 30), "half_yearly") == "2026年上半年"
    assert label(date(2026, 7, 1), date(2026, 7, 31), "half_yearly") == "2026年下半年"
