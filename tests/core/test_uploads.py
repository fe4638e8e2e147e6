"""Request bodies are capped before they are read, Office containers and PDFs are
checked past their first bytes, and names cannot disguise their type or lose their extension."""

import io
import zipfile

import pytest
from django.test import RequestFactory
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from portal.core import filechecks, files
from portal.core.boundary import BoundaryMiddleware
from portal.core.exceptions import ServiceError
from portal.core.samples import blank_pdf
from portal.programmes.services.applications import start_application
from portal.programmes.services.attachments import add_attachment

MB = 1024 * 1024


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def test_an_oversized_body_is_refused_from_its_length_without_being_read(settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 50 * MB
    request = RequestFactory().post("/applications/1/attachments/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(300 * MB)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    response = BoundaryMiddleware(lambda r: pytest.fail("reached the view"))(request)
    assert response.status_code == 413
    assert "300.0 MB" in response.content.decode() and "50 MB" in response.content.decode()


def test_the_api_answers_413_in_json(db, client):
    response = client.post(
        "/api/v1/applications/", data=b"{}", content_type="application/json", CONTENT_LENGTH=str(300 * MB)
    )
    assert response.status_code == 413 and "上限" in response.json()["detail"]


def _docx(extra: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_docx_is_refused():
    bomb = _docx({"word/media/image1.png": b"\0" * (64 * MB)})
    assert len(bomb) < MB
    with pytest.raises(files.FileRefused, match="压缩比"):
        files.sniff(bomb, "实施方案.docx")


def test_an_unpacked_size_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(filechecks, "ZIP_MAX_UNPACKED", 2 * MB)
    with pytest.raises(files.FileRefused, match="解压后达"):
        files.sniff(_docx({"word/media/a.bin": bytes(range(256)) * (12 * 1024)}), "a.docx")


def test_an_ordinary_docx_with_a_photo_is_accepted():
    import os

    photo = os.urandom(2 * MB)  # incompressible, like a JPEG
    assert files.sniff(_docx({"word/media/image1.jpeg": photo}), "方案.docx") is files.DOCX


def test_a_header_followed_by_an_executable_is_not_a_pdf():
    with pytest.raises(files.FileRefused, match="不是有效的 PDF"):
        files.sniff(b"%PDF-1.7\n" + b"MZ\x90\x00\x03" + b"\x00" * 4000, "报告.pdf")


def _pdf(mutate) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    mutate(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _named_script(writer):
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(script)])}
            )
        }
    )


def _launch_link(writer):
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): DictionaryObject(
                {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


@pytest.mark.parametrize(
    "mutate, word",
    [
        (_named_script, "/JavaScript"),
        (_open_action, "/OpenAction"),
        (_launch_link, "/Launch"),
    ],
)
def test_a_pdf_that_runs_something_on_opening_is_refused(mutate, word):
    with pytest.raises(files.FileRefused, match="自动运行") as refused:
        files.sniff(_pdf(mutate), "报告.pdf")
    assert word in str(refused.value)


def test_a_plain_pdf_is_accepted():
    assert files.sniff(blank_pdf(), "报告.pdf") is files.PDF


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("报告\u202egpj.pdf", "报告gpj.pdf"),
        ("C:\\Users\\李\\报告.pdf", "报告.pdf"),
        ("a\u200b\u2066b\u0007.pdf", "ab.pdf"),
        ("\u202e", "未命名文件"),
    ],
)
def test_names_lose_control_and_bidi_characters(raw, shown):
    assert files.clean_name(raw) == shown


def test_a_long_name_keeps_its_extension(calls, school_user):
    draft = start_application(actor=school_user, call=calls.guangxi)
    attachment = add_attachment(actor=school_user, application=draft, name="很长的名称" * 60 + ".pdf", data=blank_pdf())
    assert len(attachment.original_name) == files.NAME_MAX and attachment.original_name.endswith(".pdf")


def test_a_reversed_name_cannot_pose_as_an_image(calls, school_user):
    draft = start_application(actor=school_user, call=calls.guangxi)
    attachment = add_attachment(actor=school_user, application=draft, name="报告\u202egpj.pdf", data=blank_pdf())
    assert attachment.original_name == "报告gpj.pdf"
    with pytest.raises(ServiceError, match="扩展名与文件内容"):
        add_attachment(actor=school_user, application=draft, name="照片\u202efdp.jpg", data=blank_pdf())


def test_an_objection_file_name_is_cleaned_and_its_size_checked_before_reading(calls, tree, client):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import timezone

    from portal.review.models import Objection, RecommendationList

    lst = RecommendationList.objects.create(
        call=calls.guangxi,
        organisation=tree.city_a,
        level="city",
        status="notice",
        notice_title="公示",
        notice_starts=timezone.now() - timedelta(hours=1),
        notice_ends=timezone.now() + timedelta(days=5),
    )
    client.post(
        reverse("public_notice", args=[lst.token]),
        {
            "name": "李明",
            "contact": "13800000000",
            "text": "该名单中的学校条件不符合，请核查。",
            "file": SimpleUploadedFile("证明\u202egpj.pdf", blank_pdf()),
        },
    )
    assert Objection.objects.get().file_name == "证明gpj.pdf"


def test_an_import_file_that_is_a_bomb_is_refused_before_openpyxl_opens_it():
    from portal.orgs.importing.parse import ImportFileError, read_import_file

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (64 * MB))
    with pytest.raises(ImportFileError, match="压缩比"):
        read_import_file("机构.xlsx", buffer.getvalue())
