"""In the browser: under the Content-Security-Policy the pages work — scripts run,
progress bars get their width, Swagger UI draws the API — and the browser reports no violation."""

import os
import re

from playwright.sync_api import expect

from portal.experts.models import Panel
from portal.orgs.models import User
from portal.programmes.models import Application
from portal.reports.models import ReportJob

# Recorded by the page itself: every violation the browser raises, from the first script on.
LISTEN = """window.__csp = []; document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_pages_run_under_the_policy(page, live_server, demo_accounts, sign_in, artifacts_dir):
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    application = Application.objects.filter(applicant__code="2450102001").first()
    sign_in(page, "gx_school", "Demo@2026")
    visited = []
    for path in ("/", f"/applications/{application.pk}/edit/" if application else "/calls/", "/reports/"):
        page.goto(f"{live_server.url}{path}")
        visited.append((path, _violations(page)))
    if application:
        # The form's own script runs: typing marks the draft and autosave reports its state.
        page.goto(f"{live_server.url}/applications/{application.pk}/edit/")
        field = page.locator("textarea").first
        field.fill(field.input_value() + "。")
        expect(page.get_by_test_id("save-state")).to_have_text(re.compile(r"^已保存 \d\d:\d\d$"), timeout=15000)
        visited.append(("autosave", _violations(page)))
    page.context.clear_cookies()
    sign_in(page, "gx_province", "Demo@2026")
    panel = Panel.objects.first()
    for path in ("/", "/calls/", f"/experts/panels/{panel.pk}/" if panel else "/experts/panels/", "/api/docs/"):
        page.goto(f"{live_server.url}{path}")
        if path == "/api/docs/":
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("API", timeout=20000)
            page.screenshot(path=os.path.join(artifacts_dir, "api_docs_under_csp.png"))
        visited.append((path, _violations(page)))
    # A width set at run time (no inline style): a queued job's progress bar in the download centre.
    ReportJob.objects.create(
        kind="application_pdf",
        params={"pk": 1},
        request_key="x",
        title="进度条",
        requested_by=User.objects.get(username="gx_province"),
        progress=40,
    )
    page.goto(f"{live_server.url}/reports/")
    assert page.locator("[data-width]").first.evaluate("e => e.style.width") == "40%"
    visited.append(("/reports/", _violations(page)))
    assert [v for v in visited if v[1]] == [] and console == []
