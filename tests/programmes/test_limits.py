"""Character limits as officials count them, per limited field of each form."""

import pytest

from portal.formspec.fields import CallContext, form_class
from portal.formspec.registry import definitions
from portal.formspec.text import count_chars

LIMITED = [
    (d["key"], name, spec["max_chars"], spec.get("title") or spec["label"])
    for d in definitions()
    for name, spec in d["fields"].items()
    if spec.get("max_chars")
]
OFFICIAL = {
    ("national_zone", "work_basis"): 2000,
    ("national_zone", "plan"): 5000,
    ("national_zone", "innovation"): 1500,
    ("national_zone", "gov_plan"): 1500,
    ("guangxi_zone", "work_basis"): 2000,
    ("guangxi_zone", "plan"): 8000,
    ("guangxi_zone", "innovation"): 1000,
    ("guangxi_zone", "experiment_name"): 30,
    ("guangxi_zone", "experiment_summary"): 500,
    ("guangxi_school", "work_basis"): 1000,
    ("guangxi_school", "plan"): 5000,
    ("guangxi_school", "innovation"): 1000,
    ("guangxi_school", "experiment_name"): 30,
    ("guangxi_school", "experiment_summary"): 500,
}


def _form(key, data):
    definition = next(d for d in definitions() if d["key"] == key)
    form = form_class(definition, CallContext())(data=data)
    form.is_valid()
    return form


def test_official_limits_are_the_papers():
    found = {(key, name): limit for key, name, limit, _ in LIMITED}
    for item, limit in OFFICIAL.items():
        assert found[item] == limit, item


def test_every_character_counts_but_line_breaks_do_not():
    assert count_chars("信息化2.0，AI！") == 10
    assert count_chars("第一段\r\n第二段\n") == 6
    assert count_chars("𠀀a b") == 4  # a character outside the BMP is one; a space is one


@pytest.mark.parametrize("key,name,limit,label", LIMITED)
def test_text_at_the_limit_is_accepted_and_one_more_is_refused_with_the_fields_message(key, name, limit, label):
    fill = ("信息技术、Ab1。" * (limit // 8 + 1))[:limit]
    assert name not in _form(key, {name: fill}).errors
    errors = _form(key, {name: fill + "。"}).errors[name]
    assert errors == [f"「{label}」不得超过 {limit} 字，当前 {limit + 1} 字，请删减 1 字。"]


def test_line_breaks_do_not_use_up_the_limit():
    text = "\n".join(["甲" * 10] * 3)  # 30 characters of text in three lines
    assert "experiment_name" not in _form("guangxi_zone", {"experiment_name": text}).errors


@pytest.mark.parametrize(
    "value,message",
    [
        ("1381234567", "「负责人手机」请填写 11 位手机号码，如 13800000000。"),
        ("02345678901", "「负责人手机」请填写 11 位手机号码，如 13800000000。"),
    ],
)
def test_mobile_numbers_are_checked(value, message):
    assert _form("guangxi_zone", {"head_mobile": value}).errors["head_mobile"] == [message]


def test_bad_numbers_percent_and_postcode_get_chinese_messages():
    errors = _form(
        "guangxi_school",
        {"students": "一千", "textbook_ratio": "120", "postcode": "53002", "classes": "-3", "head_email": "abc"},
    ).errors
    assert errors["students"] == ["「在校学生数」请填写整数。"]
    assert errors["textbook_ratio"] == ["「广西数字教材规模化应用教师比例」不能超过 100。"]
    assert errors["postcode"] == ["「邮编」应为 6 位数字。"]
    assert errors["classes"] == ["「班级数」不能为负数。"]
    assert errors["head_email"] == ["「负责人电子邮件」请填写有效的电子邮件地址，如 name@example.cn。"]


def test_submission_requires_every_required_field_but_a_draft_does_not():
    definition = next(d for d in definitions() if d["key"] == "guangxi_school")
    cls = form_class(definition, CallContext(categories=[{"number": 1, "name": "甲", "keywords": ["智慧课堂"]}]))
    assert cls(data={}, mode="draft").is_valid()
    submit = cls(data={"byod": "yes"}, mode="submit")
    assert not submit.is_valid()
    assert submit.errors["byod_practice"] == ["请填写「“自带设备”购置、管理等方面具体做法」。"]
    assert submit.errors["category"] == ["请选择「实验类别」。"]
    assert submit.errors["head_title"] == ["请填写「负责人职务」。"]
    no_byod = cls(data={"byod": "no"}, mode="submit")
    no_byod.is_valid()
    assert "byod_practice" not in no_byod.errors


def test_participants_are_at_most_ten_rows_and_a_half_filled_row_is_refused_on_submit():
    definition = next(d for d in definitions() if d["key"] == "guangxi_zone")
    assert definition["fields"]["participants"]["max_rows"] == 10
    cls = form_class(definition, CallContext())
    form = cls(data={"participants__0__unit": "教研室"}, mode="submit")
    form.is_valid()
    assert form.errors["participants__0__person"] == ["请填写「责任人」。"]
    assert "participants__10__unit" not in cls.base_fields


def test_keywords_must_belong_to_the_chosen_category():
    definition = next(d for d in definitions() if d["key"] == "guangxi_zone")
    context = CallContext(
        categories=[
            {"number": 1, "name": "甲", "keywords": ["智慧课堂"]},
            {"number": 2, "name": "乙", "keywords": ["数据画像"]},
        ]
    )
    form = form_class(definition, context)(data={"category": "1", "keywords": ["数据画像"]})
    form.is_valid()
    assert form.errors["keywords"] == ["关键词“数据画像”不属于所选实验类别，请重新选择。"]
    several = form_class(definition, context)(data={"category": ["1", "2"]})
    several.is_valid()
    assert several.errors["category"] == ["「实验类别」只能选择一个。"]
