"""Attachment files: what a file really is (by its bytes, not its name), and where it lives.

Files are stored under PRIVATE_MEDIA_ROOT/attachments with random names and no extension,
outside any directory the web server serves; they leave only through the permission-checked
download view."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from portal.core import filechecks

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_TEXT = "PDF、图片（JPG、PNG）、Word（doc、docx）、Excel（xls、xlsx）"
# Types a browser may show inline; everything else is always downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: frozenset[str]


PDF = FileType("PDF", "application/pdf", frozenset({"pdf"}))
PNG = FileType("PNG 图片", "image/png", frozenset({"png"}))
JPEG = FileType("JPG 图片", "image/jpeg", frozenset({"jpg", "jpeg"}))
DOCX = FileType("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"}))
XLSX = FileType("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"}))
DOC = FileType("Word", "application/msword", frozenset({"doc"}))
XLS = FileType("Excel", "application/vnd.ms-excel", frozenset({"xls"}))


class FileRefused(ValueError):
    pass


# Characters that reorder or hide text: U+202E turns "报告\u202egpj.pdf" into "报告fdp.jpg" on screen.
_INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
NAME_MAX = 200


def clean_name(name: str) -> str:
    """An uploaded file's name as shown and stored: no directory part, no control or bidi characters,
    at most NAME_MAX characters with its extension kept (it decides the type check)."""
    name = _INVISIBLE.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}"
        else:
            name = name[:NAME_MAX]
    return name or "未命名文件"


def _zip_type(data: bytes, name: str) -> FileType | None:
    try:
        archive = filechecks.check_zip(data, name)
    except filechecks.Refused as refusal:
        raise FileRefused(str(refusal))
    if archive is None:
        return None
    with archive:
        names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes, name: str) -> FileType:
    """The file's type from its content; refuses anything else, and a name that lies about it."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    found: FileType | None = None
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif data.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif data.startswith(b"PK\x03\x04"):
        found = _zip_type(data, name)
    elif data.startswith(OLE_MAGIC):
        # An OLE container is a .doc or an .xls; the bytes alone do not say which cheaply.
        found = {"doc": DOC, "xls": XLS}.get(extension)
    if found is None:
        raise FileRefused(f"“{name}”不是允许的文件类型。只能上传{ALLOWED_TEXT}。")
    if extension not in found.extensions:
        raise FileRefused(f"“{name}”的扩展名与文件内容（{found.label}）不符，请检查后重新上传。")
    if found is PDF:
        try:
            filechecks.check_pdf(data, name)
        except filechecks.Refused as refusal:
            raise FileRefused(str(refusal))
    return found


def accept(upload, *, max_bytes: int, too_big: str) -> tuple[str, str, str]:
    """A small upload checked and stored: (clean name, stored name, content type), or FileRefused
    with the reason. The size is known before a byte is read."""
    name = clean_name(upload.name)
    if upload.size > max_bytes:
        raise FileRefused(too_big)
    data = upload.read()
    kind = sniff(data, name)
    stored, _ = store(data)
    return name, stored, kind.content_type


def storage_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes) -> tuple[str, str]:
    """Writes the bytes under a fresh random name; returns (stored name, sha256)."""
    name = secrets.token_hex(20)
    (storage_dir() / name).write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def path_of(stored_name: str) -> Path:
    return storage_dir() / stored_name


def file_response(stored_name: str, content_type: str, name: str):
    """A stored attachment-area file (see path_response)."""
    return path_response(path_of(stored_name), content_type, name)


def path_response(path: Path, content_type: str, name: str, *, download: bool = False):
    """A private file, as a download unless it is a PDF or an image; never sniffed by the browser,
    and sandboxed so an uploaded file cannot run script on the portal's origin."""
    from urllib.parse import quote

    from django.http import FileResponse, Http404

    if not path.exists():
        raise Http404("文件不存在。")
    inline = content_type in INLINE_TYPES and not download
    response = FileResponse(
        path.open("rb"), content_type=content_type if content_type in INLINE_TYPES else "application/octet-stream"
    )
    response["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
