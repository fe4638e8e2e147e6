"""Deep checks of an uploaded file's content, beyond its first bytes (files.sniff calls them).

An Office file is a ZIP container: its members are listed (never unpacked) and a container whose
unpacked size or packing ratio is absurd is refused — a 2 MB file that unpacks to 2 GiB is a bomb
aimed at whoever opens it, a preview or an import. A PDF is parsed, not just recognised by its
header: one that does not parse past `%PDF-`, or that carries script or actions that run on
opening (JavaScript, OpenAction, Launch, additional actions), is refused."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MB = 1024 * 1024
# Real documents: a Word file full of photographs unpacks to about its own size; an Excel sheet of
# plain numbers packs about 10:1. A hundred times, or more than 500 MB, is not a document.
ZIP_MAX_RATIO = 100
ZIP_MAX_UNPACKED = 500 * MB
ZIP_MAX_MEMBERS = 20_000
# Keys whose presence means something runs when the PDF is opened or a page is shown.
PDF_ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch"})
PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"})
PDF_MAX_OBJECTS = 500_000


class Refused(ValueError):
    pass


def check_zip(data: bytes, name: str) -> zipfile.ZipFile | None:
    """The archive's member names, or Refused if it is a bomb. None if it is not a ZIP at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    if len(members) > ZIP_MAX_MEMBERS or unpacked > ZIP_MAX_UNPACKED or unpacked > ZIP_MAX_RATIO * max(len(data), 1):
        raise Refused(
            f"“{name}”解压后达 {unpacked / MB:.0f} MB（压缩比 {unpacked / max(len(data), 1):.0f} 倍），"
            f"不是正常的 Office 文档，已拒收。请另存为普通文档后重新上传。"
        )
    return archive


def _walk(root, visit) -> None:
    """Every dictionary reachable from root, each indirect object once; streams' data is not decoded."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_MAX_OBJECTS:
                raise Refused("PDF 对象过多")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            visit(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_pdf(data: bytes, name: str) -> None:
    refused = Refused(f"“{name}”不是有效的 PDF 文件（无法解析），请用 PDF 软件重新导出后上传。")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise refused
        found: list[str] = []

        def visit(d: DictionaryObject) -> None:
            active = PDF_ACTIVE_KEYS.intersection(d.keys())
            if active:
                found.extend(sorted(active))
            action = d.get("/S")
            if isinstance(action, NameObject) and action in PDF_ACTIVE_ACTIONS:
                found.append(str(action))

        _walk(reader.trailer, visit)
    except Refused:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
    ):
        raise refused
    if found:
        raise Refused(
            f"“{name}”含有打开时自动运行的脚本或动作（{'、'.join(sorted(set(found)))}），已拒收。"
            f"请打印为 PDF 或另存为普通 PDF 后重新上传。"
        )
