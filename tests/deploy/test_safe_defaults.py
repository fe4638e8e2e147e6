"""DEBUG only for the development server, a Content-Security-Policy on every page
with nothing inline that would need an exception, /healthz telling the database's and Redis's state,
and refused requests logged without tracebacks."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from portal.orgs.choices import Role

ROOT = Path(__file__).resolve().parents[2]


def _settings_value(expr: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "PORTAL_PRODUCTION")}
    clean.update(env)
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); django.setup();"
        f"from django.conf import settings; print({expr})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert _settings_value("settings.DEBUG") == "False"
    assert _settings_value("settings.DEBUG", DJANGO_DEBUG="1") == "True"
    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ntest:")]
    assert "DJANGO_DEBUG" in run and "runserver" in run  # only the development server turns it on


def test_the_default_404_does_not_list_the_url_patterns(tmp_path):
    code = (
        "import django, os; django.setup(); from django.test import Client; from django.core.management import "
        "call_command; call_command('migrate', verbosity=0); r = Client(HTTP_HOST='localhost').get('/no-such-page/');"
        "print(r.status_code); print(r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PORTAL_VAR_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("404") and "页面不存在" in out
    assert "URLconf" not in out and "accounts/" not in out and "api/" not in out.split("\n", 1)[1]


# --- Content-Security-Policy -------------------------------------------------------------------

# Templates under a pdf/ folder are drawn by WeasyPrint into files, never served to a browser.
TEMPLATES = [p for p in (ROOT / "templates").rglob("*.html") if "pdf" not in p.relative_to(ROOT / "templates").parts]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_carries_inline_script_style_or_handlers(path):
    text = path.read_text()
    assert "style=" not in text and "<style" not in text
    assert not INLINE_SCRIPT.search(text), INLINE_SCRIPT.search(text).group(0)
    assert not HANDLER.search(text), HANDLER.search(text).group(0)
    assert "javascript:" not in text


def _inline_problems(html: str) -> list[str]:
    problems = [m.group(0) for m in INLINE_SCRIPT.finditer(html)]
    problems += re.findall(r"<[^>]+\sstyle=\"[^\"]*\"", html)
    problems += re.findall(r"<style[^>]*>", html)
    problems += [m.group(0) for m in HANDLER.finditer(html)]
    return problems


@pytest.fixture
def pages(calls, tree, role_users, submitted, school_user, panel):
    application = submitted(school_user, calls.guangxi)
    return {
        Role.SCHOOL_APPLICANT: [
            "/",
            "/calls/",
            f"/applications/{application.pk}/",
            "/reports/",
            "/notifications/",
            "/notifications/settings/",
            "/accounts/password/",
        ],
        Role.COUNTY_REVIEWER: ["/", "/review/queue/", f"/applications/{application.pk}/", "/review/lists/"],
        Role.PROVINCE_ADMIN: [
            "/",
            "/calls/",
            f"/calls/{calls.guangxi.pk}/",
            "/orgs/",
            "/users/",
            "/experts/pool/",
            "/experts/panels/",
            f"/experts/panels/{panel.pk}/",
            "/reports/",
            "/api/docs/",
        ],
    }


def test_every_page_has_the_policy_and_nothing_inline(client, role_users, pages):
    seen = 0
    for role, paths in pages.items():
        client.force_login(role_users[role])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.status_code)
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
            assert _inline_problems(response.content.decode()) == [], (role, path)
            seen += 1
    anonymous = client.__class__()
    for path in ("/accounts/login/", "/notices/", "/no-such-page/"):
        response = anonymous.get(path)
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        assert _inline_problems(response.content.decode()) == [], path
    assert seen >= 20


def test_a_served_file_keeps_its_own_stricter_policy(calls, school_user, client):
    from portal.core.samples import blank_pdf
    from portal.programmes.services.applications import start_application
    from portal.programmes.services.attachments import add_attachment

    draft = start_application(actor=school_user, call=calls.guangxi)
    attachment = add_attachment(actor=school_user, application=draft, name="a.pdf", data=blank_pdf())
    client.force_login(school_user)
    response = client.get(reverse("programmes:attachment_download", args=[attachment.pk]))
    assert (
        response["Content-Security-Policy"].startswith("default-src 'none'")
        and "sandbox" in response["Content-Security-Policy"]
    )


# --- /healthz ----------------------------------------------------------------------------------


def test_health_reports_the_database_and_redis(db, client, settings):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not_configured")


def test_health_is_503_when_the_database_is_down(db, client, monkeypatch):
    from django.db import OperationalError, connection

    def broken():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "down"
    assert response.json()["status"] == "unavailable"


def test_health_is_503_when_redis_is_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["redis"] == "down"
    assert "127.0.0.1" not in response.content.decode()  # the address is not told to the world


# --- logs --------------------------------------------------------------------------------------


def test_a_403_is_logged_in_one_line_without_traceback(client, role_users, caplog):
    client.force_login(role_users[Role.SCHOOL_APPLICANT])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("orgs:user_list")).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 403 and record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback():
    from portal.core.logs import ClientErrorsWithoutTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", None, sys.exc_info())
    record.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is not None
