from celery import shared_task

from portal.reports.services import render_job, sweep


# acks_late + reject_on_worker_lost (settings): a worker SIGKILLed mid-render leaves the message to be
# delivered again; render_job is idempotent on the job row.
@shared_task(name="reports.render", acks_late=True, reject_on_worker_lost=True)
def render_report(job_id: int) -> str:
    job = render_job(job_id)
    return job.status if job else "missing"


@shared_task(name="reports.sweep")
def sweep_reports() -> dict:
    return sweep()
