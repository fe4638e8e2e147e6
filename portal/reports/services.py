"""Asking for a report, rendering it (the Celery task calls render_job), sweeping stale jobs."""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.addresses import portal_base_url
from portal.core.exceptions import ServiceError
from portal.reports import liveness
from portal.reports.kinds import CONTENT_TYPES, KINDS, RenderContext
from portal.reports.masking import Masker
from portal.reports.models import JobStatus, ReportJob

MAX_ATTEMPTS = 3


def storage_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(user, kind: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([user.pk, kind, params], sort_keys=True).encode()).hexdigest()


def request_report(
    *, actor, kind: str, pk: int, base_url: str = "", regenerate: bool = False
) -> tuple[ReportJob, bool]:
    """Returns (job, created). A job of the same request is reused while it is queued, running or done
    (not expired) and the state it draws is unchanged; a changed state, or `regenerate`, renders anew."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ServiceError("没有这种报表。")
    if not actor.has_perm(spec.permission):
        raise ServiceError("您没有生成此报表的权限。")
    obj = spec.load(actor, pk)  # 404 outside the requester's scope
    params = {spec.param: obj.pk}
    key = _key(actor, kind, params)
    base_url = portal_base_url(base_url)
    current = spec.state(actor, obj, base_url)
    now = timezone.now()
    with transaction.atomic():
        existing = (
            ReportJob.objects.select_for_update()
            .filter(request_key=key, requested_by=actor, state_hash=current)
            .exclude(status=JobStatus.FAILED)
            .order_by("-pk")
            .first()
        )
        if existing and not regenerate and not (existing.expires_at and existing.expires_at <= now):
            return existing, False
        job = ReportJob.objects.create(
            kind=kind,
            params=params,
            request_key=key,
            requested_by=actor,
            title=spec.title(obj),
            state_hash=current,
            state_at=now,
            base_url=base_url,
        )
        log_action(
            "reports.request",
            actor=actor,
            obj=job,
            data={"kind": kind, "params": params, "state": current, "regenerate": regenerate},
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job, True


def enqueue(job_id: int) -> None:
    from portal.reports.tasks import render_report

    render_report.delay(job_id)


def render_job(job_id: int, *, heartbeat: bool = False) -> ReportJob | None:
    """Renders one job. Safe to run twice: a finished job, or one a live worker is rendering, is left
    alone, and the file is written under the job's own name through a temporary file, so a rerun
    replaces it (never a second file). `heartbeat` beats from a thread while rendering (in a worker;
    a job rendered in the requesting process needs no one to notice its death)."""
    worker = liveness.me()
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == JobStatus.DONE or liveness.alive_elsewhere(job):
            return job
        if job.attempts >= MAX_ATTEMPTS:
            job.status, job.error = JobStatus.FAILED, "多次尝试仍未完成，请重新申请。"
            job.save(update_fields=["status", "error"])
            return job
        job.status, job.attempts, job.progress, job.worker = JobStatus.RUNNING, job.attempts + 1, 0, worker
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "progress", "started_at", "heartbeat_at", "worker"])
    spec = KINDS[job.kind]
    user = job.requested_by

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=percent, heartbeat_at=timezone.now())

    final = storage_dir() / f"job-{job.pk}.{spec.extension}"
    partial = final.with_suffix(final.suffix + ".part")
    try:
        obj = spec.load(user, job.params[spec.param])
        # The state is read again just before drawing: the file reflects it, not the one at request
        # time, and a later request compares with what the file really shows.
        drawn, drawn_at = spec.state(user, obj, job.base_url), timezone.now()
        with liveness.Heartbeat(job.pk, worker) if heartbeat else nullcontext(), partial.open("wb") as out:
            spec.render(RenderContext(user, Masker(user), progress, job.base_url), obj, out)
        os.replace(partial, final)
    except Exception as error:  # the job row records every failure in the user's language
        partial.unlink(missing_ok=True)
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=f"生成失败：{error}")
        log_action("reports.failed", actor=user, obj=job, data={"error": str(error)[:500]})
        raise
    # Hashed in blocks: a call's ZIP of PDFs can run to gigabytes.
    with final.open("rb") as produced:
        digest = hashlib.file_digest(produced, "sha256").hexdigest()
    finished = timezone.now()
    name = f"{job.title}.{spec.extension}"
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        stored_name=final.name,
        file_name=name,
        content_type=CONTENT_TYPES[spec.extension],
        size=final.stat().st_size,
        sha256=digest,
        state_hash=drawn,
        state_at=drawn_at,
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.PORTAL_REPORT_TTL_HOURS),
    )
    job.refresh_from_db()
    # Every export is in the audit log, with the digest of what was produced.
    log_action(
        "reports.export",
        actor=user,
        obj=job,
        data={"kind": job.kind, "params": job.params, "sha256": job.sha256, "size": job.size},
    )
    return job


def sweep(now=None) -> dict:
    """Requeues jobs whose worker is gone (killed mid-render) and queued jobs no worker ever took
    (a lost message), and deletes expired files. The last resort: workers starting up and status
    requests notice a dead worker first (liveness.py)."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.PORTAL_REPORT_STALE_MINUTES)
    requeued = liveness.recover_orphans()
    for job in ReportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale):
        if liveness.put_back(job, force=True):
            requeued.append(job.pk)
    for job in ReportJob.objects.filter(status=JobStatus.QUEUED, heartbeat_at__isnull=True, created_at__lt=stale):
        enqueue(job.pk)
        requeued.append(job.pk)
    expired = 0
    for job in ReportJob.objects.filter(status=JobStatus.DONE, expires_at__lte=now).exclude(stored_name=""):
        (storage_dir() / job.stored_name).unlink(missing_ok=True)
        ReportJob.objects.filter(pk=job.pk).update(stored_name="")
        expired += 1
    return {"requeued": requeued, "expired": expired}
