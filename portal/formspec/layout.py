"""The paper layout of a definition, resolved for a template: editable (with a bound form) or
read-only (with values). The same tree will drive the PDF, so the screen and the print agree."""

from __future__ import annotations

from portal.formspec import expr
from portal.formspec.fields import CallContext, row_names
from portal.formspec.values import display

NUMERIC = frozenset({"integer", "decimal"})
UNBROKEN_FORMATS = frozenset({"mobile", "phone", "fax", "postcode"})


def printed_value(definition: dict, name: str, value, context, *, unit_in_label: bool = False) -> str:
    """A value as the paper form shows it: 是 ☑ 否 □ for yes/no; an amount without its unit where the
    row's label already names it (近3年教育信息化投入经费（万元）), so 万元 is not printed twice."""
    spec = definition["fields"][name]
    if spec["kind"] == "yesno":
        return "　".join(f"{label} {'☑' if value == key else '□'}" for key, label in spec["choices"])
    if unit_in_label and value not in (None, ""):
        return str(value)
    return display(definition, name, value, context)


def _cell(
    cell: dict,
    definition: dict,
    form,
    values: dict,
    computed: dict,
    context,
    printing: bool = False,
    units_named: frozenset = frozenset(),
) -> dict:
    if "label" in cell:
        return {
            "kind": "label",
            "text": cell["label"],
            "rowspan": cell.get("rowspan", 1),
            "colspan": cell.get("colspan", 1),
            "head": cell.get("head", False),
        }
    if "field" in cell:
        name = cell["field"]
        spec = definition["fields"][name]
        value = (
            printed_value(definition, name, values.get(name), context, unit_in_label=spec.get("unit") in units_named)
            if printing
            else display(definition, name, values.get(name), context)
        )
        return {
            "kind": "input",
            "name": name,
            "spec": spec,
            "bf": form[name] if form is not None else None,
            "value": value,
            "caption": cell.get("caption", False),
            "numeric": spec["kind"] in NUMERIC,
            # Phone numbers and postcodes read as one token: never broken across lines.
            "nowrap": spec.get("format") in UNBROKEN_FORMATS,
            "rowspan": cell.get("rowspan", 1),
            "colspan": cell.get("colspan", 1),
        }
    name = cell["computed"]
    spec = definition["computed"][name]
    return {
        "kind": "computed",
        "name": name,
        "spec": spec,
        "value": computed.get(name),
        "colspan": cell.get("colspan", 1),
        "rowspan": 1,
        "sources": " ".join(spec.get("of", [])) if spec["op"] == "sum" else "",
        "num": spec.get("num", ""),
        "den": spec.get("den", ""),
        "postfix": expr.postfix(expr.parse(spec["expr"])) if spec["op"] == "expr" else "",
        "places": spec.get("places", 2),
    }


def _rows_item(name: str, spec: dict, form, values: dict) -> dict:
    stored = values.get(name) or []
    lines = []
    for i, row in enumerate(row_names(name, spec)):
        if form is not None:
            lines.append({"number": i + 1, "cells": [form[n] for n in row]})
        elif i < len(stored):
            lines.append({"number": i + 1, "cells": [stored[i].get(col["key"], "") for col in spec["columns"]]})
    return {"kind": "rows", "name": name, "spec": spec, "lines": lines}


def _keyword_groups(bf, context: CallContext | None) -> list[dict]:
    """Keyword checkboxes under the category they belong to (each keyword under its first one)."""
    widgets = {sw.data["value"]: sw for sw in bf.subwidgets}
    groups, placed = [], set()
    for category in context.categories if context else []:
        own = [widgets[kw] for kw in category["keywords"] if kw in widgets and kw not in placed]
        placed.update(category["keywords"])
        groups.append({"number": str(category["number"]), "name": category["name"], "widgets": own})
    return groups


def _printed(row: list[dict], definition: dict) -> bool:
    """A table row is printed unless every field in it is an aid to computing (aux, "不打印")."""
    fields = [c["field"] for c in row if "field" in c]
    return not fields or not all(definition["fields"][f].get("aux") for f in fields)


def _units_named(rows: list[list[dict]]) -> frozenset:
    """Units a table's labels already name, as in （万元）."""
    labels = [c["label"] for row in rows for c in row if "label" in c]
    return frozenset(unit for unit in ("万元", "%", "间", "台", "个", "人") if any(f"（{unit}）" in t for t in labels))


def keep_groups(rows: list[list[dict]]) -> list[list[int]]:
    """Indexes of rows that must stay on one page: a row joins the one above while a rowspan from above
    still covers it, or when it opens with an empty label (the second line of 负责人 or 联系人)."""
    groups: list[list[int]] = []
    reach = 0  # the last row index a rowspan seen so far covers
    for i, row in enumerate(rows):
        continuation = bool(row) and "label" in row[0] and not row[0]["label"].strip()
        if groups and (i <= reach or continuation):
            groups[-1].append(i)
        else:
            groups.append([i])
        reach = max([reach] + [i + c.get("rowspan", 1) - 1 for c in row])
    return groups


def applicant_box_fields(definition: dict) -> set[str]:
    """The field the applicant's own box prints (申报单位意见): named by the box, or, in definitions
    older than that, the field labelled as the box is. Printed in the signed box, not as a block."""
    own = {b["field"] for b in definition.get("opinions", []) if b["level"] == "applicant" and b.get("field")}
    own |= {
        name
        for name, spec in definition["fields"].items()
        if any(
            b["level"] == "applicant" and b.get("label") and b["label"] == spec["label"]
            for b in definition.get("opinions", [])
        )
    }
    return own


def layout(
    definition: dict,
    *,
    form=None,
    values: dict | None = None,
    computed: dict | None = None,
    context: CallContext | None = None,
    printing: bool = False,
) -> list[dict]:
    values, computed = values or {}, computed or {}
    sections = []
    in_own_box = applicant_box_fields(definition) if printing else set()
    for section in definition["sections"]:
        items = []
        for item in section["items"]:
            if item["type"] == "table":
                rows = [r for r in item["rows"] if not printing or _printed(r, definition)]
                named = _units_named(rows) if printing else frozenset()
                cells = [
                    [_cell(c, definition, form, values, computed, context, printing, named) for c in row]
                    for row in rows
                ]
                items.append(
                    {
                        "kind": "table",
                        "widths": item.get("widths"),
                        "rows": cells,
                        "groups": [[cells[i] for i in group] for group in keep_groups(rows)],
                    }
                )
            elif item["type"] == "block":
                name = item["field"]
                spec = definition["fields"][name]
                if name in in_own_box:
                    continue
                if spec["kind"] == "rows":
                    items.append(_rows_item(name, spec, form, values))
                else:
                    value = (
                        printed_value(definition, name, values.get(name), context)
                        if printing
                        else display(definition, name, values.get(name), context)
                    )
                    items.append(
                        {
                            "kind": "block",
                            "name": name,
                            "spec": spec,
                            "bf": form[name] if form is not None else None,
                            "groups": _keyword_groups(form[name], context)
                            if (form is not None and spec["kind"] == "keywords")
                            else None,
                            "value": value,
                        }
                    )
        if items or not printing:
            sections.append({"title": section["title"], "items": items, "appendix": section.get("print") == "appendix"})
    return sections
