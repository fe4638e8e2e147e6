"""The seed's two scoring sheets as data, and their arithmetic against exact totals:
deductions, bonuses at each award level, the cap rule either way, grades, refusals, and ties."""

from decimal import Decimal as D

import pytest

from schools.scoring import AWARDS, Entry, load, points, rank, score_item, score_sheet


class _Sheets:
    """The sheets read when a test uses them, not at import (so that `make mutate` reaches load())."""

    def __getattr__(self, key):
        return load(key.lower())


SHEETS = _Sheets()


def test_the_sheets_hold_the_seeds_items_and_points():
    assert [i.max for i in SHEETS.GROUP.items] == [D(10), D(10), D(10), D(10), D(10), D(20), D(10), D(10), D(10)]
    assert [i.max for i in SHEETS.TEACHER.items] == [D(10), D(10), D(10), D(20), D(20), D(10), D(10), D(10)]
    assert SHEETS.GROUP.full_marks == SHEETS.TEACHER.full_marks == D(100)
    assert SHEETS.GROUP.item(3).content == "科组内是否每个组员完成个人工作计划的制定"
    assert SHEETS.GROUP.item(8).points_text == "每增加1个+5。获奖案例国家级+8，省级+5，市级+3，镇级+2。"
    assert SHEETS.TEACHER.item(2).deduction.per == D(1) and SHEETS.TEACHER.item(2).deduction.unit == "课时"
    assert [g for g, _ in SHEETS.TEACHER.item(8).grades] == ["明显", "一般", "不明显"]
    assert {a: AWARDS[a][1] for a in AWARDS} == {"national": D(8), "province": D(5), "city": D(3), "town": D(2)}


@pytest.mark.parametrize("missing, expected", [(0, D(10)), (1, D(8)), (2, D(6)), (5, D(0)), (7, D(0))])
def test_missing_members_are_deducted_two_points_each_never_below_zero(missing, expected):
    assert score_item(SHEETS.GROUP.item(3), Entry(D(10), missing=missing)).total == expected


def test_missing_hours_are_deducted_one_point_each():
    result = score_item(SHEETS.TEACHER.item(2), Entry(D(10), missing=3))
    assert (result.base, result.deduction, result.total) == (D(10), D(3), D(7))


@pytest.mark.parametrize(
    "award, expected", [("national", D(18)), ("province", D(15)), ("city", D(13)), ("town", D(12))]
)
def test_each_award_level_adds_its_points(award, expected):
    assert score_item(SHEETS.TEACHER.item(4), Entry(D(10), awards=(award,))).total == expected


def test_bonuses_combine_with_the_cap_as_the_sheet_says():
    case = Entry(D(10), extras=2, awards=("national",))  # 10 + 2×5 + 8
    assert score_item(SHEETS.GROUP.item(8), case, "within").total == D(10)
    assert score_item(SHEETS.GROUP.item(8), case, "beyond").total == D(28)
    assert score_item(SHEETS.GROUP.item(6), Entry(D(15), awards=("city",)), "within").total == D(18)
    assert score_item(SHEETS.GROUP.item(6), Entry(D(20), awards=("province", "town")), "within").total == D(20)
    assert score_item(SHEETS.GROUP.item(6), Entry(D(20), awards=("province", "town")), "beyond").total == D(27)
    # A deduction first, then the bonus: 10 − 2 + 3.
    assert score_item(SHEETS.GROUP.item(7), Entry(D(10), missing=1, awards=("city",)), "within").total == D(10)
    assert score_item(SHEETS.GROUP.item(7), Entry(D(10), missing=1, awards=("city",)), "beyond").total == D(11)


def test_a_whole_sheet_adds_up_exactly():
    entries = {
        1: Entry(D(10)),
        2: Entry(D("9.5")),
        3: Entry(D(10), missing=1),
        4: Entry(D(10), missing=2),
        5: Entry(D(8)),
        6: Entry(D(20), awards=("city",)),
        7: Entry(D(10), missing=1, awards=("town",)),
        8: Entry(D(10), extras=1, awards=("province",)),
        9: Entry(D(10), extras=2),
    }
    results, total = score_sheet(SHEETS.GROUP, entries, "within")
    assert [results[n].total for n in range(1, 10)] == [D(10), D("9.5"), D(8), D(6), D(8), D(20), D(10), D(10), D(10)]
    assert total == D("91.5")
    _, beyond = score_sheet(SHEETS.GROUP, entries, "beyond")
    assert beyond == D("91.5") + 3 + 10 + 10  # 6: +3, 8: +5+5, 9: +5+5; 7 stays 10
    _, empty = score_sheet(SHEETS.TEACHER, {}, "within")
    assert empty == D(0)


def test_grades_are_the_only_scores_item_8_takes():
    for score in (D(10), D(7), D(5)):
        assert score_item(SHEETS.TEACHER.item(8), Entry(score)).total == score
    with pytest.raises(ValueError, match="只能评为：明显 10 分、一般 7 分、不明显 5 分"):
        score_item(SHEETS.TEACHER.item(8), Entry(D(8)))


# ASCII test ids: mutmut passes the ids back to pytest, and an escaped Chinese id is not found again.
@pytest.mark.parametrize(
    "sheet, number, entry, message",
    [
        ("group", 1, Entry(D(11)), "不能超过该项分值 10 分"),
        ("group", 6, Entry(D(21)), "不能超过该项分值 20 分"),
        ("group", 1, Entry(D(-1)), "不能为负数"),
        ("group", 6, Entry(D(20), awards=("county",)), "获奖级别“county”不存在"),
        ("group", 6, Entry(D(20), awards=("national",)), "第6项没有国家级获奖加分（本项可加：省级、市级、镇级）"),
        ("group", 1, Entry(D(10), awards=("city",)), "第1项没有市级获奖加分"),
        ("group", 1, Entry(D(10), missing=1), "第1项没有扣分规定"),
        ("group", 3, Entry(D(10), missing=-1), "不能为负数"),
        ("group", 1, Entry(D(10), extras=1), "没有“每增加”加分规定"),
    ],
    ids=lambda value: str(value) if isinstance(value, (int, str)) and str(value).isascii() else "x",
)
def test_impossible_entries_are_refused_with_the_reason(sheet, number, entry, message):
    with pytest.raises(ValueError, match=message):
        score_item(load(sheet).item(number), entry)


def test_an_item_the_sheet_does_not_have_is_refused():
    with pytest.raises(ValueError, match="没有第10项"):
        score_sheet(SHEETS.GROUP, {10: Entry(D(5))})


def test_ties_share_a_rank_and_the_next_is_skipped():
    assert rank({"语文科": D(90), "数学科": D(95), "英语科": D(90), "综合科": D(80)}) == {
        "数学科": 1,
        "语文科": 2,
        "英语科": 2,
        "综合科": 4,
    }
    assert rank({}) == {}


@pytest.mark.parametrize("text, expected", [("9.5", D("9.5")), ("10", D(10)), (" 7 ", D(7)), (8, D(8))])
def test_points_read_from_input(text, expected):
    assert points(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [("9.55", "一位小数"), ("abc", "数字"), ("NaN", "数字"), ("", "数字")],
    ids=["two-decimals", "letters", "nan", "empty"],
)
def test_points_refuse_what_is_not_a_score(text, message):
    with pytest.raises(ValueError, match=message):
        points(text)


def test_each_refusal_names_its_field_exactly():
    from schools.scoring import entry_errors

    group, teacher = load("group"), load("teacher")
    assert entry_errors(group.item(1), Entry(D(0))) == {}  # zero is a score
    assert entry_errors(group.item(1), Entry(D(11), missing=1, extras=1, awards=("city",))) == {
        "score": "第1项得分不能超过该项分值 10 分",
        "missing": "第1项没有扣分规定",
        "extras": "第1项没有“每增加”加分规定",
        "awards": "第1项没有市级获奖加分（本项可加：无）",
    }
    assert entry_errors(group.item(3), Entry(D(-1), missing=-1), prefix="语文科") == {
        "score": "语文科第3项得分不能为负数",
        "missing": "语文科第3项的人数或课时不能为负数",
    }
    assert entry_errors(group.item(8), Entry(D(5), extras=-1, awards=("county",))) == {
        "extras": "第8项的增加数不能为负数",
        "awards": "获奖级别“county”不存在，可选：国家级、省级、市级、镇级",
    }
    assert entry_errors(teacher.item(8), Entry(D(8))) == {"score": "第8项只能评为：明显 10 分、一般 7 分、不明显 5 分"}
    with pytest.raises(ValueError) as refused:
        score_item(group.item(1), Entry(D(11), missing=1))
    assert str(refused.value) == "第1项得分不能超过该项分值 10 分；第1项没有扣分规定"
    with pytest.raises(ValueError, match="unknown cap rule 'sometimes'"):
        score_item(group.item(1), Entry(D(5)), "sometimes")


def test_the_sheet_files_are_read_whole():
    group = load("group")
    assert (group.key, group.subject, group.heading) == ("group", "科组", "（一） 科组考核")
    assert group.item(5).note == "原表此项分值印作“10 人”，按 10 分计。" and group.item(1).note == ""
    assert group.item(3).deduction.label == "未完成的组员" and group.item(8).extra.label == "增加的案例"
    with pytest.raises(KeyError) as missing:
        group.item(10)
    assert missing.value.args == (10,)


def test_results_are_decimals_and_the_default_rule_caps():
    result = score_item(load("group").item(1), Entry(D(10)))
    assert isinstance(result.bonus, D) and isinstance(result.total, D) and result.bonus == 0
    _, total = score_sheet(load("group"), {8: Entry(D(10), extras=3)})  # no rule given: within
    assert total == D(10)


@pytest.mark.parametrize("value, text", [(D("9.50"), "9.5"), (D("10.0"), "10"), (D(100), "100"), (D("0.5"), "0.5")])
def test_scores_print_as_the_sheet_writes_them(value, text):
    from schools.scoring import show

    assert show(value) == text


def test_points_from_a_float_and_the_exact_refusals():
    assert points(9.5) == D("9.5")
    with pytest.raises(ValueError) as refused:
        points("abc")
    assert str(refused.value) == "请填写数字分数"
    with pytest.raises(ValueError) as refused:
        points("9.55")
    assert str(refused.value) == "分数最多保留一位小数"


def test_lists_in_refusals_are_joined_with_the_chinese_enumeration_comma():
    from schools.scoring import entry_errors

    group = load("group")
    assert (
        entry_errors(group.item(6), Entry(D(5), awards=("county", "village")))["awards"]
        == "获奖级别“county、village”不存在，可选：国家级、省级、市级、镇级"
    )
    assert (
        entry_errors(group.item(1), Entry(D(5), awards=("city", "town")))["awards"]
        == "第1项没有市级、镇级获奖加分（本项可加：无）"
    )
    with pytest.raises(ValueError) as refused:
        score_sheet(group, {10: Entry(D(1)), 11: Entry(D(1))})
    assert str(refused.value) == "科组考核：评选信息技术应用能力提升优秀教研小组没有第10、11项"
    assert (group.title, group.source) == (
        "科组考核：评选信息技术应用能力提升优秀教研小组",
        "东莞市大朗镇巷头小学学校校本研修与考核方案 · 考核方案（一）",
    )
    with pytest.raises(ValueError) as refused:
        points("Infinity")
    assert str(refused.value) == "请填写数字分数"
