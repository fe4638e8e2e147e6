from celery import shared_task
from celery.signals import worker_ready

from portal.reports.liveness import recover_orphans
from portal.reports.services import render_job, sweep


# acks_late + reject_on_worker_lost (settings): a worker SIGKILLed mid-render leaves the message to be
# delivered again; render_job is idempotent on the job row.
@shared_task(name="reports.render", acks_late=True, reject_on_worker_lost=True, bind=True)
def render_report(self, job_id: int) -> str:
    job = render_job(job_id, heartbeat=not self.request.is_eager)
    return job.status if job else "missing"


@worker_ready.connect
def recover_on_start(**_kwargs) -> None:
    """A worker starting (say, the one restarted after a crash) puts back jobs whose worker is gone."""
    recover_orphans()


@shared_task(name="reports.sweep")
def sweep_reports() -> dict:
    return sweep()
