from celery import shared_task

from portal.projects.services import daily_sweep


@shared_task(name="projects.daily_sweep")
def task_daily_sweep() -> dict:
    return daily_sweep()
