"""A real Celery worker on Redis is SIGKILLed in the middle of a report: the job still completes,
with its attempts counted and exactly one file."""
import os
import signal
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from portal.orgs.models import User
from portal.programmes.models import Call
from portal.reports.models import ReportJob
from portal.reports.tasks import render_report

ROOT = Path(__file__).resolve().parent.parent.parent


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _wait(predicate, timeout=120, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.mark.services
@pytest.mark.skipif(not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL")
def test_a_report_survives_its_worker_being_killed(transactional_db, settings, tmp_path):
    call_command("load_demo", stdout=StringIO())
    call_command("seed_scale", "--schools", "3000", "--applications", "3000", stdout=StringIO())
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    job = ReportJob.objects.create(kind="province_summary", params={"call": call.pk}, request_key="kill-test",
                                   requested_by=User.objects.get(username="gx_province"), title="申报汇总表")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {**os.environ, "PORTAL_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork", "--concurrency=1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        render_report.apply_async((job.pk,), queue=queue)
        _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0).exists())
        child = _wait(lambda: _children(worker.pid))[0]
        os.kill(child, signal.SIGKILL)                       # the process rendering the report dies mid-file
        job.refresh_from_db()
        assert job.status == "running" and job.attempts == 1
        done = _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="done").first())
    finally:
        worker.terminate()
        output = worker.communicate(timeout=60)[0].decode(errors="replace")
    assert done.attempts == 2, output
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "reports"
    assert sorted(p.name for p in folder.iterdir()) == [f"job-{job.pk}.xlsx"]
    assert done.size == (folder / f"job-{job.pk}.xlsx").stat().st_size
