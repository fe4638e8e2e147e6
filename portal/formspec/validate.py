"""Whether a definition can be used: every refusal names where it is (a path such as
`fields.classes.max_chars` or `sections[2].items[0].rows[1][3]`, which an editor turns into the field
to mark) and why, in Chinese. A definition with problems is never registered or published: the web
form, the validation and the print all trust what is checked here."""

from __future__ import annotations

from dataclasses import dataclass

from portal.formspec import expr, resolve
from portal.formspec.fields import FORMATS

KINDS = frozenset({"text", "textarea", "integer", "decimal", "yesno", "choice", "categories", "keywords", "rows"})
NUMERIC = frozenset({"integer", "decimal"})
OPERATIONS = frozenset({"sum", "ratio", "expr"})
PREFILLS = frozenset({"org_name", "org_address", "org_postcode", "org_school_type"})
LEVEL_NAMES = {
    "applicant": "申报单位",
    "county": "县级",
    "city": "市级",
    "expert": "专家组",
    "province": "省级",
    "ministry": "教育部",
}
LEVELS = frozenset(LEVEL_NAMES)
FORMAT_NAMES = frozenset(FORMATS) | {"email"}
KEY = __import__("re").compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}"


def _known(value, names) -> bool:
    """A name from `names` (a list or an object in hostile JSON is not, rather than unhashable)."""
    return isinstance(value, str) and value in names


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _field_problems(name: str, spec, out: list[Problem]) -> None:
    at = f"fields.{name}"
    if not KEY.match(name):
        out.append(Problem(at, "字段标识只能由小写字母、数字和下划线组成，并以字母开头。"))
    if not isinstance(spec, dict):
        out.append(Problem(at, "字段定义须为对象。"))
        return
    kind = spec.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        out.append(Problem(f"{at}.kind", f"未知的字段类型“{kind}”。"))
        return
    if not str(spec.get("label") or "").strip() and not str(spec.get("title") or "").strip():
        out.append(Problem(f"{at}.label", "字段须有名称。"))
    for limit in ("max_chars", "max_rows"):
        if limit in spec and not _positive_int(spec[limit]):
            out.append(Problem(f"{at}.{limit}", "上限须为正整数。"))
    if "max_value" in spec and not (isinstance(spec["max_value"], (int, float)) and spec["max_value"] > 0):
        out.append(Problem(f"{at}.max_value", "最大值须为正数。"))
    if "places" in spec and not (isinstance(spec["places"], int) and 0 <= spec["places"] <= 6):
        out.append(Problem(f"{at}.places", "小数位数须为 0 至 6。"))
    if spec.get("format") and not _known(spec["format"], FORMAT_NAMES):
        out.append(Problem(f"{at}.format", f"未知的格式“{spec['format']}”。"))
    if spec.get("prefill") and not _known(spec["prefill"], PREFILLS):
        out.append(Problem(f"{at}.prefill", f"未知的预填来源“{spec['prefill']}”。"))
    if kind in {"choice", "yesno"}:
        choices = spec.get("choices")
        keys = (
            [c[0] for c in choices]
            if isinstance(choices, list)
            and all(isinstance(c, list) and len(c) == 2 and isinstance(c[0], str) for c in choices)
            else None
        )
        if not keys:
            out.append(Problem(f"{at}.choices", "须列出选项，每项为 [值, 显示文字]。"))
        elif len(set(keys)) != len(keys):
            out.append(Problem(f"{at}.choices", "选项的值重复。"))
    if kind == "rows":
        columns = spec.get("columns")
        if not isinstance(columns, list) or not columns:
            out.append(Problem(f"{at}.columns", "表格须至少有一列。"))
        else:
            keys = [c.get("key") for c in columns if isinstance(c, dict) and isinstance(c.get("key"), str)]
            if len(set(keys)) != len(keys) or len(keys) != len(columns):
                out.append(Problem(f"{at}.columns", "各列的标识须唯一。"))
            for i, column in enumerate(columns):
                if isinstance(column, dict) and "max_chars" in column and not _positive_int(column["max_chars"]):
                    out.append(Problem(f"{at}.columns[{i}].max_chars", "上限须为正整数。"))
                if isinstance(column, dict) and column.get("format") and not _known(column["format"], FORMAT_NAMES):
                    out.append(Problem(f"{at}.columns[{i}].format", f"未知的格式“{column['format']}”。"))
        minimum = spec.get("min_rows", 0)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
            out.append(Problem(f"{at}.min_rows", "最少行数须为 0 或正整数。"))
        elif _positive_int(spec.get("max_rows")) and minimum > spec["max_rows"]:
            out.append(Problem(f"{at}.min_rows", "最少行数不能大于最多行数。"))
    if spec.get("required_if"):
        other = spec["required_if"]
        if not (isinstance(other, list) and len(other) == 2):
            out.append(Problem(f"{at}.required_if", "须写作 [字段, 值]。"))


def sources_of(spec: dict) -> list[str]:
    """The names a well-formed computed cell reads."""
    if spec.get("op") == "expr":
        return expr.names(expr.parse(spec["expr"]))
    return spec.get("of") or [spec.get("num"), spec.get("den")]


def _computed_problems(definition: dict, out: list[Problem]) -> None:
    fields, computed = definition["fields"], definition.get("computed") or {}
    for name, spec in computed.items():
        at = f"computed.{name}"
        if name in fields:
            out.append(Problem(at, f"计算项标识“{name}”与字段重复。"))
        op = spec.get("op") if isinstance(spec, dict) else None
        if op not in OPERATIONS:
            out.append(Problem(f"{at}.op", f"未知的计算“{op}”：只能是合计（sum）、比值（ratio）或计算式（expr）。"))
            continue
        if not str(spec.get("label") or "").strip():
            out.append(Problem(f"{at}.label", "计算项须有名称。"))
        if op == "expr":
            try:
                sources = expr.names(expr.parse(spec.get("expr")))
            except expr.ExpressionError as refusal:
                out.append(Problem(f"{at}.expr", str(refusal)))
                continue
            if not sources:
                out.append(Problem(f"{at}.expr", "计算式须引用至少一个字段。"))
                continue
        else:
            sources = spec.get("of") if op == "sum" else [spec.get("num"), spec.get("den")]
        if not isinstance(sources, list) or not sources or not all(isinstance(x, str) for x in sources):
            out.append(Problem(at, "须列出参与计算的字段（字段标识）。"))
            continue
        for source in sources:
            if source in fields:
                if fields[source].get("kind") not in NUMERIC:
                    out.append(Problem(at, f"“{source}”不是数值字段，不能参与计算。"))
            elif source not in computed:
                out.append(Problem(at, f"引用了不存在的字段“{source}”。"))
            elif isinstance(computed[source], dict) and computed[source].get("op") == "ratio":
                out.append(Problem(at, f"“{source}”是比值（如 12.5:1），不能再参与计算。"))

    # Cycles: a computed cell may use another computed cell, never (through others) itself.
    def uses(name):
        return [s for s in sources_of(computed[name]) if s in computed]

    state: dict[str, int] = {}

    def visit(name, trail):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = trail[trail.index(name) :] + [name]
            out.append(Problem(f"computed.{name}", f"计算项循环引用：{' → '.join(cycle)}。"))
            return
        state[name] = 1
        for other in uses(name):
            visit(other, trail + [name])
        state[name] = 2

    for name in computed:
        if out:
            return  # cycles are looked for among well-formed cells only
        visit(name, [])


def _layout_problems(definition: dict, out: list[Problem]) -> None:
    fields, computed = definition["fields"], definition.get("computed") or {}
    placed: dict[str, str] = {}

    def place(name, at: str) -> None:
        if not _known(name, fields):
            out.append(Problem(at, f"版式引用了不存在的字段“{name}”。"))
        elif name in placed:
            out.append(Problem(at, f"字段“{name}”在版式中出现了两次（另见 {placed[name]}）。"))
        else:
            placed[name] = at

    for s, section in enumerate(definition["sections"]):
        items = section.get("items") if isinstance(section, dict) else None
        if not isinstance(items, list):
            out.append(Problem(f"sections[{s}]", "栏目须为对象，并列出其内容（items）。"))
            continue
        for i, item in enumerate(items):
            at = f"sections[{s}].items[{i}]"
            if not isinstance(item, dict):
                out.append(Problem(at, "版式项须为对象。"))
            elif item.get("type") == "block":
                place(item.get("field"), at)
            elif item.get("type") == "table":
                rows = item.get("rows")
                if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                    out.append(Problem(at, "表格须列出各行，每行为单元格列表。"))
                    continue
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        where = f"{at}.rows[{r}][{c}]"
                        if not isinstance(cell, dict):
                            out.append(Problem(where, "单元格须为对象。"))
                            continue
                        if "field" in cell:
                            place(cell["field"], where)
                        elif "computed" in cell and not _known(cell["computed"], computed):
                            out.append(Problem(where, f"版式引用了不存在的计算项“{cell['computed']}”。"))
                        for span in ("rowspan", "colspan"):
                            if span in cell and not _positive_int(cell[span]):
                                out.append(Problem(where, "合并单元格数须为正整数。"))
            else:
                out.append(Problem(at, f"未知的版式项“{item.get('type')}”。"))
    boxed = {
        b.get("field")
        for b in definition.get("opinions", [])
        if isinstance(b, dict) and b.get("level") == "applicant" and isinstance(b.get("field"), str)
    }
    for name in fields:
        if name not in placed and name not in boxed:
            out.append(Problem(f"fields.{name}", "字段未出现在表单版式中，申报人无法填写。"))


def _opinion_problems(definition: dict, out: list[Problem]) -> None:
    seen = set()
    for i, box in enumerate(definition.get("opinions", [])):
        at = f"opinions[{i}]"
        if not isinstance(box, dict):
            out.append(Problem(at, "意见栏须为对象。"))
            continue
        level = box.get("level")
        if not _known(level, LEVELS):
            out.append(Problem(f"{at}.level", f"未知的审核层级“{level}”。"))
        elif level in seen:
            out.append(Problem(f"{at}.level", "同一层级只能有一个意见栏。"))
        else:
            seen.add(level)
        if level == "applicant" and box.get("field") and not _known(box["field"], definition["fields"]):
            out.append(Problem(f"{at}.field", f"意见栏引用了不存在的字段“{box['field']}”。"))


def problems(definition: dict) -> list[Problem]:
    out: list[Problem] = []
    if not KEY.match(str(definition.get("key", ""))):
        out.append(Problem("key", "表单标识只能由小写字母、数字和下划线组成，并以字母开头。"))
    if not _positive_int(definition.get("version")):
        out.append(Problem("version", "版本须为正整数。"))
    if not str(definition.get("title") or "").strip():
        out.append(Problem("title", "表单须有名称。"))
    for key, kind, word in (("applicant", str, "文字"), ("sections", list, "列表"), ("opinions", list, "列表")):
        if not isinstance(definition.get(key), kind):
            out.append(Problem(key, f"缺少此项，或不是{word}。"))
    if definition.get("unboxed") not in (None, "appendix"):
        out.append(Problem("unboxed", "只能为 appendix（未设意见栏的层级意见印在附页）。"))
    if "attachment_no" in definition and not isinstance(definition["attachment_no"], str):
        out.append(Problem("attachment_no", "附件编号须为文字，如“附件2”。"))
    materials = definition.get("attachments", [])
    if not isinstance(materials, list) or len(materials) > 30:
        out.append(Problem("attachments", "附件清单须为列表，最多 30 项。"))
    else:
        for i, name in enumerate(materials):
            if not isinstance(name, str) or not name.strip() or len(name) > 100:
                out.append(Problem(f"attachments[{i}]", "每项附件须有名称，不超过 100 字。"))
    if not isinstance(definition.get("computed", {}), dict):
        out.append(Problem("computed", "计算项须为对象。"))
    fields = definition.get("fields")
    if not isinstance(fields, dict) or not fields:
        return out + [Problem("fields", "表单须至少有一个字段。")]
    for name, spec in fields.items():
        _field_problems(name, spec, out)
    if out:
        return out  # the cross-checks below read the fields' and sections' shapes
    _computed_problems(definition, out)
    _layout_problems(definition, out)
    _opinion_problems(definition, out)
    for path, text in resolve.strings(definition):
        unknown = resolve.unknown_placeholders(text)
        if unknown:
            out.append(Problem(path, f"无法识别的占位符 {'、'.join(unknown)}。{resolve.HELP}"))
    return out


def chain_problems(definition: dict, chain: list[str]) -> list[Problem]:
    """Levels of a review chain the form gives no box: each needs one, or the definition's stated
    default (`unboxed`: their opinions are printed on the appended page, 其他审核层级意见)."""
    if definition.get("unboxed") == "appendix":
        return []
    boxed = {b.get("level") for b in definition.get("opinions", []) if isinstance(b, dict)}
    return [
        Problem(
            "opinions",
            f"审核流程中的“{LEVEL_NAMES.get(level, level)}”在表中没有意见栏：请添加该层级的意见栏，"
            "或注明“未设意见栏的层级意见印在附页”。",
        )
        for level in chain
        if level in LEVELS and level not in boxed
    ]


PROPERTIES = {
    "label": "名称",
    "title": "标题",
    "kind": "类型",
    "max_chars": "字数上限",
    "max_rows": "最多行数",
    "min_rows": "最少行数",
    "max_value": "最大值",
    "places": "小数位数",
    "format": "格式",
    "prefill": "预填",
    "choices": "选项",
    "columns": "列",
    "required_if": "条件必填",
    "expr": "计算式",
    "op": "计算方式",
    "level": "层级",
    "field": "字段",
    "signer": "签字行",
    "note": "注",
    "unit": "单位",
}
TOP = {
    "key": "表单标识",
    "version": "版本",
    "title": "表单名称",
    "applicant": "申报类别",
    "unboxed": "未设意见栏的层级",
    "attachment_no": "附件编号",
    "attachments": "附件清单",
    "opinions": "意见栏",
    "sections": "栏目",
    "fields": "字段",
    "computed": "计算项",
}
_PATH = __import__("re").compile(r"^(?P<head>fields|computed)\.(?P<name>[^.\[]+)(?P<rest>.*)$")
_INDEX = __import__("re").compile(r"\[(\d+)\]")


def where(path: str, definition: dict) -> str:
    """A problem's place as an editor names it: 字段“班级数”的字数上限, 第2栏第1项第7行, 第5个意见栏的标题."""
    match = _PATH.match(path)
    if match:
        table = definition.get(match["head"]) if isinstance(definition.get(match["head"]), dict) else {}
        spec = table.get(match["name"]) if isinstance(table.get(match["name"]), dict) else {}
        name = spec.get("title") or spec.get("label") or match["name"]
        text = f"{'字段' if match['head'] == 'fields' else '计算项'}“{name}”"
        rest = match["rest"].lstrip(".")
        prop = rest.split(".")[0].split("[")[0]
        last = rest.rsplit(".", 1)[-1] if "." in rest and "[" in rest else ""
        return (
            text
            + (f"的{PROPERTIES.get(prop, prop)}" if prop else "")
            + "".join(f"第{int(n) + 1}项" for n in _INDEX.findall(rest))
            + (f"的{PROPERTIES.get(last, last)}" if last else "")
        )
    numbers = [int(n) + 1 for n in _INDEX.findall(path)]
    if path.startswith("sections"):
        parts = ["第{}栏", "第{}项", "第{}行", "第{}格"]
        return "".join(p.format(n) for p, n in zip(parts, numbers)) + (
            f"的{PROPERTIES.get(path.rsplit('.', 1)[-1], '')}" if path.endswith(".title") else ""
        )
    if path.startswith("opinions") and numbers:
        prop = path.rsplit(".", 1)[-1] if "." in path else ""
        return f"第{numbers[0]}个意见栏" + (
            f"的{'标题' if prop == 'label' else PROPERTIES.get(prop, prop)}" if prop else ""
        )
    if path.startswith("attachments") and numbers:
        return f"附件清单第{numbers[0]}项"
    return TOP.get(path, path)


def described(found: list[Problem], definition: dict) -> list[dict]:
    """Problems as the editor shows them: the path (to mark the input), the place in words, the message."""
    return [{"path": p.path, "where": where(p.path, definition), "message": p.message} for p in found]
