"""The forms the code knows, by key and version, and their stored copies (FormSchema)."""
from __future__ import annotations

import hashlib
import json

from portal.formspec.models import FormSchema

_DEFINITIONS: dict[tuple[str, int], dict] = {}


class DefinitionChanged(Exception):
    """A definition changed without a new version number: old applications would change meaning."""


def canonical_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def fingerprint(definition: dict) -> str:
    return hashlib.sha256(canonical_json(definition)).hexdigest()


def register(definition: dict) -> dict:
    _DEFINITIONS[(definition["key"], definition["version"])] = definition
    return definition


def definitions() -> list[dict]:
    return [d for _, d in sorted(_DEFINITIONS.items())]


def latest(key: str) -> dict:
    versions = [v for (k, v) in _DEFINITIONS if k == key]
    if not versions:
        raise KeyError(f"unknown form {key!r}")
    return _DEFINITIONS[(key, max(versions))]


def choices() -> list[tuple[str, str]]:
    """(key, title) of each application form's newest version, for a call's configuration; a project's
    own documents (use "project": a school's 发展规划) are not application forms."""
    keys = sorted({k for (k, _), d in _DEFINITIONS.items() if d.get("use") != "project"})
    return [(k, latest(k)["title"] + f"（{k}）") for k in keys]


def schema_for(key: str, version: int | None = None) -> FormSchema:
    """The stored row of a definition, written on first use; refuses a changed definition."""
    definition = latest(key) if version is None else _DEFINITIONS[(key, version)]
    digest = fingerprint(definition)
    schema, created = FormSchema.objects.get_or_create(
        key=definition["key"], version=definition["version"],
        defaults={"title": definition["title"], "sha256": digest,
                  "source": json.dumps(definition, ensure_ascii=False)})
    if not created and schema.sha256 != digest:
        raise DefinitionChanged(
            f"{key} v{definition['version']} differs from the stored copy; give the changed form a new version")
    return schema
