from celery import shared_task

from evaluation.outcomes import escalate_overdue


@shared_task(name="evaluation.daily_sweep")
def task_daily_sweep() -> dict:
    """Rectifications past their date escalated once; monthly reports reminded (beat, every morning)."""
    from evaluation.monthly import remind_missing

    return {"escalated": escalate_overdue(), "reminded": remind_missing()}
