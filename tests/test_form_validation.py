"""A definition is checked before it is used — each refusal names where it is and why;
the official definitions pass; a file with a problem is refused at start-up naming the file."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.formspec import files
from portal.formspec.validate import problems


def base() -> dict:
    return {
        "key": "zhejiang_school",
        "version": 1,
        "title": "实验校申请表",
        "applicant": "school",
        "fields": {
            "org_name": {"kind": "text", "label": "学校名称", "required": True, "max_chars": 60},
            "teachers": {"kind": "integer", "label": "专任教师数", "required": True},
            "computers": {"kind": "integer", "label": "教师用计算机数", "required": True},
            "invest_1": {"kind": "decimal", "label": "2023年", "required": True, "places": 2},
            "invest_2": {"kind": "decimal", "label": "2024年", "required": True, "places": 2},
            "wifi": {
                "kind": "yesno",
                "label": "无线校园是否全覆盖",
                "required": True,
                "choices": [["yes", "是"], ["no", "否"]],
            },
            "team": {
                "kind": "rows",
                "label": "参与单位",
                "required": True,
                "max_rows": 5,
                "min_rows": 1,
                "columns": [{"key": "name", "label": "单位", "max_chars": 40}],
            },
            "opinion": {"kind": "textarea", "label": "申报单位意见", "required": True},
        },
        "computed": {
            "ratio": {"label": "师机比", "op": "ratio", "num": "teachers", "den": "computers"},
            "total": {"label": "合计", "op": "sum", "of": ["invest_1", "invest_2"]},
        },
        "sections": [
            {
                "title": "",
                "items": [
                    {
                        "type": "table",
                        "rows": [
                            [{"label": "学校名称"}, {"field": "org_name"}],
                            [
                                {"label": "专任教师数"},
                                {"field": "teachers"},
                                {"label": "教师用计算机数"},
                                {"field": "computers"},
                            ],
                            [{"label": "师机比"}, {"computed": "ratio"}],
                            [{"field": "invest_1"}, {"field": "invest_2"}, {"computed": "total"}],
                        ],
                    },
                    {"type": "block", "field": "wifi"},
                    {"type": "block", "field": "team"},
                ],
            }
        ],
        "opinions": [
            {"level": "applicant", "label": "申报单位意见", "field": "opinion"},
            {"level": "city", "label": "市级教育行政部门审核推荐意见"},
            {"level": "province", "label": "浙江省教育厅意见"},
        ],
    }


def test_the_base_and_the_official_definitions_pass():
    assert problems(base()) == []
    for path in files.directory().glob("*.json"):
        assert problems(files.read(path)) == [], path.name


def _set(definition, path, value):
    *parents, last = path
    target = definition
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value


DELETE = object()
CASES = [
    # (what is changed, the path the refusal names, words of its reason)
    ((["key"], "Zhejiang School"), "key", "小写字母"),
    ((["version"], 0), "version", "正整数"),
    ((["title"], " "), "title", "须有名称"),
    ((["fields", "org_name", "kind"], "date"), "fields.org_name.kind", "未知的字段类型“date”"),
    ((["fields", "org_name", "max_chars"], 0), "fields.org_name.max_chars", "上限须为正整数"),
    ((["fields", "org_name", "max_chars"], -5), "fields.org_name.max_chars", "上限须为正整数"),
    ((["fields", "org_name", "format"], "fax2"), "fields.org_name.format", "未知的格式"),
    ((["fields", "org_name", "label"], ""), "fields.org_name.label", "须有名称"),
    ((["fields", "invest_1", "places"], 9), "fields.invest_1.places", "0 至 6"),
    ((["fields", "wifi", "choices"], [["yes", "是"], ["yes", "否"]]), "fields.wifi.choices", "选项的值重复"),
    ((["fields", "wifi", "choices"], []), "fields.wifi.choices", "须列出选项"),
    (
        (["fields", "team", "columns"], [{"key": "a", "label": "甲"}, {"key": "a", "label": "乙"}]),
        "fields.team.columns",
        "各列的标识须唯一",
    ),
    ((["fields", "team", "min_rows"], 9), "fields.team.min_rows", "最少行数不能大于最多行数"),
    ((["fields", "team", "columns", 0, "max_chars"], 0), "fields.team.columns[0].max_chars", "正整数"),
    ((["computed", "total", "of"], ["invest_1", "org_name"]), "computed.total", "“org_name”不是数值字段"),
    ((["computed", "total", "of"], ["invest_1", "invest_9"]), "computed.total", "不存在的字段“invest_9”"),
    ((["computed", "total", "op"], "product"), "computed.total.op", "未知的计算“product”"),
    ((["computed", "teachers"], {"label": "x", "op": "sum", "of": ["invest_1"]}), "computed.teachers", "与字段重复"),
    ((["sections", 0, "items", 1, "field"], "wifii"), "sections[0].items[1]", "不存在的字段“wifii”"),
    ((["sections", 0, "items", 2, "field"], "wifi"), "sections[0].items[2]", "出现了两次"),
    (
        (["sections", 0, "items", 0, "rows", 2, 1, "computed"], "ratioo"),
        "sections[0].items[0].rows[2][1]",
        "不存在的计算项“ratioo”",
    ),
    ((["sections", 0, "items", 0, "rows", 0, 0, "colspan"], 0), "sections[0].items[0].rows[0][0]", "正整数"),
    ((["opinions", 1, "level"], "town"), "opinions[1].level", "未知的审核层级“town”"),
    ((["opinions", 2, "level"], "city"), "opinions[2].level", "同一层级只能有一个意见栏"),
    ((["opinions", 0, "field"], "opinon"), "opinions[0].field", "不存在的字段“opinon”"),
]


@pytest.mark.parametrize("change, path, reason", CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(CASES)])
def test_each_refusal_names_where_and_why(change, path, reason):
    definition = copy.deepcopy(base())
    _set(definition, *change)
    found = problems(definition)
    assert any(p.path == path and reason in p.message for p in found), found


def test_a_field_left_out_of_the_layout_cannot_be_filled():
    definition = base()
    definition["sections"][0]["items"].pop()  # the 参与单位 table
    assert [str(p) for p in problems(definition)] == ["fields.team：字段未出现在表单版式中，申报人无法填写。"]


def test_computed_cells_may_build_on_each_other_but_never_on_themselves():
    definition = base()
    definition["computed"]["double"] = {"label": "两年合计", "op": "sum", "of": ["total", "invest_1"]}
    assert problems(definition) == []
    definition["computed"]["total"]["of"] = ["invest_1", "double"]
    found = [str(p) for p in problems(definition)]
    assert any("计算项循环引用" in p and "total" in p and "double" in p for p in found), found


def test_a_file_with_a_problem_or_a_repeated_key_is_refused_naming_it(tmp_path):
    bad = base()
    bad["fields"]["org_name"]["max_chars"] = 0
    path = tmp_path / "zhejiang_school.v1.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(files.DefinitionFileError, match=r"^zhejiang_school\.v1\.json：fields\.org_name\.max_chars"):
        files.read(path)
    text = json.dumps(base(), ensure_ascii=False).replace(
        '"fields": {', '"fields": {"wifi": {"kind": "text", "label": "x"}, ', 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(files.DefinitionFileError, match="标识“wifi”在同一对象中出现了两次"):
        files.read(path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
PLACES = [
    ("key",),
    ("version",),
    ("fields",),
    ("fields", "wifi"),
    ("fields", "wifi", "kind"),
    ("fields", "wifi", "choices"),
    ("fields", "team", "columns"),
    ("fields", "team", "min_rows"),
    ("fields", "org_name", "format"),
    ("computed",),
    ("computed", "total"),
    ("computed", "total", "of"),
    ("computed", "ratio", "num"),
    ("sections",),
    ("sections", 0),
    ("sections", 0, "items"),
    ("sections", 0, "items", 0),
    ("sections", 0, "items", 0, "rows"),
    ("sections", 0, "items", 0, "rows", 0),
    ("sections", 0, "items", 0, "rows", 0, 0),
    ("opinions",),
    ("opinions", 0),
    ("opinions", 0, "level"),
    ("opinions", 0, "field"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=JSON)
def test_hostile_shapes_are_problems_never_crashes(place, value):
    """An imported file is anyone's JSON: whatever sits anywhere, the check answers with problems."""
    definition = copy.deepcopy(base())
    target = definition
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    found = problems(definition)
    assert isinstance(found, list) and all(p.path and p.message for p in found)
