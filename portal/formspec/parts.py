"""Pieces the official forms share: the header, people, yes/no questions. Each returns
(fields, table rows) so a definition can lay them out as its paper form does."""
from __future__ import annotations

from portal.formspec.build import EMAIL, FAX, MOBILE, PHONE, POSTCODE, F, L, text


def header(name_label: str) -> tuple[dict, list[list]]:
    fields = {
        "org_name": text(name_label, max_chars=60, prefill="org_name", title=name_label.replace("（盖章）", "")),
        "address": text("通讯地址", max_chars=100, prefill="org_address"),
        "postcode": text("邮编", fmt=POSTCODE, prefill="org_postcode"),
    }
    rows = [[L(name_label), F("org_name", colspan=3)],
            [L("通讯地址"), F("address"), L("邮编"), F("postcode")]]
    return fields, rows


def head_person() -> tuple[dict, list[list]]:
    """负责人 with 职务/固话/电子邮件 on the first line, 手机/传真 on the second, as on paper."""
    fields = {
        "head_name": text("负责人", max_chars=20, title="负责人姓名"),
        "head_title": text("职务", max_chars=30, title="负责人职务"),
        "head_phone": text("固话", fmt=PHONE, title="负责人固话"),
        "head_email": text("电子邮件", fmt=EMAIL, title="负责人电子邮件"),
        "head_mobile": text("手机", fmt=MOBILE, title="负责人手机"),
        "head_fax": text("传真", fmt=FAX, required=False, title="负责人传真"),
    }
    rows = [[F("head_name", caption=True), F("head_title", caption=True), F("head_phone", caption=True),
             F("head_email", caption=True)],
            [L("", colspan=2), F("head_mobile", caption=True), F("head_fax", caption=True)]]
    return fields, rows


def contact_person(prefix: str, caption: str, *, required: bool = True) -> tuple[dict, list[list]]:
    """联系人: 所在部门/固话/电子邮件 on the first line, 职务/手机/传真 on the second."""
    who = caption.replace(" ", "")
    fields = {
        f"{prefix}_name": text(caption, max_chars=20, required=required, title=f"{who}姓名"),
        f"{prefix}_dept": text("所在部门", max_chars=40, required=required, title=f"{who}所在部门"),
        f"{prefix}_title": text("职务", max_chars=30, required=required, title=f"{who}职务"),
        f"{prefix}_phone": text("固话", fmt=PHONE, required=required, title=f"{who}固话"),
        f"{prefix}_email": text("电子邮件", fmt=EMAIL, required=required, title=f"{who}电子邮件"),
        f"{prefix}_mobile": text("手机", fmt=MOBILE, required=required, title=f"{who}手机"),
        f"{prefix}_fax": text("传真", fmt=FAX, required=False, title=f"{who}传真"),
    }
    rows = [[F(f"{prefix}_name", caption=True), F(f"{prefix}_dept", caption=True), F(f"{prefix}_phone", caption=True),
             F(f"{prefix}_email", caption=True)],
            [L(""), F(f"{prefix}_title", caption=True), F(f"{prefix}_mobile", caption=True),
             F(f"{prefix}_fax", caption=True)]]
    return fields, rows


def merge(*dicts: dict) -> dict:
    out: dict = {}
    for d in dicts:
        overlap = set(out) & set(d)
        if overlap:
            raise ValueError(f"field names used twice: {sorted(overlap)}")
        out.update(d)
    return out
