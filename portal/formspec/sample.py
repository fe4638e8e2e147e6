"""Complete sample input for a form definition: the demo's applications and the tests fill forms with it."""

from portal.formspec.fields import row_names

FORMAT_VALUES = {
    "mobile": "13812345678",
    "phone": "0771-5815221",
    "fax": "0771-5815222",
    "email": "xxh@jyt.gxzf.gov.cn",
    "postcode": "530021",
}


def sample_post(definition: dict, *, multiple: bool, overrides: dict | None = None) -> dict:
    """Every input of a definition with a distinct valid value, as a browser would post it
    ({name: str | list}); `overrides` replaces some with realistic text."""
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
        elif kind in CHOSEN_KINDS:
            post[name] = chosen(spec, multiple=multiple)
    post.update(overrides or {})
    return post


CHOSEN_KINDS = frozenset({"yesno", "choice", "categories", "keywords"})


def chosen(spec: dict, *, multiple: bool):
    """The answer to a choice: 是, the first choice, category 1 (and 2 where several may be chosen), and
    keywords of those categories."""
    kind = spec["kind"]
    if kind == "yesno":
        return "yes"
    if kind == "choice":
        return spec["choices"][0][0]
    if kind == "categories":
        return ["1", "2"] if multiple else "1"
    return ["翻转课堂"] if multiple else ["智慧课堂", "翻转课堂"]
