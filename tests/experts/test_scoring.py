"""Weighted totals, trimmed means, outliers and ties, with exact expected values."""

from decimal import Decimal as D
from types import SimpleNamespace

from portal.experts import scoring


def test_weighted_total_is_the_sum_of_weight_times_points():
    criteria = [
        SimpleNamespace(number=1, weight=D("1.5")),
        SimpleNamespace(number=2, weight=D("0.5")),
        SimpleNamespace(number=3, weight=D("1")),
    ]
    assert scoring.weighted_total(criteria, {"1": "20", "2": "17.5", "3": "8.5"}) == D("47.25")


def test_trimmed_mean_drops_highest_and_lowest_from_five_scores():
    assert scoring.trimmed_mean([D(90), D(80), D(85), D(70), D(60)]) == D("78.33")  # (80 + 85 + 70) / 3
    assert scoring.mean([D(90), D(80), D(85), D(70), D(60)]) == D("77.00")
    assert scoring.trimmed_mean([D(90), D(80), D(85), D(70)]) == D("81.25")  # fewer than 5: plain mean
    assert scoring.trimmed_mean([]) is None
    assert scoring.spread([D("88.5"), D(70), D("91.25")]) == D("21.25")


def test_outlier_flag_against_the_others_mean():
    totals = {"a": D(80), "b": D(82), "c": D(60)}
    # c: 60 − (80 + 82) / 2 = −21 > 15; a: 80 − 71 = 9; b: 82 − 70 = 12.
    assert scoring.outliers(totals, D(15)) == {"c": D("-21.00")}
    assert scoring.outliers(totals, D(25)) == {}
    assert scoring.outliers({"a": D(10), "b": D(90)}, D(5)) == {}  # two scores: nobody to single out


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert scoring.competition_ranks({"x": D("88.5"), "y": D(90), "z": D("88.5"), "w": D(70)}) == {
        "y": 1,
        "x": 2,
        "z": 2,
        "w": 4,
    }
