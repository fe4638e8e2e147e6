from celery import shared_task

from portal.accounts.services import clear_expired_sessions


@shared_task(name="accounts.clear_expired_sessions")
def task_clear_expired_sessions() -> int:
    return clear_expired_sessions()
