"""Reads of the forms' definitions: every published version — those the files hold (the registry) and
those stored beside applications filled with them (FormSchema rows of versions since retired from the
files) — and the differences between two versions of one form."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import Http404

from portal.formspec.registry import _DEFINITIONS, fingerprint
from portal.formspec.values import labelled_items

USES = {"project": "项目文书"}
APPLICANTS = {"school": "实验校", "zone": "实验区"}


@dataclass(frozen=True)
class Version:
    key: str
    version: int
    definition: dict
    sha256: str
    in_files: bool  # still one of fixtures/forms/ (else kept only with its applications)
    owner: str = ""  # the province (or ministry) that published it on the pages

    @property
    def title(self) -> str:
        return self.definition["title"]

    @property
    def use_label(self) -> str:
        return USES.get(self.definition.get("use", ""), "申请表")

    @property
    def applicant_label(self) -> str:
        return APPLICANTS.get(self.definition.get("applicant", ""), self.definition.get("applicant", ""))

    @property
    def field_count(self) -> int:
        return len(self.definition["fields"])


def versions(user) -> list[Version]:
    """Every version the user reads: the portal's files (and their retired versions) and those published
    within the user's reach (registry.reach)."""
    from django.db.models import Q

    from portal.formspec.models import FormSchema
    from portal.formspec.registry import reach

    found = {(k, v): Version(k, v, d, fingerprint(d), True) for (k, v), d in _DEFINITIONS.items()}
    rows = FormSchema.objects.filter(Q(owner__isnull=True) | reach(user))
    for schema in rows.select_related("owner").order_by("key", "version"):
        if (schema.key, schema.version) not in found:
            found[(schema.key, schema.version)] = Version(
                schema.key,
                schema.version,
                json.loads(schema.source),
                schema.sha256,
                False,
                schema.owner.name if schema.owner_id else "",
            )
    return [found[k] for k in sorted(found)]


def get_version(user, key: str, number: int) -> Version:
    for item in versions(user):
        if item.key == key and item.version == number:
            return item
    raise Http404("该表单版本不存在。")


def _field_text(spec: dict) -> str:
    parts = [spec.get("title") or spec.get("label", ""), spec.get("kind", "")]
    for name, label in (("max_chars", "字数上限"), ("unit", "单位"), ("format", "格式"), ("max_rows", "最多行数")):
        if spec.get(name):
            parts.append(f"{label} {spec[name]}")
    parts.append("必填" if spec.get("required", True) else "选填")
    if spec.get("choices"):
        parts.append("选项 " + "、".join(str(c[1]) for c in spec["choices"]))
    if spec.get("columns"):
        parts.append("列 " + "、".join(c["label"] for c in spec["columns"]))
    return " · ".join(p for p in parts if p)


def definition_changes(old: dict, new: dict) -> list[dict]:
    """What changed between two versions, as a reader checks it: the title, each field and computed cell
    added, removed or changed (with its label, kind, limits, choices), and each opinion box."""
    rows = []
    if old["title"] != new["title"]:
        rows.append({"what": "表单名称", "old": old["title"], "new": new["title"]})
    old_fields, new_fields = old["fields"], new["fields"]
    labels = dict(labelled_items(new)) | {k: v for k, v in labelled_items(old) if k not in new_fields}
    for name in list(old_fields) + [n for n in new_fields if n not in old_fields]:
        before = _field_text(old_fields[name]) if name in old_fields else ""
        after = _field_text(new_fields[name]) if name in new_fields else ""
        if before != after:
            rows.append({"what": f"字段 {labels.get(name, name)}（{name}）", "old": before, "new": after})
    for name in sorted(set(old.get("computed", {})) | set(new.get("computed", {}))):
        a, b = old.get("computed", {}).get(name), new.get("computed", {}).get(name)
        if a != b:
            rows.append(
                {
                    "what": f"计算项 {(b or a)['label']}（{name}）",
                    "old": json.dumps(a, ensure_ascii=False) if a else "",
                    "new": json.dumps(b, ensure_ascii=False) if b else "",
                }
            )
    boxes = lambda d: {
        b["level"]: f"{b.get('label', '')}{'（盖章）' if b.get('seal') else ''}"  # noqa: E731
        for b in d.get("opinions", [])
    }
    for level in list(boxes(old)) + [lv for lv in boxes(new) if lv not in boxes(old)]:
        a, b = boxes(old).get(level, ""), boxes(new).get(level, "")
        if a != b:
            rows.append({"what": f"意见栏（{level}）", "old": a, "new": b})
    if old.get("attachment_no", "") != new.get("attachment_no", ""):
        rows.append({"what": "附件编号", "old": old.get("attachment_no", ""), "new": new.get("attachment_no", "")})
    if old.get("attachments", []) != new.get("attachments", []):
        rows.append(
            {
                "what": "附件清单",
                "old": "、".join(old.get("attachments", [])),
                "new": "、".join(new.get("attachments", [])),
            }
        )
    if old.get("unboxed") != new.get("unboxed"):
        rows.append(
            {
                "what": "未设意见栏的层级",
                "old": "印在附页" if old.get("unboxed") else "",
                "new": "印在附页" if new.get("unboxed") else "",
            }
        )
    if old["sections"] != new["sections"] and not rows:
        rows.append({"what": "版式", "old": "（表格布局不同）", "new": "（表格布局不同）"})
    return rows
