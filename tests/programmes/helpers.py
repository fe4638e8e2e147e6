"""Filling a definition completely, as a person would through the web form, and the typed
values the snapshot must then hold."""
from decimal import Decimal

from portal.formspec.fields import row_names
from portal.formspec.sample import sample_post as complete_post  # noqa: F401  (the tests fill forms as the demo does)
from portal.formspec.registry import latest

def expected_values(definition: dict, post: dict) -> dict:
    out = {}
    for name, spec in definition["fields"].items():
        kind = spec["kind"]
        if kind == "rows":
            out[name] = [{col["key"]: post[n] for n, col in zip(row, spec["columns"])}
                         for row in row_names(name, spec)[:2]]
        elif kind == "integer":
            out[name] = int(post[name])
        elif kind == "decimal":
            places = spec.get("places", 2)
            out[name] = format(Decimal(post[name]).quantize(Decimal(1).scaleb(-places)), "f")
        elif kind == "categories":
            out[name] = post[name] if isinstance(post[name], list) else [post[name]]
        else:
            out[name] = post[name]
    return out


def definition_of(key: str) -> dict:
    return latest(key)
