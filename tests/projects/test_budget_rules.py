"""The budget rules with exact expected values: totals, the prescribed split, execution rates at
their boundaries, overspending, and amounts that are not amounts."""

from decimal import Decimal as D

import pytest

from budgets import arithmetic as a

DONGGUAN = [
    a.Line("第1项“成果编撰出版”", "成果编撰出版", D("30")),
    a.Line("第2项“研训”", "研训交流展示活动", D("10")),
    a.Line("第3项“孵化”", "孵化教学模式", D("60")),
]
SPLIT = [
    a.Share("成果编撰出版", percent=D("30")),
    a.Share("研训交流展示活动", percent=D("10")),
    a.Share("孵化教学模式", percent=D("60")),
]


def test_the_dongguan_lines_add_up_to_the_grant_and_keep_the_split():
    assert a.line_amount(D("15"), D("2")) == D("30")
    assert a.line_amount(D("1"), D("10")) == D("10")
    assert a.line_amount(D("6"), D("10")) == D("60")
    assert a.total_refusals(DONGGUAN, D("100")) == []
    assert a.split_refusals(DONGGUAN, D("100"), SPLIT) == []


def test_a_total_that_misses_the_grant_says_by_how_much():
    assert a.total_refusals(DONGGUAN[:2], D("100")) == [
        "各预算项目合计 40 万元，与下达资金 100 万元不一致（少 60 万元）。"
    ]
    assert a.total_refusals(DONGGUAN, D("99.5")) == [
        "各预算项目合计 100 万元，与下达资金 99.5 万元不一致（多 0.5 万元）。"
    ]
    one_yuan_short = DONGGUAN[:2] + [a.Line("x", "孵化教学模式", D("59.9999"))]
    assert a.total_refusals(one_yuan_short, D("100")) == [
        "各预算项目合计 99.9999 万元，与下达资金 100 万元不一致（少 0.0001 万元）。"
    ]


def test_a_broken_split_names_the_category_and_the_difference():
    broken = [a.Line("第1项", "成果编撰出版", D("35")), DONGGUAN[1], a.Line("第3项", "孵化教学模式", D("55"))]
    assert a.total_refusals(broken, D("100")) == []
    assert a.split_refusals(broken, D("100"), SPLIT) == [
        "“成果编撰出版”规定占 30%（30 万元），现为 35 万元，超出 5 万元。",
        "“孵化教学模式”规定占 60%（60 万元），现为 55 万元，不足 5 万元。",
    ]


def test_a_line_outside_the_prescribed_categories_is_refused():
    stray = DONGGUAN + [a.Line("第4项“差旅”", "差旅", D("0"))]
    assert a.split_refusals(stray, D("100"), SPLIT) == ["第4项“差旅”：资金投入方向“差旅”不在本批次规定的预算结构中。"]


def test_a_split_by_amount_and_lines_summed_per_category():
    shares = [a.Share("成果编撰出版", amount=D("30")), a.Share("其他", amount=D("70"))]
    lines = [a.Line("1", "成果编撰出版", D("20")), a.Line("2", "成果编撰出版", D("10")), a.Line("3", "其他", D("70"))]
    assert a.split_refusals(lines, D("100"), shares) == []
    assert a.split_refusals(lines[1:], D("100"), shares) == [
        "“成果编撰出版”规定占 30万元（30 万元），现为 10 万元，不足 20 万元。"
    ]
    assert a.split_refusals(lines, D("100"), []) == []


def test_a_percentage_share_rounds_half_up_to_the_yuan():
    assert a.Share("x", percent=D("33.33335")).expected(D("1")) == D("0.3333")
    assert a.Share("x", percent=D("12.345")).expected(D("1")) == D("0.1235")


@pytest.mark.parametrize(
    "spent, planned, rate",
    [
        ("0", "30", "0.00"),
        ("6", "30", "20.00"),
        ("30", "30", "100.00"),
        ("30.0001", "30", "100.00"),
        ("31", "30", "103.33"),
        ("1", "3", "33.33"),
        ("2", "3", "66.67"),
        ("0.00005", "1", "0.01"),
        ("0.00004", "1", "0.00"),
    ],
)
def test_execution_rate_is_exact_to_two_places_half_up(spent, planned, rate):
    assert a.execution_rate(D(spent), D(planned)) == D(rate)


def test_a_line_planned_at_zero_has_no_rate():
    assert a.execution_rate(D("0"), D("0")) is None
    assert a.execution_rate(D("5"), D("0")) is None


def test_overspend_is_what_goes_beyond_the_line_and_nothing_at_the_edge():
    assert a.overspend(D("10"), D("9"), D("1")) == 0
    assert a.overspend(D("10"), D("9"), D("1.0001")) == D("0.0001")
    assert a.overspend(D("10"), D("0"), D("12")) == D("2")


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("abc", "请填写数字金额（万元）"),
        ("", "请填写数字金额（万元）"),
        ("NaN", "请填写数字金额（万元）"),
        ("Infinity", "请填写数字金额（万元）"),
        ("1.00001", "金额最多保留四位小数（精确到元）"),
        (None, "请填写数字金额（万元）"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_the_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        a.wan(raw)


def test_floats_are_never_amounts_and_text_is_read_exactly():
    with pytest.raises(ValueError, match="浮点数"):
        a.wan(0.1)
    assert a.wan(" 1,000.5 ") == D("1000.5000")
    assert a.wan(D("15")) == D("15.0000")
    assert a.show(D("30.0000")) == "30" and a.show(D("12.5000")) == "12.5" and a.show(D("100")) == "100"
    assert a.show(D("0.0001")) == "0.0001"


def test_messages_are_exactly_the_reasons_the_user_reads():
    with pytest.raises(ValueError, match="^金额不能以浮点数表示$"):
        a.wan(0.5)
    for raw, reason in (
        ("abc", "请填写数字金额（万元）"),
        ("NaN", "请填写数字金额（万元）"),
        ("1.00001", "金额最多保留四位小数（精确到元）"),
        ("10000000000", "金额过大（不超过 99 亿万元）"),
    ):
        with pytest.raises(ValueError) as refused:
            a.wan(raw)
        assert str(refused.value) == reason


def test_the_largest_amount_a_column_holds():
    assert a.wan("9999999999.9999") == D("9999999999.9999")
    with pytest.raises(ValueError):
        a.wan("10000000000")
    with pytest.raises(ValueError):
        a.wan("-10000000000")


def test_a_line_amount_rounds_half_up_to_the_yuan():
    assert a.line_amount(D("0.0001"), D("0.5")) == D("0.0001")  # 0.00005 → 0.0001, not 0.0000
    assert a.line_amount(D("0.0003"), D("0.5")) == D("0.0002")  # 0.00015 → 0.0002
    assert a.line_amount(D("0.0001"), D("0.25")) == D("0.0000")


def test_no_lines_at_all_and_a_category_with_no_lines():
    assert a.total_refusals([], D("100")) == ["各预算项目合计 0 万元，与下达资金 100 万元不一致（少 100 万元）。"]
    assert a.split_refusals(DONGGUAN[1:], D("100"), SPLIT[:1]) == [
        "第2项“研训”：资金投入方向“研训交流展示活动”不在本批次规定的预算结构中。",
        "第3项“孵化”：资金投入方向“孵化教学模式”不在本批次规定的预算结构中。",
        "“成果编撰出版”规定占 30%（30 万元），现为 0 万元，不足 30 万元。",
    ]


def test_a_category_over_by_less_than_one_wan_is_over():
    lines = [a.Line("1", "成果编撰出版", D("30.5")), a.Line("2", "研训交流展示活动", D("9.5")), DONGGUAN[2]]
    assert a.split_refusals(lines, D("100"), SPLIT) == [
        "“成果编撰出版”规定占 30%（30 万元），现为 30.5 万元，超出 0.5 万元。",
        "“研训交流展示活动”规定占 10%（10 万元），现为 9.5 万元，不足 0.5 万元。",
    ]
