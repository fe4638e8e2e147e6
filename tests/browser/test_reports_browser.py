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


def test_city_exports_its_summary_and_a_school_prints_its_form(page, live_server, demo_accounts, sign_in,
                                                              artifacts_dir, tmp_path, browser):
    application = Application.objects.get(applicant__code="2450102003")           # the demo's school at the city
    decide(actor=User.objects.get(username="gx_city"), application=application,
           decision=Decision(outcome="recommend", text="同意推荐。"))
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


def test_province_exports_its_call_summary_and_every_form_as_one_zip(page, live_server, demo_accounts, sign_in,
                                                                     artifacts_dir, tmp_path):
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
    assert sheet.max_row == submitted + 2                       # title, head, one row per application

    page.goto(f"{live_server.url}/calls/{call.pk}/")
    target = _export(page, "call_pdfs", tmp_path, timeout=60000,
                     screenshot=os.path.join(artifacts_dir, "reports_call_zip.png"))
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert len(names) == submitted and names[0].startswith("01_") and all(n.endswith(".pdf") for n in names)
