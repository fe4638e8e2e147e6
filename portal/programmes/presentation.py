"""Read-only presentation of submitted versions, shared by the applicant's and the reviewers' pages."""

from __future__ import annotations

from portal.formspec.fields import CallContext
from portal.formspec.layout import layout
from portal.formspec.values import diff_versions, display

# Formats that identify a person's line or mailbox; experts read forms without them.
PRIVATE_FORMATS = frozenset({"mobile", "phone", "email", "fax", "tel"})
REDACTED = "（评审时不显示）"


def version_sections(version, *, redact: bool = False, printing: bool = False):
    definition = version.definition
    content = version.content
    values = content["values"]
    if redact:
        values = redacted(definition, values)
    context = CallContext(categories=content.get("categories", []))
    return layout(definition, values=values, computed=content["computed"], context=context, printing=printing)


def redacted(definition: dict, values: dict) -> dict:
    """Values with phones and e-mails replaced, in single fields and in the columns of a table (管理团队)."""
    out = {}
    for name, value in values.items():
        spec = definition["fields"].get(name, {})
        if spec.get("kind") == "rows" and value:
            private = {c["key"] for c in spec["columns"] if c.get("format") in PRIVATE_FORMATS}
            value = [{k: (REDACTED if k in private and v else v) for k, v in row.items()} for row in value]
        elif spec.get("format") in PRIVATE_FORMATS and value:
            value = REDACTED
        out[name] = value
    return out


def version_changes(old, new) -> list[dict]:
    definition = new.definition
    ctx_old = CallContext(categories=old.content.get("categories", []))
    ctx_new = CallContext(categories=new.content.get("categories", []))
    rows = []
    for change in diff_versions(definition, old.content, new.content):
        rows.append(
            {
                **change,
                "old": display(definition, change["name"], change["old"], ctx_old),
                "new": display(definition, change["name"], change["new"], ctx_new),
            }
        )
    old_files = {a["sha256"]: a["name"] for a in old.content["attachments"]}
    new_files = {a["sha256"]: a["name"] for a in new.content["attachments"]}
    for digest in new_files.keys() - old_files.keys():
        rows.append({"label": "附件", "old": "", "new": f"新增：{new_files[digest]}"})
    for digest in old_files.keys() - new_files.keys():
        rows.append({"label": "附件", "old": f"删除：{old_files[digest]}", "new": ""})
    return rows


def attachment_groups(rows, url=None) -> dict[str, list[dict]]:
    """Files grouped by the form field they support ("" for 其他材料), as the read-only form lists them
    under each field: rows are a version's frozen attachment records ({id, name, size, field}) or live
    Attachment objects. `url(record_id)` gives the download address where the reader needs its own
    (experts); otherwise the applicant's download URL is used. One grouping for every reader's page, so
    no page says 尚未上传 where another lists the file."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if isinstance(row, dict):
            item = {"pk": row["id"], "original_name": row["name"], "size": row["size"], "field": row["field"]}
        else:
            item = {"pk": row.pk, "original_name": row.original_name, "size": row.size, "field": row.field}
        if url is not None:
            item["url"] = url(item["pk"])
        groups.setdefault(item["field"], []).append(item)
    return groups
