"""Playwright on Debian's Chromium (never a downloaded browser) against pytest-django's live server."""

import json
import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

# The live server runs in a thread while sync Playwright holds the event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Two test workers share two cores with PDF rendering and a live server each: a page may take
# longer than Playwright's 5-second default to show what it will show.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = "Chromium 未安装：apt-get install chromium（make test 会自动安装）"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


@pytest.fixture
def demo_accounts(transactional_db):
    out = StringIO()
    call_command("load_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def session(browser, sign_in):
    """A page of its own browser context (its own cookies), signed in as `username`: one per person
    of a multi-person test."""

    def _session(username, password="Demo@2026"):
        page = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900}
        ).new_page()
        sign_in(page, username, password)
        expect(page.get_by_test_id("current-user")).to_be_visible()
        return page

    return _session


@pytest.fixture
def sign_in(live_server):
    def _sign_in(page, username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    return _sign_in


A11Y_SCRIPT = os.path.join(os.path.dirname(__file__), "a11y.js")


@pytest.fixture(autouse=True)
def accessibility_check(monkeypatch):
    """Every page a browser test opens is checked for duplicate ids and unlabelled inputs (a
    duplicate id once made one item's 推荐 label tick another's radio). The check runs in the
    page (a11y.js) and reports through the console, so it costs no extra round trip; the test fails at
    its end with what was found and where."""
    from playwright.sync_api import Browser

    found: list[str] = []

    def watch(target):
        target.add_init_script(path=A11Y_SCRIPT)
        target.on(
            "console",
            lambda message: (
                found.append(message.text) if message.type == "error" and message.text.startswith("A11Y ") else None
            ),
        )
        return target

    new_context, new_page = Browser.new_context, Browser.new_page

    monkeypatch.setattr(Browser, "new_context", lambda self, *a, **kw: watch(new_context(self, *a, **kw)))
    monkeypatch.setattr(Browser, "new_page", lambda self, *a, **kw: watch(new_page(self, *a, **kw)))
    yield found
    assert not found, "页面可访问性问题：\n" + "\n".join(sorted(set(found)))
