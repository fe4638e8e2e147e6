"""A job records the worker that renders it; a status request,
a worker starting up, or the sweep puts back a job whose worker process is gone or whose heartbeat
is silent; a job alive elsewhere is never rendered twice. The real worker kill is in
tests/reports/test_worker_kill.py."""

import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.reports import liveness, services
from portal.reports.models import ReportJob
from portal.reports.tasks import recover_on_start


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def running(calls, school_user, submitted, django_capture_on_commit_callbacks):
    """A job as a dead worker left it: running, with a worker name and a heartbeat."""
    application = submitted(school_user, calls.guangxi)

    def make(worker, heartbeat_age=timedelta(0)):
        job = ReportJob.objects.create(
            kind="application_pdf",
            params={"application": application.pk},
            request_key=f"k{worker}",
            requested_by=school_user,
            title="申请表",
            status="running",
            attempts=1,
            worker=worker,
            heartbeat_at=timezone.now() - heartbeat_age,
        )
        return job

    return make


def test_a_rendered_job_records_its_worker(calls, school_user, submitted, django_capture_on_commit_callbacks):
    application = submitted(school_user, calls.guangxi)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.request_report(actor=school_user, kind="application_pdf", pk=application.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.worker == liveness.me()


def test_asking_for_the_status_puts_back_a_job_whose_process_is_gone(
    running, client, school_user, django_capture_on_commit_callbacks
):
    job = running(f"{socket.gethostname()}:{_dead_pid()}")
    client.force_login(school_user)
    response = client.get(reverse("reports:status", args=[job.pk]))
    job.refresh_from_db()
    # Embedded mode renders the requeued job at once; with a broker it would be "queued" here.
    assert response.status_code == 200 and job.status == "done" and job.attempts == 2
    assert job.worker == liveness.me()


def test_the_api_status_puts_it_back_too(running, client, school_user):
    job = running(f"{socket.gethostname()}:{_dead_pid()}")
    client.force_login(school_user)
    assert client.get(reverse("api:report_detail", args=[job.pk])).json()["status"] == "done"


def test_a_silent_heartbeat_from_another_host_is_a_dead_worker(running, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # with a broker: silence means death
    fresh = running("other-host:123", timedelta(seconds=settings.PORTAL_REPORT_SILENT_SECONDS - 5))
    silent = running("other-host:456", timedelta(seconds=settings.PORTAL_REPORT_SILENT_SECONDS + 1))
    assert not liveness.is_orphaned(fresh) and liveness.is_orphaned(silent)
    assert liveness.alive_elsewhere(fresh) and not liveness.alive_elsewhere(silent)


def test_a_second_delivery_leaves_a_job_alive_elsewhere_alone(running, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    job = running("other-host:123")
    services.render_job(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1 and job.worker == "other-host:123"


def test_of_two_who_notice_only_one_puts_it_back(running, monkeypatch):
    enqueued = []
    monkeypatch.setattr(services, "enqueue", enqueued.append)
    job = running(f"{socket.gethostname()}:{_dead_pid()}")
    stale_copy = ReportJob.objects.get(pk=job.pk)
    assert liveness.put_back(job) is True
    assert liveness.put_back(stale_copy) is False
    assert enqueued == [job.pk] and ReportJob.objects.get(pk=job.pk).status == "queued"


def test_a_worker_starting_up_puts_back_orphans(running, monkeypatch):
    enqueued = []
    monkeypatch.setattr(services, "enqueue", enqueued.append)
    orphan = running(f"{socket.gethostname()}:{_dead_pid()}")
    alive = running(liveness.me())
    recover_on_start()
    assert enqueued == [orphan.pk] and ReportJob.objects.get(pk=alive.pk).status == "running"


def test_the_heartbeat_beats_from_its_own_thread(transactional_db, tree, role_users, monkeypatch):
    from portal.orgs.choices import Role

    monkeypatch.setattr(liveness, "HEARTBEAT_SECONDS", 0.05)
    old = timezone.now() - timedelta(hours=1)
    job = ReportJob.objects.create(
        kind="application_pdf",
        params={},
        request_key="hb",
        title="x",
        requested_by=role_users[Role.SCHOOL_APPLICANT],
        status="running",
        worker=liveness.me(),
        heartbeat_at=old,
    )
    with liveness.Heartbeat(job.pk, liveness.me()):
        time.sleep(0.5)
    job.refresh_from_db()
    assert job.heartbeat_at > old + timedelta(minutes=59)


def test_the_broker_redelivers_after_a_few_silent_periods(settings):
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 4 * settings.PORTAL_REPORT_SILENT_SECONDS
    assert settings.PORTAL_REPORT_SILENT_SECONDS <= 30


def test_a_killed_renderer_left_as_a_zombie_counts_as_gone():
    """A worker killed whole leaves its pool child a zombie until init reaps it; some sandboxes' init
    reaps late, and kill(pid, 0) still answers for a zombie. Seen here: a new worker started 1.3 s after
    the kill took the dead job for alive."""
    import os
    import socket
    import subprocess
    import time

    from portal.reports.liveness import _process_gone

    child = subprocess.Popen(["sleep", "30"])
    os.kill(child.pid, 9)
    deadline = time.monotonic() + 10
    while open(f"/proc/{child.pid}/stat").read().rpartition(")")[2].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert _process_gone(f"{socket.gethostname()}:{child.pid}")  # not yet reaped, yet gone
    child.wait()
    assert _process_gone(f"{socket.gethostname()}:{child.pid}")
    assert not _process_gone(f"{socket.gethostname()}:{os.getpid()}")
