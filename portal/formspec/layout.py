"""The paper layout of a definition, resolved for a template: editable (with a bound form) or
read-only (with values). The same tree will drive the PDF, so the screen and the print agree."""
from __future__ import annotations

from portal.formspec.fields import CallContext, row_names
from portal.formspec.values import display


def _cell(cell: dict, definition: dict, form, values: dict, computed: dict, context) -> dict:
    if "label" in cell:
        return {"kind": "label", "text": cell["label"], "rowspan": cell.get("rowspan", 1),
                "colspan": cell.get("colspan", 1), "head": cell.get("head", False)}
    if "field" in cell:
        name = cell["field"]
        spec = definition["fields"][name]
        return {"kind": "input", "name": name, "spec": spec, "bf": form[name] if form is not None else None,
                "value": display(definition, name, values.get(name), context), "caption": cell.get("caption", False),
                "rowspan": cell.get("rowspan", 1), "colspan": cell.get("colspan", 1)}
    name = cell["computed"]
    spec = definition["computed"][name]
    return {"kind": "computed", "name": name, "spec": spec, "value": computed.get(name),
            "colspan": cell.get("colspan", 1), "rowspan": 1,
            "sources": " ".join(spec.get("of", [])) if spec["op"] == "sum" else "",
            "num": spec.get("num", ""), "den": spec.get("den", "")}


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
    for category in (context.categories if context else []):
        own = [widgets[kw] for kw in category["keywords"] if kw in widgets and kw not in placed]
        placed.update(category["keywords"])
        groups.append({"number": str(category["number"]), "name": category["name"], "widgets": own})
    return groups


def _printed(row: list[dict], definition: dict) -> bool:
    """A table row is printed unless every field in it is an aid to computing (aux, "不打印")."""
    fields = [c["field"] for c in row if "field" in c]
    return not fields or not all(definition["fields"][f].get("aux") for f in fields)


def layout(definition: dict, *, form=None, values: dict | None = None, computed: dict | None = None,
           context: CallContext | None = None, printing: bool = False) -> list[dict]:
    values, computed = values or {}, computed or {}
    sections = []
    for section in definition["sections"]:
        items = []
        for item in section["items"]:
            if item["type"] == "table":
                rows = [r for r in item["rows"] if not printing or _printed(r, definition)]
                items.append({"kind": "table", "widths": item.get("widths"), "rows": [
                    [_cell(c, definition, form, values, computed, context) for c in row] for row in rows]})
            elif item["type"] == "block":
                name = item["field"]
                spec = definition["fields"][name]
                if spec["kind"] == "rows":
                    items.append(_rows_item(name, spec, form, values))
                else:
                    items.append({"kind": "block", "name": name, "spec": spec,
                                  "bf": form[name] if form is not None else None,
                                  "groups": _keyword_groups(form[name], context) if (
                                      form is not None and spec["kind"] == "keywords") else None,
                                  "value": display(definition, name, values.get(name), context)})
        sections.append({"title": section["title"], "items": items})
    return sections
