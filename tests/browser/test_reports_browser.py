"""The download centre in the browser: a city asks for its 推荐汇总表 and downloads it; an applicant
prints its own form as a signed PDF."""

import os

from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.orgs.choices import Role
from portal.orgs.models import User
from portal.programmes.models import Application
from portal.review.models import RecommendationList
from portal.review.services.decisions import Decision, decide
from tests.factories import PASSWORD, make_user


def _export(page, kind, folder, *, timeout=20000, screenshot=None):
    """Asks for a report with its button, waits in the download centre until it is done and saves
    the download; returns the saved file's path."""
    page.get_by_test_id(f"export-{kind}").click()
    row = page.get_by_test_id("job-row").first
    expect(row.get_by_test_id("job-status")).to_have_text("已完成", timeout=timeout)
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    with page.expect_download() as download:
        row.get_by_test_id("download").click()
    target = folder / download.value.suggested_filename
    download.value.save_as(target)
    return target


def test_city_exports_its_summary_and_a_school_prints_its_form(
    page, live_server, demo_accounts, sign_in, artifacts_dir, tmp_path, browser
):
    application = Application.objects.get(applicant__code="2450102003")  # the demo's school at the city
    decide(
        actor=User.objects.get(username="gx_city"),
        application=application,
        decision=Decision(outcome="recommend", text="同意推荐。"),
    )
    lst = RecommendationList.objects.get(level="city")
    sign_in(page, "gx_city", "Demo@2026")
    page.goto(f"{live_server.url}/review/lists/{lst.pk}/")
    target = _export(page, "city_summary", tmp_path, screenshot=os.path.join(artifacts_dir, "reports_centre.png"))
    assert target.name == "南宁市教育局推荐汇总表.xlsx"
    sheet = load_workbook(target)["推荐汇总表"]
    assert sheet["A1"].value == "基础教育信息化融合创新实验区、实验校推荐汇总表"

    school = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    make_user(Role.SCHOOL_APPLICANT, application.applicant, username="yucai")
    sign_in(school, "yucai", PASSWORD)
    school.goto(f"{live_server.url}/applications/{application.pk}/")
    target = _export(school, "application_pdf", tmp_path, timeout=30000)
    assert target.name.endswith("基础教育信息化融合创新实验校申请表.pdf")


def test_province_exports_its_call_summary_and_every_form_as_one_zip(
    page, live_server, demo_accounts, sign_in, artifacts_dir, tmp_path
):
    import zipfile

    from portal.programmes.models import Call
    from portal.programmes.selectors import visible_applications

    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    admin = User.objects.get(username="gx_province")
    submitted = visible_applications(admin).filter(call=call).count()
    assert submitted >= 2
    sign_in(page, "gx_province", "Demo@2026")
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    page.screenshot(path=os.path.join(artifacts_dir, "reports_call_page.png"), full_page=True)
    sheet = load_workbook(_export(page, "province_summary", tmp_path))["申报汇总"]
    assert sheet.max_row == submitted + 2  # title, head, one row per application

    page.goto(f"{live_server.url}/calls/{call.pk}/")
    target = _export(
        page, "call_pdfs", tmp_path, timeout=60000, screenshot=os.path.join(artifacts_dir, "reports_call_zip.png")
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert len(names) == submitted and names[0].startswith("01_") and all(n.endswith(".pdf") for n in names)


def test_a_form_printed_after_a_decision_is_a_new_verifiable_file(
    page, live_server, demo_accounts, sign_in, artifacts_dir, tmp_path
):
    import re
    import subprocess

    from portal.reports.models import IssuedDocument

    def text(path):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        return re.sub(r"\s+", "", out)

    application = Application.objects.get(applicant__code="2450102002")  # the demo's school at its county
    make_user(Role.SCHOOL_APPLICANT, application.applicant, username="xn_school2")
    sign_in(page, "xn_school2", PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    before = text(_export(page, "application_pdf", tmp_path, timeout=30000))
    assert "该校基础扎实，同意推荐。" not in before

    decide(
        actor=User.objects.get(username="gx_county"),
        application=application,
        decision=Decision(outcome="recommend", text="该校基础扎实，同意推荐。"),
    )
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    after = text(_export(page, "application_pdf", tmp_path, timeout=30000))
    assert "该校基础扎实，同意推荐。" in after
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    expect(page.get_by_test_id("job-state")).to_have_count(2)
    page.screenshot(path=os.path.join(artifacts_dir, "reports_centre_states.png"), full_page=True)

    # Asked again with nothing changed: the same file, said so; 重新生成 makes a new one anyway.
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_test_id("export-application_pdf").click()
    expect(page.get_by_text("内容自上次生成以来没有变化")).to_be_visible()
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    page.get_by_test_id("regenerate").first.click()
    expect(page.get_by_test_id("job-row")).to_have_count(3)

    issued = IssuedDocument.objects.filter(application=application).order_by("pk")[1]
    assert issued.code in after
    page.goto(f"{live_server.url}/verify/{issued.code}/")
    carried = page.get_by_test_id("carried-opinions")
    expect(carried.locator("tr[data-level=county]")).to_contain_text("推荐")
    expect(carried.locator("tr[data-level=county]")).to_contain_text("（已盖章）")
    expect(page.get_by_test_id("file-sha256")).to_have_text(issued.file_sha256)
    page.screenshot(path=os.path.join(artifacts_dir, "reports_verify.png"), full_page=True)
