"""Each official form filled in the browser: the page is closed half-way, reopened with
everything still there, completed, and submitted."""

import os

import pytest
from playwright.sync_api import expect

from portal.core.samples import blank_pdf
from portal.programmes.models import Application, Call
from tests.programmes.helpers import complete_post, definition_of

CASES = [
    ("national_zone", "教基厅函〔2019〕46号", "gx_bureau", True),
    ("guangxi_zone", "桂教网信〔2023〕23号", "gx_bureau", False),
    ("guangxi_school", "桂教网信〔2023〕23号", "gx_school", False),
]


def _fill(page, definition, post, names):
    for name in names:
        value = post[name]
        spec = definition["fields"].get(name.split("__")[0], {})
        kind = spec.get("kind")
        if kind in {"yesno", "categories"} and not isinstance(value, list):
            page.check(f"input[name='{name}'][value='{value}']")
        elif isinstance(value, list):
            for item in value:
                page.check(f"input[name='{name}'][value='{item}']")
        elif kind == "choice":
            page.select_option(f"select[name='{name}']", value)
        else:
            page.fill(f"[name='{name}']", value)


@pytest.mark.parametrize("key,document,username,multiple", CASES)
def test_form_survives_a_closed_page_and_is_submitted(
    browser, live_server, demo_accounts, sign_in, artifacts_dir, tmp_path, key, document, username, multiple
):
    definition = definition_of(key)
    post = complete_post(definition, multiple=multiple)
    names = list(post)
    first, rest = names[: len(names) // 2], names[len(names) // 2 :]
    call = Call.objects.get(document_number=document)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, username, "Demo@2026")
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    page.get_by_test_id("apply").click()
    expect(page.locator("h1.fs-title")).to_have_text(definition["title"])
    _fill(page, definition, post, first)
    # A limited field shows its live counter.
    limited = next(n for n in first if definition["fields"].get(n, {}).get("max_chars"))
    expect(page.locator(f"[data-counter-for='id_{limited}'] .fs-used")).to_have_text(
        str(len(post[limited].replace("\n", "")))
    )
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存", timeout=10000)
    page.close()  # the browser tab is closed mid-way

    page = context.new_page()
    application = Application.objects.get(call=call, applicant__code=demo_code(username))
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/")
    for name in first:
        value = post[name]
        if isinstance(value, list) or definition["fields"].get(name, {}).get("kind") in {"yesno", "categories"}:
            for item in value if isinstance(value, list) else [value]:
                expect(page.locator(f"input[name='{name}'][value='{item}']")).to_be_checked()
        elif definition["fields"].get(name, {}).get("kind") == "choice":
            expect(page.locator(f"select[name='{name}']")).to_have_value(value)
        else:
            expect(page.locator(f"[name='{name}']")).to_have_value(value)
    _fill(page, definition, post, rest)
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存", timeout=10000)
    for name, spec in definition["fields"].items():
        if spec.get("attach") == "evidence":
            evidence = tmp_path / "支撑材料.pdf"
            evidence.write_bytes(blank_pdf())
            page.set_input_files(f"input[form='upload-{name}']", str(evidence))
            page.click(f"button[form='upload-{name}']")
            expect(page.get_by_test_id(f"attachments-{name}")).to_contain_text("支撑材料.pdf")
    page.screenshot(path=os.path.join(artifacts_dir, f"form_{key}_filled.png"), full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    page.screenshot(path=os.path.join(artifacts_dir, f"form_{key}_submitted.png"), full_page=True)
    application.refresh_from_db()
    assert application.versions.get().content["values"]["head_name"] == post["head_name"]
    context.close()


def demo_code(username):
    return {"gx_bureau": "450102", "gx_school": "2450102001"}[username]
