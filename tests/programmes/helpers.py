"""Filling a definition completely, as a person would through the web form, and the typed
values the snapshot must then hold."""
from decimal import Decimal

from portal.formspec.fields import row_names
from portal.formspec.registry import latest

FORMAT_VALUES = {"mobile": "13812345678", "phone": "0771-5815221", "fax": "0771-5815222",
                 "email": "xxh@jyt.gxzf.gov.cn", "postcode": "530021"}


def complete_post(definition: dict, *, multiple: bool) -> dict:
    """Every input with a distinct valid value: {name: str | list}."""
    post = {}
    for index, (name, spec) in enumerate(definition["fields"].items()):
        kind = spec["kind"]
        if kind == "rows":
            for i, row in enumerate(row_names(name, spec)[:2]):
                for n, col in zip(row, spec["columns"]):
                    post[n] = f"{col['label'][:4]}{i + 1}"
        elif kind in {"text", "textarea"}:
            if spec.get("format"):
                post[name] = FORMAT_VALUES[spec["format"]]
            else:
                text = f"{spec.get('title') or spec['label']}：内容{index}"
                post[name] = text[: spec["max_chars"]] if spec.get("max_chars") else text
        elif kind == "integer":
            post[name] = str(100 + index)
        elif kind == "decimal":
            post[name] = "95.5" if spec.get("unit") == "%" else f"{10 + index}.25"
        elif kind == "yesno":
            post[name] = "yes"
        elif kind == "choice":
            post[name] = spec["choices"][0][0]
        elif kind == "categories":
            post[name] = ["1", "2"] if multiple else "1"
        elif kind == "keywords":
            post[name] = ["翻转课堂"] if multiple else ["智慧课堂", "翻转课堂"]
    return post


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
