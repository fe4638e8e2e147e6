"""A real Celery worker on Redis is SIGKILLed in the middle of a report: the job still completes,
with its attempts counted and exactly one file — when only the rendering process dies, when the
whole worker dies and another starts, and when the whole worker dies and someone asks for the
status. No beat runs in any of them: recovery is within a minute, not the sweep's ten."""

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
from django.urls import reverse

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


def needs_services(test):
    """A real worker on Redis and PostgreSQL; tasks of this process go to the broker too."""
    on_services = os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")
    return pytest.mark.services(
        pytest.mark.skipif(not on_services, reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL")(test)
    )


@pytest.fixture
def big_job(transactional_db):
    """A province summary of 3,000 applications: long enough to be killed in the middle of."""
    call_command("load_demo", stdout=StringIO())
    call_command("seed_scale", "--schools", "3000", "--applications", "3000", stdout=StringIO())
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    return ReportJob.objects.create(
        kind="province_summary",
        params={"call": call.pk},
        request_key="kill-test",
        requested_by=User.objects.get(username="gx_province"),
        title="申报汇总表",
    )


@pytest.fixture
def start_worker(settings):
    """start_worker(queue) → a Celery worker process (its own session, so it can be killed whole)
    on this test's database, consuming `queue`, which is also its default queue."""
    started = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "PORTAL_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }

    def start(queue):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={**env, "PORTAL_CELERY_QUEUE": queue},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.terminate()
        worker.communicate(timeout=60)


def _kill_whole(worker) -> None:
    """SIGKILL to the worker and its pool at once: nothing is left to reject the message."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def _taken_up_again(job, dead_worker: str) -> bool:
    """Recovered: a second attempt is under way in another process (rendering then takes its time)."""
    return ReportJob.objects.filter(pk=job.pk, attempts=2).exclude(worker=dead_worker).exclude(status="queued").exists()


def _one_file(settings, job):
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "reports"
    assert sorted(p.name for p in folder.iterdir()) == [f"job-{job.pk}.xlsx"]
    assert job.size == (folder / f"job-{job.pk}.xlsx").stat().st_size


@needs_services
def test_a_new_worker_puts_back_the_job_of_a_killed_one(big_job, start_worker, settings):
    job, queue = big_job, f"test-{uuid.uuid4().hex[:8]}"
    first = start_worker(queue)
    render_report.apply_async((job.pk,), queue=queue)
    _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0).exists())
    _kill_whole(first)
    killed_at = time.monotonic()
    dead = ReportJob.objects.get(pk=job.pk)
    assert dead.status == "running"
    start_worker(queue)  # the restarted worker notices at start-up
    _wait(lambda: _taken_up_again(job, dead.worker), timeout=60)
    assert time.monotonic() - killed_at < 60  # recovered within a minute, without beat
    done = _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="done").first(), timeout=300)
    assert done.attempts == 2
    _one_file(settings, done)


@needs_services
def test_asking_for_the_status_puts_back_the_job_of_a_killed_worker(
    big_job, start_worker, settings, client, monkeypatch
):
    from portal.reports import services

    job, queue = big_job, f"test-{uuid.uuid4().hex[:8]}"
    first, second = f"{queue}-a", f"{queue}-b"
    start_worker(second)  # a worker that stays alive, on another queue
    dying = start_worker(first)
    # Put-backs from this process go to the surviving worker's queue.
    monkeypatch.setattr(services, "enqueue", lambda pk: render_report.apply_async((pk,), queue=second))
    render_report.apply_async((job.pk,), queue=first)
    _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0).exists())
    _kill_whole(dying)
    killed_at = time.monotonic()
    dead = ReportJob.objects.get(pk=job.pk)
    client.force_login(job.requested_by)
    deadline = time.monotonic() + 60
    while not _taken_up_again(job, dead.worker) and time.monotonic() < deadline:
        client.get(reverse("reports:status", args=[job.pk]))  # the download centre polls like this
        time.sleep(0.5)
    assert _taken_up_again(job, dead.worker) and time.monotonic() - killed_at < 60
    done = _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="done").first(), timeout=300)
    assert client.get(reverse("reports:status", args=[job.pk])).json()["status"] == "done"
    assert done.attempts == 2
    _one_file(settings, done)


@needs_services
def test_a_report_survives_its_worker_being_killed(big_job, start_worker, settings):
    """Only the rendering process dies; the worker's main process rejects the message at once."""
    job = big_job
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue)
    render_report.apply_async((job.pk,), queue=queue)
    _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0).exists())
    child = _wait(lambda: _children(worker.pid))[0]
    os.kill(child, signal.SIGKILL)  # the process rendering the report dies mid-file
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1
    done = _wait(lambda: ReportJob.objects.filter(pk=job.pk, status="done").first())
    assert done.attempts == 2
    _one_file(settings, done)
