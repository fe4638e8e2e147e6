"""A real, minimal one-page PDF for the demo's and the tests' attachments: uploads are parsed
(portal/core/filechecks.py), so a stand-in must be a PDF a reader can open."""

from __future__ import annotations

import io
from functools import lru_cache

from pypdf import PdfWriter


@lru_cache(maxsize=1)
def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4 in points
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
