"""Helpers that write form definitions as plain dicts.

A definition is data, not code: it is stored as JSON beside every application filled with it
(FormSchema), so an old application is always shown and checked with the form it was filled in.
The helpers only save typing; what they return is what gets stored."""
from __future__ import annotations

# Input formats with their own check and message (see fields.FORMATS).
MOBILE, PHONE, EMAIL, POSTCODE, FAX, TEL = "mobile", "phone", "email", "postcode", "fax", "tel"


def _field(kind: str, label: str, *, required: bool = True, note: str = "", **extra) -> dict:
    spec = {"kind": kind, "label": label, "required": required}
    if note:
        spec["note"] = note
    spec.update({k: v for k, v in extra.items() if v is not None and v != ""})
    return spec


def text(label, *, max_chars=None, fmt=None, multiline=False, attach=None, prefill=None,
         required=True, required_if=None, note="", rows=None, title=None) -> dict:
    """A text. `attach` is "continue" (可另附页) or "evidence" (须提供必要支撑材料); `title` names
    the field outside its table (负责人职务) where the paper's caption (职务) is ambiguous."""
    return _field("textarea" if multiline else "text", label, required=required, note=note, title=title,
                  max_chars=max_chars, format=fmt, attach=attach, prefill=prefill,
                  required_if=list(required_if) if required_if else None, rows=rows)


def integer(label, *, unit="", required=True, prefill=None, aux=False, note="", title=None) -> dict:
    """aux=True: asked only to compute another cell (师机比), not printed."""
    return _field("integer", label, required=required, unit=unit, prefill=prefill, aux=aux or None, note=note,
                  title=title)


def decimal(label, *, unit="", places=2, max_value=None, required=True, title=None) -> dict:
    return _field("decimal", label, required=required, unit=unit, places=places, max_value=max_value, title=title)


def percent(label, *, required=True, title=None) -> dict:
    return _field("decimal", label, required=required, unit="%", places=1, max_value=100, title=title)


def yesno(label, *, required=True, title=None) -> dict:
    return _field("yesno", label, required=required, choices=[["yes", "是"], ["no", "否"]], title=title)


def choice(label, choices, *, prefill=None, required=True) -> dict:
    return _field("choice", label, required=required, choices=[list(c) for c in choices], prefill=prefill)


def categories(label, *, note="") -> dict:
    """The call's experiment categories: one or several, as the call says (multiple_categories)."""
    return _field("categories", label, note=note)


def keywords(label, *, note="") -> dict:
    """Keywords of the chosen categories, from the call's lists."""
    return _field("keywords", label, note=note)


def rows(label, *, columns, max_rows, min_rows=1, note="") -> dict:
    """A repeated table (参与单位及责任人). columns: [(key, label, max_chars)] or, for a column with a
    format of its own (电话, 电子邮箱), [(key, label, max_chars, format)]."""
    out = []
    for key, lbl, limit, *fmt in columns:
        column = {"key": key, "label": lbl, "max_chars": limit}
        if fmt:
            column["format"] = fmt[0]
        out.append(column)
    return _field("rows", label, note=note, max_rows=max_rows, min_rows=min_rows, columns=out)


# Layout cells of a paper table.
def L(label: str, *, rowspan: int = 1, colspan: int = 1, head: bool = False) -> dict:
    cell = {"label": label}
    if rowspan > 1:
        cell["rowspan"] = rowspan
    if colspan > 1:
        cell["colspan"] = colspan
    if head:
        cell["head"] = True
    return cell


def F(name: str, *, colspan: int = 1, rowspan: int = 1, caption: bool = False) -> dict:
    """An input cell; caption=True prints the field's label in front of the input (职务：____)."""
    cell = {"field": name}
    if colspan > 1:
        cell["colspan"] = colspan
    if rowspan > 1:
        cell["rowspan"] = rowspan
    if caption:
        cell["caption"] = True
    return cell


def C(name: str, *, colspan: int = 1) -> dict:
    cell = {"computed": name}
    if colspan > 1:
        cell["colspan"] = colspan
    return cell


def table(*rows_: list, widths: list[int] | None = None) -> dict:
    item = {"type": "table", "rows": [list(r) for r in rows_]}
    if widths:
        item["widths"] = widths
    return item


def block(name: str) -> dict:
    """A field shown as a paper box: its label on top, the input below (long texts, yes/no)."""
    return {"type": "block", "field": name}


def section(title: str, *items: dict, appendix: bool = False) -> dict:
    """appendix=True: what the portal asks but the paper form lacks (a Guangxi form's 实验类别 and
    关键词); shown in place on the screen, printed on a separate page after the form."""
    out = {"title": title, "items": list(items)}
    if appendix:
        out["print"] = "appendix"
    return out


def opinion(level: str, label: str, *, signer: str = "", seal: bool = True, note: str = "", field: str = "") -> dict:
    """An opinion box. A reviewing level's is filled by the review chain; the applicant's own box
    (level "applicant") prints `field`, the form's 申报单位意见, above its signature line."""
    box = {"level": level, "label": label, "signer": signer, "seal": seal}
    if note:
        box["note"] = note
    if field:
        box["field"] = field
    return box


def stats_grid(prefix: str, *, rows: list[tuple[str, str]], columns: list[tuple[str, str]],
               corner: str = "类型", total: str = "合计") -> tuple[dict, dict, list[list]]:
    """A statistics table: an integer per row × column, and a computed 合计 row.

    Returns (fields, computed, table rows) to merge into a definition."""
    fields, computed, table_rows = {}, {}, [[L(corner, head=True)] + [L(lbl, head=True) for _, lbl in columns]]
    for rkey, rlabel in rows:
        line = [L(rlabel)]
        for ckey, clabel in columns:
            name = f"{prefix}__{rkey}__{ckey}"
            fields[name] = integer(f"{rlabel}{clabel}", required=True)
            line.append(F(name))
        table_rows.append(line)
    total_line = [L(total)]
    for ckey, clabel in columns:
        name = f"{prefix}__total__{ckey}"
        computed[name] = {"label": f"{total}{clabel}", "op": "sum",
                          "of": [f"{prefix}__{rkey}__{ckey}" for rkey, _ in rows]}
        total_line.append(C(name))
    table_rows.append(total_line)
    return fields, computed, table_rows


def definition(*, key: str, version: int, title: str, applicant: str, fields: dict, computed: dict,
               sections: list[dict], opinions: list[dict], notes: str = "") -> dict:
    return {"key": key, "version": version, "title": title, "applicant": applicant, "fields": fields,
            "computed": computed, "sections": sections, "opinions": opinions, "notes": notes}
