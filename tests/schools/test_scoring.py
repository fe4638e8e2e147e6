"""Issue 14 item 4: the seed's two scoring sheets as data, and their arithmetic against exact totals:
deductions, bonuses at each award level, the cap rule either way, grades, refusals, and ties."""
from decimal import Decimal as D

import pytest

from schools.scoring import AWARDS, Entry, load, points, rank, score_item, score_sheet

GROUP, TEACHER = load("group"), load("teacher")


def test_the_sheets_hold_the_seeds_items_and_points():
    assert [i.max for i in GROUP.items] == [D(10), D(10), D(10), D(10), D(10), D(20), D(10), D(10), D(10)]
    assert [i.max for i in TEACHER.items] == [D(10), D(10), D(10), D(20), D(20), D(10), D(10), D(10)]
    assert GROUP.full_marks == TEACHER.full_marks == D(100)
    assert GROUP.item(3).content == "科组内是否每个组员完成个人工作计划的制定"
    assert GROUP.item(8).points_text == "每增加1个+5。获奖案例国家级+8，省级+5，市级+3，镇级+2。"
    assert TEACHER.item(2).deduction.per == D(1) and TEACHER.item(2).deduction.unit == "课时"
    assert [g for g, _ in TEACHER.item(8).grades] == ["明显", "一般", "不明显"]
    assert {a: AWARDS[a][1] for a in AWARDS} == {"national": D(8), "province": D(5), "city": D(3), "town": D(2)}


@pytest.mark.parametrize("missing, expected", [(0, D(10)), (1, D(8)), (2, D(6)), (5, D(0)), (7, D(0))])
def test_missing_members_are_deducted_two_points_each_never_below_zero(missing, expected):
    assert score_item(GROUP.item(3), Entry(D(10), missing=missing)).total == expected


def test_missing_hours_are_deducted_one_point_each():
    result = score_item(TEACHER.item(2), Entry(D(10), missing=3))
    assert (result.base, result.deduction, result.total) == (D(10), D(3), D(7))


@pytest.mark.parametrize("award, expected", [("national", D(18)), ("province", D(15)), ("city", D(13)),
                                             ("town", D(12))])
def test_each_award_level_adds_its_points(award, expected):
    assert score_item(TEACHER.item(4), Entry(D(10), awards=(award,))).total == expected


def test_bonuses_combine_with_the_cap_as_the_sheet_says():
    case = Entry(D(10), extras=2, awards=("national",))              # 10 + 2×5 + 8
    assert score_item(GROUP.item(8), case, "within").total == D(10)
    assert score_item(GROUP.item(8), case, "beyond").total == D(28)
    assert score_item(GROUP.item(6), Entry(D(15), awards=("city",)), "within").total == D(18)
    assert score_item(GROUP.item(6), Entry(D(20), awards=("province", "town")), "within").total == D(20)
    assert score_item(GROUP.item(6), Entry(D(20), awards=("province", "town")), "beyond").total == D(27)
    # A deduction first, then the bonus: 10 − 2 + 3.
    assert score_item(GROUP.item(7), Entry(D(10), missing=1, awards=("city",)), "within").total == D(10)
    assert score_item(GROUP.item(7), Entry(D(10), missing=1, awards=("city",)), "beyond").total == D(11)


def test_a_whole_sheet_adds_up_exactly():
    entries = {1: Entry(D(10)), 2: Entry(D("9.5")), 3: Entry(D(10), missing=1), 4: Entry(D(10), missing=2),
               5: Entry(D(8)), 6: Entry(D(20), awards=("city",)), 7: Entry(D(10), missing=1, awards=("town",)),
               8: Entry(D(10), extras=1, awards=("province",)), 9: Entry(D(10), extras=2)}
    results, total = score_sheet(GROUP, entries, "within")
    assert [results[n].total for n in range(1, 10)] == [D(10), D("9.5"), D(8), D(6), D(8), D(20), D(10), D(10), D(10)]
    assert total == D("91.5")
    _, beyond = score_sheet(GROUP, entries, "beyond")
    assert beyond == D("91.5") + 3 + 10 + 10                       # 6: +3, 8: +5+5, 9: +5+5; 7 stays 10
    _, empty = score_sheet(TEACHER, {}, "within")
    assert empty == D(0)


def test_grades_are_the_only_scores_item_8_takes():
    for score in (D(10), D(7), D(5)):
        assert score_item(TEACHER.item(8), Entry(score)).total == score
    with pytest.raises(ValueError, match="只能评为：明显 10 分、一般 7 分、不明显 5 分"):
        score_item(TEACHER.item(8), Entry(D(8)))


@pytest.mark.parametrize("item, entry, message", [
    (GROUP.item(1), Entry(D(11)), "不能超过该项分值 10 分"),
    (GROUP.item(6), Entry(D(21)), "不能超过该项分值 20 分"),
    (GROUP.item(1), Entry(D(-1)), "不能为负数"),
    (GROUP.item(6), Entry(D(20), awards=("county",)), "获奖级别“county”不存在"),
    (GROUP.item(6), Entry(D(20), awards=("national",)), "第6项没有国家级获奖加分（本项可加：省级、市级、镇级）"),
    (GROUP.item(1), Entry(D(10), awards=("city",)), "第1项没有市级获奖加分"),
    (GROUP.item(1), Entry(D(10), missing=1), "第1项没有扣分规定"),
    (GROUP.item(3), Entry(D(10), missing=-1), "不能为负数"),
    (GROUP.item(1), Entry(D(10), extras=1), "没有“每增加”加分规定"),
])
def test_impossible_entries_are_refused_with_the_reason(item, entry, message):
    with pytest.raises(ValueError, match=message):
        score_item(item, entry)


def test_an_item_the_sheet_does_not_have_is_refused():
    with pytest.raises(ValueError, match="没有第10项"):
        score_sheet(GROUP, {10: Entry(D(5))})


def test_ties_share_a_rank_and_the_next_is_skipped():
    assert rank({"语文科": D(90), "数学科": D(95), "英语科": D(90), "综合科": D(80)}) == \
        {"数学科": 1, "语文科": 2, "英语科": 2, "综合科": 4}
    assert rank({}) == {}


@pytest.mark.parametrize("text, expected", [("9.5", D("9.5")), ("10", D(10)), (" 7 ", D(7)), (8, D(8))])
def test_points_read_from_input(text, expected):
    assert points(text) == expected


@pytest.mark.parametrize("text, message", [("9.55", "一位小数"), ("abc", "数字"), ("NaN", "数字"), ("", "数字")])
def test_points_refuse_what_is_not_a_score(text, message):
    with pytest.raises(ValueError, match=message):
        points(text)
