"""The forms' definitions as documents: one JSON file per definition and version in `fixtures/forms/`
(`<key>.v<version>.json`), read at start-up into the registry. The files are the only source: no
definition is kept in code. A file that cannot be read as a definition stops the start with the file
and the reason named, rather than serving forms that differ from what a province published."""

from __future__ import annotations

import re
from pathlib import Path

from portal.core import fixtures
from portal.core.boundary import BadJSON, load_json
from portal.formspec.validate import problems

NAME = re.compile(r"^(?P<key>[a-z][a-z0-9_]{1,39})\.v(?P<version>[1-9][0-9]{0,3})\.json$")
REQUIRED = ("key", "version", "title", "applicant", "fields", "sections", "opinions")


class DefinitionFileError(ValueError):
    """A definition file that is not one (named in the message)."""


def directory() -> Path:
    return fixtures.root() / "forms"


def read(path: Path) -> dict:
    match = NAME.match(path.name)
    if not match:
        raise DefinitionFileError(f"{path.name}：文件名须为 <表单标识>.v<版本>.json，如 guangxi_school.v2.json。")
    definition = parse(path.read_bytes(), path.name)
    if not isinstance(definition, dict):
        raise DefinitionFileError(f"{path.name}：内容须为 JSON 对象。")
    missing = [k for k in REQUIRED if k not in definition]
    if missing:
        raise DefinitionFileError(f"{path.name}：缺少 {'、'.join(missing)}。")
    if definition["key"] != match["key"] or definition["version"] != int(match["version"]):
        raise DefinitionFileError(
            f"{path.name}：文件名与其中的 key/version（{definition['key']} v{definition['version']}）不一致。"
        )
    definition.setdefault("computed", {})
    found = problems(definition)
    if found:
        raise DefinitionFileError(f"{path.name}：" + "；".join(map(str, found)))
    return definition


def parse(data: bytes, name: str) -> dict:
    """A definition file's JSON object, keys unique; DefinitionFileError naming the file otherwise."""
    try:
        definition = load_json(data, what="文件内容", kind="UTF-8 JSON", object_pairs_hook=_unique)
    except BadJSON as refusal:
        raise DefinitionFileError(f"{name}：{refusal}")
    except _Repeated as repeated:
        raise DefinitionFileError(f"{name}：标识“{repeated.args[0]}”在同一对象中出现了两次。")
    return definition


class _Repeated(ValueError):
    pass


def _unique(pairs):
    """A JSON object whose keys are unique: json.loads would keep the last of two fields of one name."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Repeated(key)
        out[key] = value
    return out


def load_all() -> list[dict]:
    """Every definition file, in name order, registered."""
    from portal.formspec.registry import register

    return [register(read(path)) for path in sorted(directory().glob("*.json"))]
