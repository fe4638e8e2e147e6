"""A draft definition as its users will meet it, before it is published: the web form an applicant
fills (blank, not submittable) and the PDF as it will print, both with the placeholders filled for a
call of a chosen year in the publisher's province. The PDF is a 样张: no verification code, no
register page — nothing in it can be taken for an issued document."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from portal.formspec import resolve
from portal.formspec.fields import CallContext, form_class
from portal.formspec.layout import layout

# The categories a call would list: a preview shows where they go.
PREVIEW_CONTEXT = CallContext(
    categories=[{"number": 1, "name": "（由申报批次设置的实验类别）", "keywords": ["（关键词）"]}]
)


def web_form(definition: dict) -> dict:
    """The template context of the blank web form of a (resolved, checked) definition."""
    form = form_class(definition, PREVIEW_CONTEXT)()
    return {
        "definition": definition,
        "form": form,
        "attachments": {},
        "sections": layout(definition, form=form, context=PREVIEW_CONTEXT),
    }


def blank_boxes(definition: dict) -> list[dict]:
    """Each opinion box of the paper, empty: its title, note, signer line, （公章） and a blank date."""
    from portal.review.chain import LEVELS

    boxes = []
    for box in definition.get("opinions", []):
        label = box.get("label") or ("" if box["level"] == "applicant" else LEVELS[box["level"]].box)
        boxes.append(
            {
                "level": box["level"],
                "label": label,
                "note": box.get("note", ""),
                "text": "",
                "signer_label": box.get("signer", ""),
                "signer_name": "",
                "seal_line": box.get("seal", True),
                "date": "",
                "seal_uri": "",
                "opinion": None,
            }
        )
    return boxes


def sample_pdf(definition: dict) -> bytes:
    from portal.reports.pdf import render_pdf, title_lines

    sections = layout(definition, values={}, computed={}, context=PREVIEW_CONTEXT, printing=True)
    html = render_to_string(
        "reports/pdf/form.html",
        {
            "definition": definition,
            "title_lines": title_lines(definition["title"]),
            "sample": True,
            "form_sections": [s for s in sections if not s["appendix"]],
            "paper_boxes": blank_boxes(definition),
            "font": settings.PORTAL_PDF_FONT,
        },
    )
    return render_pdf(html)


def resolved_for(definition: dict, *, year: int, province_name: str) -> dict:
    return resolve.resolved(definition, year=year, province=resolve.province_word(province_name))


MAX_PAGES = 12


def page_images(pdf: bytes, *, scale: float = 1.4) -> list[str]:
    """The PDF's pages as PNG data URIs (pdfium), so the preview shows the print itself beside the web
    form in any browser, with or without a PDF viewer."""
    import base64
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        out = []
        for index in range(min(len(document), MAX_PAGES)):
            image = document[index].render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            out.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())
        return out
    finally:
        document.close()
