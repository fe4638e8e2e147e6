"""Raw draft values ↔ typed values, computed cells (合计, ratios), and differences between versions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.formspec import expr
from portal.formspec.fields import MULTI_KINDS, input_names, row_names


def raw_from_post(definition: dict, post) -> dict:
    """The values a browser posted, as stored in a draft: strings, lists for multi-choices."""
    multi = {n for n, s in definition["fields"].items() if s["kind"] in MULTI_KINDS}
    raw = {}
    for name in input_names(definition):
        if name in multi:
            raw[name] = [v for v in post.getlist(name) if v] if hasattr(post, "getlist") else list(post.get(name) or [])
        elif name in post:
            value = post.get(name)
            raw[name] = "" if value is None else str(value)
    return raw


def clean_raw(definition: dict, raw: dict) -> dict:
    """Keep only names this definition knows, with the right shape (an API client may send anything)."""
    multi = {n for n, s in definition["fields"].items() if s["kind"] in MULTI_KINDS}
    out = {}
    for name in input_names(definition):
        if name not in raw:
            continue
        value = raw[name]
        if name in multi:
            value = [str(v) for v in (value if isinstance(value, list) else [value]) if v not in (None, "")]
        else:
            value = "" if value is None else str(value)
        out[name] = value
    return out


def typed_values(definition: dict, cleaned: dict) -> dict:
    """JSON-safe typed values of a valid form: ints, decimals as strings, rows as lists of dicts."""
    values = {}
    for name, spec in definition["fields"].items():
        if spec["kind"] == "rows":
            table = []
            for row in row_names(name, spec):
                cells = {col["key"]: (cleaned.get(n) or "").strip() for n, col in zip(row, spec["columns"])}
                if any(cells.values()):
                    table.append(cells)
            values[name] = table
            continue
        value = cleaned.get(name)
        if isinstance(value, Decimal):
            value = format(value.quantize(Decimal(1).scaleb(-spec.get("places", 2))), "f")
        elif spec["kind"] == "categories" and isinstance(value, str):
            value = [value] if value else []
        elif value == "":
            value = None
        values[name] = value
    return values


def _number(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def plain_number(value: Decimal) -> str:
    """20.00 → "20", 2.50 → "2.5": never the exponent str(Decimal.normalize()) gives ("2E+1")."""
    return f"{value.normalize():f}"


def _shown(value: Decimal | None, spec: dict):
    """An expression's value as stored: rounded to the cell's places (2 unless set), an int when whole."""
    if value is None:
        return None
    value = value.quantize(Decimal(1).scaleb(-spec.get("places", 2)), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral() else plain_number(value)


def compute(definition: dict, values: dict) -> dict:
    """The computed cells. Sums skip empty cells; a ratio needs both sides and a non-zero divisor."""
    out: dict = {}

    def lookup(name):
        return out[name] if name in out else values.get(name)

    for name, spec in definition.get("computed", {}).items():
        if spec["op"] == "sum":
            numbers = [_number(lookup(n)) for n in spec["of"]]
            present = [n for n in numbers if n is not None]
            out[name] = (
                int(sum(present))
                if present and all(n == n.to_integral() for n in present)
                else (str(sum(present)) if present else None)
            )
        elif spec["op"] == "ratio":
            num, den = _number(lookup(spec["num"])), _number(lookup(spec["den"]))
            if num is None or not den:
                out[name] = None
            else:
                ratio = (num / den).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                out[name] = f"{ratio.normalize():f}:1"
        elif spec["op"] == "expr":
            value = expr.evaluate(expr.parse(spec["expr"]), lambda n: _number(lookup(n)))
            out[name] = _shown(value, spec)
        else:
            raise ValueError(f"unknown computation {spec['op']!r}")
    return out


def labelled_items(definition: dict) -> list[tuple[str, str]]:
    """(name, label) of every field and computed cell, in the form's order — for diffs and exports."""
    items = [(name, spec.get("title") or spec["label"]) for name, spec in definition["fields"].items()]
    items += [(name, spec["label"]) for name, spec in definition.get("computed", {}).items()]
    return items


def display(definition: dict, name: str, value, context=None) -> str:
    """A stored value as a reader sees it."""
    spec = definition["fields"].get(name)
    if value in (None, "", []):
        return ""
    if spec is None:
        return str(value)
    kind = spec["kind"]
    if kind in {"yesno", "choice"}:
        return dict(spec["choices"]).get(value, str(value))
    if kind == "categories":
        names = {str(c["number"]): c["name"] for c in (context.categories if context else [])}
        return "；".join(names.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
    if kind == "keywords":
        return "、".join(value)
    if kind == "rows":
        return "；".join("，".join(row.get(col["key"], "") for col in spec["columns"]) for row in value)
    if spec.get("unit") and kind in {"integer", "decimal"}:
        return f"{value}{spec['unit'] if spec['unit'] == '%' else ' ' + spec['unit']}"
    return str(value)


def diff_versions(definition: dict, old: dict, new: dict) -> list[dict]:
    """Fields whose value changed between two snapshots: [{name, label, old, new}]."""
    changes = []
    old_all = {**old.get("values", {}), **old.get("computed", {})}
    new_all = {**new.get("values", {}), **new.get("computed", {})}
    for name, label in labelled_items(definition):
        if old_all.get(name) != new_all.get(name):
            changes.append({"name": name, "label": label, "old": old_all.get(name), "new": new_all.get(name)})
    return changes
