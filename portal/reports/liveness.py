"""Whether the worker rendering a job is still there, and putting a job back when it is not.

A rendering process records who it is (host:pid) on the job and beats every HEARTBEAT_SECONDS from a
thread of its own, whatever the render is doing. A job whose worker is gone — its process no longer
exists on this host, or its heartbeat is silent past PORTAL_REPORT_SILENT_SECONDS — is put back in
the queue by whoever notices first: a worker starting up, anyone asking for the job's status, or
the beat sweep. The broker redelivers an unacknowledged message after its visibility timeout, set
to a few silent periods (settings.py); a redelivery of a job that is alive elsewhere is a no-op."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from portal.reports.models import JobStatus, ReportJob

HEARTBEAT_SECONDS = 5


def me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def silent_since():
    return timezone.now() - timedelta(seconds=settings.PORTAL_REPORT_SILENT_SECONDS)


def _process_gone(worker: str) -> bool:
    """True only when the worker ran on this host and its process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed process whose parent died too stays a zombie until the init process reaps it, which
    some sandboxes' init does late: it still answers kill(pid, 0) but renders nothing."""
    try:
        stat = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def is_orphaned(job: ReportJob) -> bool:
    if job.status != JobStatus.RUNNING:
        return False
    if job.worker and _process_gone(job.worker):
        return True
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return False  # rendered inside the requesting process, which beats no heart: only its death counts
    return job.heartbeat_at is None or job.heartbeat_at < silent_since()


def alive_elsewhere(job: ReportJob) -> bool:
    """A running job another live worker is rendering: a second delivery must leave it alone."""
    return job.status == JobStatus.RUNNING and job.worker != me() and not is_orphaned(job)


def put_back(job: ReportJob, *, force: bool = False) -> bool:
    """Requeues an orphaned job (any running job, with `force`: the sweep's long silence); of
    several who notice at once, exactly one succeeds."""
    from portal.audit.services import log_action
    from portal.reports.services import enqueue

    if not (is_orphaned(job) or (force and job.status == JobStatus.RUNNING)):
        return False
    taken = ReportJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, worker=job.worker, heartbeat_at=job.heartbeat_at
    ).update(status=JobStatus.QUEUED)
    if taken:
        log_action(
            "reports.recover",
            actor_username="system",
            obj=job,
            data={"worker": job.worker, "heartbeat_at": job.heartbeat_at, "attempts": job.attempts},
        )
        enqueue(job.pk)
    return bool(taken)


def recover_orphans() -> list[int]:
    """Every orphaned running job, put back (a worker calls this when it starts)."""
    return [job.pk for job in ReportJob.objects.filter(status=JobStatus.RUNNING) if put_back(job)]


class Heartbeat:
    """Beats for one job from a daemon thread until the block ends; the thread has its own database
    connection and closes it."""

    def __init__(self, job_id: int, worker: str):
        self.job_id, self.worker = job_id, worker
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                try:
                    ReportJob.objects.filter(pk=self.job_id, worker=self.worker, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    pass  # one missed beat is not a death; the next one may get through
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=HEARTBEAT_SECONDS * 2)
        return False
