"""Computed cells from a small safe expression set (tested against expected values, and every
construct outside the set refused); placeholders that follow the call ({year-3}, {province}); each level
of a call's chain needs a box on its forms or the form's stated default; a definition's refusals."""

import copy
import json
import subprocess
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.formspec import expr, resolve
from portal.formspec.registry import latest
from portal.formspec.validate import chain_problems, problems
from portal.formspec.values import compute


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("a + b", {"a": "1", "b": "2"}, Decimal(3)),
        ("a - b * 2", {"a": "10", "b": "3"}, Decimal(4)),
        ("(a - b) * 2", {"a": "10", "b": "3"}, Decimal(14)),
        ("a / b", {"a": "1", "b": "4"}, Decimal("0.25")),
        ("-a + 5", {"a": "2"}, Decimal(3)),
        ("round(a / b * 100, 1)", {"a": "1", "b": "3"}, Decimal("33.3")),
        ("round(2.5, 0)", {}, Decimal(3)),  # half up, as officials round
        ("abs(a - b)", {"a": "3", "b": "10"}, Decimal(7)),
        ("sum(a, b, c)", {"a": "1", "b": "", "c": "2.5"}, Decimal("3.5")),  # sum skips an empty cell
        ("sum(a, b)", {"a": "", "b": ""}, None),
        ("a + b", {"a": "1", "b": ""}, None),  # otherwise an empty cell empties it
        ("-a", {"a": ""}, None),  # a negated empty cell stays empty
        ("a / b", {"a": "1", "b": "0"}, None),  # no division by zero
        ("a / b", {"a": "0", "b": "0"}, None),  # nor zero by zero
        ("round(a / b, 10)", {"a": "1", "b": "3"}, Decimal("0.333333")),  # at most six places
        ("round(a, 6)", {"a": "0.1234567"}, Decimal("0.123457")),
        ("1.5 * 2", {}, Decimal("3.0")),
    ],
)
def test_the_evaluator_computes_the_expected_values(text, values, expected):
    def lookup(name):
        raw = values.get(name)
        return Decimal(raw) if raw not in (None, "") else None

    assert expr.evaluate(expr.parse(text), lookup) == expected


def test_an_expression_of_exactly_the_maximum_length_is_accepted_and_one_more_character_is_not():
    text = "a + " * ((expr.MAX_LENGTH - 1) // 4) + "a"
    text += " " * (expr.MAX_LENGTH - len(text))
    assert len(text) == expr.MAX_LENGTH
    assert set(expr.names(expr.parse(text))) == {"a"}
    with pytest.raises(expr.ExpressionError, match=f"不能超过 {expr.MAX_LENGTH} 个字符"):
        expr.parse(text + " ")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("__import__('os').system('id')", "不在可用的写法中"),
        ("a.real", "“.”不在可用的写法中"),
        ("a[0]", "“[”不在可用的写法中"),
        ("a ** 2", "不应是“*”"),
        ("open(a)", "“open”不是可用的函数"),
        ("eval(a)", "“eval”不是可用的函数"),
        ("lambda: 1", "“:”不在可用的写法中"),
        ("'text'", "不在可用的写法中"),
        ("a if b else c", "多出了“if”"),
        ("a == b", "“=”不在可用的写法中"),
        ("1 +", "不完整"),
        ("(a + b", "应为“)”"),
        ("round(a)", "参数个数不对"),
        ("round(a, b)", "位数须为数字"),
        ("a b", "多出了“b”"),
        ("", "请填写计算式"),
        ("(" * 30 + "a" + ")" * 30, "嵌套过深"),
        ("a + " * 100 + "a", "不能超过"),
        ("A + b", "不在可用的写法中"),
    ],
)
def test_the_evaluator_refuses_anything_outside_its_set(text, reason):
    with pytest.raises(expr.ExpressionError) as refusal:
        expr.parse(text)
    assert reason in str(refusal.value)


def test_computed_cells_of_a_definition_take_their_values():
    definition = copy.deepcopy(latest("guangxi_school"))
    definition["computed"]["invest_avg"] = {
        "label": "年均投入",
        "op": "expr",
        "places": 2,
        "expr": "(invest_2020 + invest_2021 + invest_2022) / 3",
    }
    definition["computed"]["computers"] = {
        "label": "计算机合计",
        "op": "expr",
        "expr": "sum(student_computers, teacher_computers)",
    }
    definition["computed"]["per_class"] = {
        "label": "每班计算机",
        "op": "expr",
        "places": 1,
        "expr": "computers / classes",
    }
    assert problems(definition) == []
    values = {
        "students": 1200,
        "student_computers": 150,
        "teacher_computers": 80,
        "teachers": 80,
        "classes": 24,
        "invest_2020": "10.00",
        "invest_2021": "20.50",
        "invest_2022": "30.00",
    }
    out = compute(definition, values)
    assert out["invest_avg"] == "20.17" and out["computers"] == 230 and out["per_class"] == "9.6"
    assert out["student_ratio"] == "8:1" and out["teacher_ratio"] == "1:1"
    assert compute(definition, {**values, "classes": 0})["per_class"] is None


def _with(change):
    definition = copy.deepcopy(latest("guangxi_school"))
    change(definition)
    return {p.path: p.message for p in problems(definition)}


@pytest.mark.parametrize(
    "change, path, message",
    [
        (
            lambda d: d["computed"].update(x={"label": "x", "op": "expr", "expr": "nope + 1"}),
            "computed.x",
            "不存在的字段“nope”",
        ),
        (
            lambda d: d["computed"].update(x={"label": "x", "op": "expr", "expr": "school_type * 2"}),
            "computed.x",
            "不是数值字段",
        ),
        (
            lambda d: d["computed"].update(
                x={"label": "x", "op": "expr", "expr": "y + 1"}, y={"label": "y", "op": "expr", "expr": "x + 1"}
            ),
            "computed.x",
            "循环引用",
        ),
        (
            lambda d: d["computed"].update(x={"label": "x", "op": "expr", "expr": "student_ratio * 2"}),
            "computed.x",
            "是比值",
        ),
        (
            lambda d: d["computed"].update(x={"label": "x", "op": "expr", "expr": "classes ** 2"}),
            "computed.x.expr",
            "不应是“*”",
        ),
        (
            lambda d: d["computed"].update(x={"label": "x", "op": "expr", "expr": "2 + 3"}),
            "computed.x.expr",
            "至少一个字段",
        ),
        (
            lambda d: d["computed"].update(x={"label": "", "op": "sum", "of": ["classes"]}),
            "computed.x.label",
            "须有名称",
        ),
        (lambda d: d["computed"].update(x={"label": "x", "op": "power"}), "computed.x.op", "未知的计算"),
        (lambda d: d["fields"]["classes"].update(max_chars=0), "fields.classes.max_chars", "正整数"),
        (lambda d: d["fields"]["classes"].update(label="{year-3}年{city}"), "fields.classes.label", "{city}"),
        (lambda d: d["fields"]["classes"].update(label="{year-30}年"), "fields.classes.label", "{year-30}"),
        (
            lambda d: d["fields"].update(extra={"kind": "text", "label": "未放入版式"}),
            "fields.extra",
            "未出现在表单版式中",
        ),
        (
            lambda d: d["sections"][2]["items"].append({"type": "block", "field": "classes"}),
            "sections[2].items[2]",
            "出现了两次",
        ),
        (lambda d: d["opinions"].append({"level": "city", "label": "again"}), "opinions[5].level", "只能有一个"),
        (lambda d: d.update(attachments=["", "材料"]), "attachments[0]", "须有名称"),
        (lambda d: d.update(unboxed="maybe"), "unboxed", "appendix"),
    ],
)
def test_each_refusal_of_a_definition_points_at_its_place(change, path, message):
    found = _with(change)
    assert path in found and message in found[path], found


def test_placeholders_follow_the_call_year_and_province():
    definition = {"title": "近3年（{year-3}—{year-1}年）", "opinions": [{"label": "{province}教育厅意见"}]}
    out = resolve.resolved(definition, year=2026, province=resolve.province_word("浙江省教育厅"))
    assert out == {"title": "近3年（2023—2025年）", "opinions": [{"label": "省教育厅意见"}]}
    assert (
        resolve.province_word("广西壮族自治区教育厅") == "自治区" and resolve.province_word("北京市教育委员会") == "市"
    )
    assert definition["title"].startswith("近3年（{year-3}")  # the stored definition is untouched


def test_chain_levels_need_a_box_or_the_stated_default():
    school = latest("guangxi_school")
    assert chain_problems(school, ["county", "city", "expert", "province"]) == []
    found = chain_problems(school, ["county", "city", "province", "ministry"])
    assert [p.path for p in found] == ["opinions"] and "教育部" in found[0].message
    assert chain_problems(latest("national_zone"), ["city", "province", "ministry"]) == []  # v3 states it
    old_national = {**latest("national_zone"), "unboxed": None}
    assert "市级" in chain_problems(old_national, ["city", "province", "ministry"])[0].message


def test_a_call_refuses_a_form_without_a_box_for_a_level_of_its_chain(role_users, calls):
    from portal.core.exceptions import ServiceError
    from portal.orgs.choices import Role
    from portal.programmes import callfiles

    data = callfiles.read("guangxi-2023.json")
    data["call"] = {
        **data["call"],
        "review_chain": ["county", "city", "province", "ministry"],
        "title": "层级与意见栏不符的批次",
    }
    data["excluded_calls"], data["quotas"] = [], []
    with pytest.raises(ServiceError) as refusal:
        callfiles.load_call(actor=role_users[Role.PROVINCE_ADMIN], data=data)
    assert "form_school" in refusal.value.errors and "教育部" in refusal.value.errors["form_school"][0]


def test_an_application_shows_the_years_and_province_of_its_call(tree, client):
    """A definition with placeholders, published by Shanxi and used by a call opening in 2026: the web form,
    the messages, the stored version and the print say 2023–2025 and 省教育厅意见."""
    from portal.formspec import services
    from portal.orgs.choices import Role
    from portal.programmes.services.applications import start_application, submit_application
    from tests.factories import make_user
    from tests.programmes.helpers import complete_application
    from tests.test_form_editor import zhejiang_like
    from tests.test_form_publish import shanxi_call

    admin = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")
    definition = zhejiang_like(copy.deepcopy(latest("guangxi_school")))
    definition.update(key="shanxi_school", version=1)
    services.publish(actor=admin, definition=definition)
    call = shanxi_call(admin)
    call.opens_at = timezone.make_aware(datetime(2026, 3, 1, 9))
    call.save(update_fields=["opens_at"])
    school = make_user(Role.SCHOOL_APPLICANT, tree.other_school)
    application = start_application(actor=school, call=call)
    client.force_login(school)
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert "2023年" in page and "2025年" in page and "{year" not in page
    application = complete_application(application, school)
    version = submit_application(actor=school, application=application)
    assert version.content["computed"]["invest_avg"] is not None
    assert json.loads(version.schema.source)["fields"]["invest_2020"]["label"] == "{year-3}年"  # stored as published
    from portal.reports.pdf import application_pdf

    data, _ = application_pdf(application, school)
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode().split()
    )
    assert "2023年" in text and "2024年" in text and "2025年" in text and "{year" not in text
    assert "省教育厅意见" in text and "自治区" not in text and "学校信息化发展规划" in text


def test_a_new_version_keeps_a_box_for_each_level_of_the_calls_using_it(tree):
    """A call already uses the key: its next applications fill the new version, which must still give
    each level of the call's chain a box (or state the default)."""
    from portal.core.exceptions import ServiceError
    from portal.formspec import services
    from portal.orgs.choices import Role
    from tests.factories import make_user
    from tests.test_form_publish import derived_shanxi, shanxi_call

    admin = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")
    services.publish(actor=admin, definition=derived_shanxi())
    shanxi_call(admin)
    second = derived_shanxi()
    second["version"] = 2
    second["opinions"] = [b for b in second["opinions"] if b["level"] != "city"]
    with pytest.raises(ServiceError) as refusal:
        services.publish(actor=admin, definition=copy.deepcopy(second))
    assert (
        "山西省信息化融合创新实验校申报" in refusal.value.errors["opinions"][0]
        and "市级" in refusal.value.errors["opinions"][0]
    )
    second["unboxed"] = "appendix"
    assert services.publish(actor=admin, definition=second).version == 2
