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


def in_files(key: str) -> bool:
    return any(k == key for k, _ in _DEFINITIONS)


def reach(user):
    """The published definitions a user reads and whose calls may use them: those of the user's own
    branch (a province's for its cities and schools) and those of the levels above it (the ministry's for
    every province). Another province's forms are shared as files (export, import), not read across."""
    from django.db.models import Q

    from portal.orgs.selectors import scope_paths

    org = getattr(user, "organisation", None)
    if org is None:
        return Q(pk__in=[])
    found = Q(owner__path__in=["/".join(org.path.split("/")[:i]) + "/" for i in range(2, org.path.count("/") + 1)])
    for prefix in scope_paths(user):
        found |= Q(owner__path__under=prefix)
    return found


def published_in_scope(user):
    """Definitions provinces published on the pages, newest version of each key, that the user's calls
    may use (reach)."""
    rows = (
        FormSchema.objects.filter(owner__isnull=False)
        .filter(reach(user))
        .select_related("owner")
        .order_by("key", "-version")
    )
    newest: dict[str, FormSchema] = {}
    for row in rows:
        newest.setdefault(row.key, row)
    return list(newest.values())


def schema_for(key: str, version: int | None = None) -> FormSchema:
    """The stored row of a definition: one of the files (written on first use; a changed file under a
    stored version is refused), or one a province published on the pages."""
    if not in_files(key):
        rows = FormSchema.objects.filter(key=key, owner__isnull=False).order_by("-version")
        row = rows.first() if version is None else rows.filter(version=version).first()
        if row is None:
            raise KeyError(f"unknown form {key!r}")
        return row
    definition = latest(key) if version is None else _DEFINITIONS[(key, version)]
    digest = fingerprint(definition)
    schema, created = FormSchema.objects.get_or_create(
        key=definition["key"],
        version=definition["version"],
        defaults={"title": definition["title"], "sha256": digest, "source": json.dumps(definition, ensure_ascii=False)},
    )
    if not created and schema.sha256 != digest:
        raise DefinitionChanged(
            f"{key} v{definition['version']} differs from the stored copy; give the changed form a new version"
        )
    return schema
