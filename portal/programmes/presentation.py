"""Read-only presentation of submitted versions, shared by the applicant's and the reviewers' pages."""
from __future__ import annotations

from portal.formspec.fields import CallContext
from portal.formspec.layout import layout
from portal.formspec.values import diff_versions, display


def version_sections(version):
    definition = version.schema.definition
    content = version.content
    context = CallContext(categories=content.get("categories", []))
    return layout(definition, values=content["values"], computed=content["computed"], context=context)


def version_changes(old, new) -> list[dict]:
    definition = new.schema.definition
    ctx_old = CallContext(categories=old.content.get("categories", []))
    ctx_new = CallContext(categories=new.content.get("categories", []))
    rows = []
    for change in diff_versions(definition, old.content, new.content):
        rows.append({**change, "old": display(definition, change["name"], change["old"], ctx_old),
                     "new": display(definition, change["name"], change["new"], ctx_new)})
    old_files = {a["sha256"]: a["name"] for a in old.content["attachments"]}
    new_files = {a["sha256"]: a["name"] for a in new.content["attachments"]}
    for digest in new_files.keys() - old_files.keys():
        rows.append({"label": "附件", "old": "", "new": f"新增：{new_files[digest]}"})
    for digest in old_files.keys() - new_files.keys():
        rows.append({"label": "附件", "old": f"删除：{old_files[digest]}", "new": ""})
    return rows
