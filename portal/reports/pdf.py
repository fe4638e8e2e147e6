"""The official forms as PDF (WeasyPrint): A4, the paper's tables from the form's definition, each
level's opinion box with signer, Chinese date and — once that level recommended or approved — its
red seal over the date, a list of attachments, page numbers, and a verification code with QR code."""

from __future__ import annotations

import base64
import hashlib
import secrets

import segno
from django.conf import settings
from django.template.loader import select_template
from django.urls import reverse

from portal.core.addresses import portal_base_url
from portal.programmes.presentation import version_sections
from portal.reports.models import IssuedDocument
from portal.review import selectors as review_selectors

DIGITS = "〇一二三四五六七八九"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def chinese_date(day) -> str:
    """2023-09-15 → 二〇二三年九月十五日, as official documents date themselves."""

    def number(n: int) -> str:
        if n < 10:
            return DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")

    return "".join(DIGITS[int(d)] for d in str(day.year)) + f"年{number(day.month)}月{number(day.day)}日"


def _data_uri(content: bytes | str, mime: str) -> str:
    raw = content.encode() if isinstance(content, str) else content
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def seal_uri(seal) -> str:
    if seal.image_name:
        from portal.core.files import path_of

        return _data_uri(path_of(seal.image_name).read_bytes(), seal.content_type)
    return _data_uri(seal.svg, "image/svg+xml")


def printed_boxes(application, version, viewer=None) -> list[dict]:
    """The reviewing levels' opinion boxes as printed, in the form's order then the chain's: each with
    its text, its paper lines (signer, （公章）), its Chinese date and, where sealed, the seal's image.
    `on_paper` is False for a level of the chain that the paper form has no box for."""
    definition = version.definition
    defined = {b["level"]: b for b in definition.get("opinions", [])}
    boxes = []
    for box in review_selectors.boxes(application, version, viewer):
        opinion = box["opinion"]
        box_def = defined.get(box["level"], {})
        on_paper = box["level"] in defined
        boxes.append(
            {
                **box,
                "on_paper": on_paper,
                "note": box_def.get("note", ""),
                "text": opinion.text if opinion else "",
                # The paper's lines: its signer label (组长签字：) and （公章） where the box is sealed.
                "signer_label": box["signer_label"] if on_paper else "签字人：",
                "signer_name": _signer(opinion, box["signer"], on_paper, box["signer_label"]),
                "seal_line": box_def.get("seal", True) if on_paper else False,
                "date": chinese_date(opinion.signed_on) if opinion else "",
                "seal_uri": seal_uri(opinion.seal) if box["sealed"] and on_paper else "",
            }
        )
    return boxes


def _signer(opinion, name: str, on_paper: bool, signer_label: str) -> str:
    """The signer's typed name (as the requester may read it) where the paper has a signer line; off
    the paper, who and for whom."""
    if opinion is None:
        return ""
    if not on_paper:
        return f"{name}（{opinion.organisation.name}）"
    return name if signer_label else ""


def applicant_box(definition: dict, values: dict) -> dict | None:
    """The applicant's own box (申报单位意见, or the national form's unnamed one): its text, 负责人（签字）,
    （公章） and a blank date — the applicant signs and seals the paper."""
    from portal.formspec.layout import applicant_box_fields

    box = next((b for b in definition.get("opinions", []) if b["level"] == "applicant"), None)
    if box is None:
        return None
    field = next(iter(applicant_box_fields(definition)), "")
    return {
        "level": "applicant",
        "label": box.get("label", ""),
        "note": box.get("note", ""),
        "text": values.get(field) or "" if field else "",
        "signer_label": box.get("signer", ""),
        "signer_name": "",
        "seal_line": box.get("seal", True),
        "date": "",
        "seal_uri": "",
        "opinion": None,
    }


def title_lines(title: str, per_line: int = 24) -> list[str]:
    """The title in lines of near-equal length, so that no line holds a lone character."""
    count = -(-len(title) // per_line)
    size = -(-len(title) // count)
    return [title[i : i + size] for i in range(0, len(title), size)]


def _carried(boxes: list[dict]) -> list[dict]:
    """What the verification page repeats of each box: level, title, conclusion, signer, date, seal."""
    out = []
    for box in boxes:
        opinion = box["opinion"]
        out.append(
            {
                "level": box["level"],
                "label": box["label"],
                "outcome": opinion.get_outcome_display() if opinion else "",
                "signer": box["signer"],
                "organisation": opinion.organisation.name if opinion else "",
                "date": box["date"],
                "sealed": bool(box["seal_uri"]),
                "seal": opinion.organisation.name if box["seal_uri"] else "",
            }
        )
    return out


def issue(application, version, user, boxes: list[dict] | None = None) -> IssuedDocument:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    if boxes is None:
        boxes = printed_boxes(application, version, user)
    return IssuedDocument.objects.create(
        code=code,
        kind="application_form",
        title=version.definition["title"],
        application=application,
        version_number=version.number,
        version_sha256=version.sha256,
        issued_to=user,
        opinions=_carried(boxes),
    )


def application_html(
    application, version, document: IssuedDocument, *, base_url: str = "", boxes: list[dict] | None = None
) -> str:
    definition = version.definition
    if boxes is None:
        boxes = printed_boxes(application, version, document.issued_to)
    url = f"{portal_base_url(base_url)}{reverse('verify', args=[document.code])}"
    qr = segno.make(url, error="m")
    sections = version_sections(version, printing=True)
    own = applicant_box(definition, version.content["values"])
    # The official forms have a template each; a form a province published prints with the generic one.
    template = select_template([f"reports/pdf/{definition['key']}.html", "reports/pdf/form.html"])
    return template.render(
        {
            "application": application,
            "version": version,
            "definition": definition,
            "title_lines": title_lines(definition["title"]),
            "form_sections": [s for s in sections if not s["appendix"]],
            "appendix_sections": [s for s in sections if s["appendix"]],
            "paper_boxes": ([own] if own else []) + [b for b in boxes if b["on_paper"]],
            "extra_boxes": [b for b in boxes if not b["on_paper"]],
            "document": document,
            "verify_url": url,
            "qr_uri": qr.svg_data_uri(scale=3, border=1),
            "attachments": version.content.get("attachments", []),
            "font": settings.PORTAL_PDF_FONT,
        }
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def application_pdf(application, user, *, base_url: str = "") -> tuple[bytes, IssuedDocument]:
    """The signed PDF of the latest version as it stands now, and the record of its issue (with what it
    carried and the digest of the very file handed out)."""
    version = application.versions.select_related("schema").order_by("-number").first()
    if version is None:
        raise ValueError("申请尚未提交，没有可打印的版本。")
    boxes = printed_boxes(application, version, user)
    document = issue(application, version, user, boxes)
    from portal.reports.signing import sign

    data = sign(render_pdf(application_html(application, version, document, base_url=base_url, boxes=boxes)))
    document.file_sha256 = hashlib.sha256(data).hexdigest()
    IssuedDocument.objects.filter(pk=document.pk).update(file_sha256=document.file_sha256)
    return data, document
