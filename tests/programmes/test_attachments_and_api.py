"""Attachment checks (content sniffed, size limits, private storage, safe download) and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core import files
from portal.core.exceptions import ServiceError
from portal.core.samples import blank_pdf
from portal.orgs.choices import Role
from portal.programmes.models import Attachment
from portal.programmes.services.applications import start_application
from portal.programmes.services.attachments import add_attachment
from tests.contract import assert_conflict
from tests.factories import make_user

PDF = blank_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03" + b"\x00" * 100


@pytest.fixture
def draft(calls, school_user):
    return start_application(actor=school_user, call=calls.guangxi)


def _add(user, application, name, data, **kw):
    return add_attachment(actor=user, application=application, name=name, data=data, **kw)


def test_a_renamed_executable_is_refused(draft, school_user):
    with pytest.raises(ServiceError, match="不是允许的文件类型"):
        _add(school_user, draft, "实验方案.pdf", EXE)


def test_an_html_file_is_refused(draft, school_user):
    with pytest.raises(ServiceError, match="不是允许的文件类型"):
        _add(school_user, draft, "说明.html", b"<html><script>alert(1)</script></html>")


def test_an_extension_that_lies_about_the_content_is_refused(draft, school_user):
    with pytest.raises(ServiceError, match="扩展名与文件内容（PNG 图片）不符"):
        _add(school_user, draft, "照片.pdf", PNG)


def test_office_files_are_recognised_by_their_parts(draft, school_user, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "统计"
    book.save(tmp_path / "a.xlsx")
    data = (tmp_path / "a.xlsx").read_bytes()
    assert _add(school_user, draft, "统计表.xlsx", data).content_type == files.XLSX.content_type
    with pytest.raises(ServiceError, match="扩展名与文件内容（Excel）不符"):
        _add(school_user, draft, "统计表.docx", data)


def test_size_limits_per_file_and_per_application(draft, school_user, calls):
    calls.guangxi.max_file_mb, calls.guangxi.max_total_mb = 1, 2
    calls.guangxi.save()
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ServiceError, match="超过单个附件 1 MB 的上限"):
        _add(school_user, draft, "大文件.pdf", big)
    part = PDF + b"0" * (700 * 1024)
    _add(school_user, draft, "一.pdf", part)
    _add(school_user, draft, "二.pdf", part)
    with pytest.raises(ServiceError, match="超过每份申请 2 MB 的上限"):
        _add(school_user, draft, "三.pdf", part)


def test_files_are_stored_outside_the_web_root_under_random_names(draft, school_user, private_media, settings):
    attachment = _add(school_user, draft, "证明.pdf", PDF)
    path = files.path_of(attachment.stored_name)
    assert path.read_bytes() == PDF and path.parent == private_media / "attachments"
    assert "证明" not in attachment.stored_name and "." not in attachment.stored_name
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_downloads_are_attachments_except_pdf_and_images(draft, school_user, client):
    pdf = _add(school_user, draft, "证明.pdf", PDF)
    client.force_login(school_user)
    response = client.get(reverse("programmes:attachment_download", args=[pdf.pk]))
    assert response["Content-Disposition"].startswith("inline") and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Even a record claiming HTML (say, written by an older version) is never served inline.
    name, digest = files.store(b"<html><script>alert(1)</script></html>")
    html = Attachment.objects.create(
        application=draft,
        purpose="other",
        original_name="x.html",
        stored_name=name,
        content_type="text/html",
        size=10,
        sha256=digest,
    )
    response = client.get(reverse("programmes:attachment_download", args=[html.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"


def test_another_school_gets_404_on_an_attachment(draft, school_user, client, tree):
    pdf = _add(school_user, draft, "证明.pdf", PDF)
    client.force_login(make_user(Role.SCHOOL_APPLICANT, tree.school_a2))
    assert client.get(reverse("programmes:attachment_download", args=[pdf.pk])).status_code == 404


def test_upload_through_the_page_reports_a_refusal_in_chinese(draft, school_user, client):
    client.force_login(school_user)
    response = client.post(
        reverse("programmes:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("方案.pdf", EXE), "purpose": "continuation", "field": "plan"},
        follow=True,
    )
    assert "不是允许的文件类型" in response.content.decode()
    assert not draft.attachments.exists()


# --- API ----------------------------------------------------------------------------------------


def test_api_creates_updates_and_submits_with_version_checks(calls, school_user, client):
    from tests.programmes.helpers import complete_post, definition_of

    client.force_login(school_user)
    created = client.post(reverse("api:application_list"), {"call": calls.guangxi.pk}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    pk, version = body["id"], body["lock_version"]
    data = complete_post(definition_of("guangxi_school"), multiple=False)
    url = reverse("api:application_detail", args=[pk])
    updated = client.patch(url, {"lock_version": version, "data": data}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["errors"] == {}
    stale = client.patch(url, {"lock_version": version, "data": {"classes": "1"}}, content_type="application/json")
    assert_conflict(stale, version=version + 1, by=school_user.display_name)
    submit = reverse("api:application_submit", args=[pk])
    refused = client.post(submit, {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["work_basis"] == ["「工作基础」须提供必要支撑材料，请上传至少一个附件。"]
    uploaded = client.post(
        reverse("api:attachment_list", args=[pk]),
        {"file": SimpleUploadedFile("材料.pdf", PDF), "purpose": "evidence", "field": "work_basis"},
    )
    assert uploaded.status_code == 201
    ok = client.post(submit, {}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 1
    assert client.get(url).json()["versions"][0]["sha256"] == ok.json()["sha256"]
    assert client.post(reverse("api:application_withdraw", args=[pk])).json()["status"] == "withdrawn"


def test_api_lists_only_what_is_in_scope(calls, school_user, client, tree):
    start_application(actor=school_user, call=calls.guangxi)
    other = make_user(Role.SCHOOL_APPLICANT, tree.school_a2)
    client.force_login(other)
    assert client.get(reverse("api:application_list")).json()["count"] == 0
    titles = [c["title"] for c in client.get(reverse("api:call_list")).json()["results"]]
    assert sorted(titles) == sorted(
        [
            "第三批广西基础教育信息化融合创新实验区和实验校创建",
            "2019年“基于教学改革、融合信息技术的新型教与学模式”实验区推荐遴选",
        ]
    )
