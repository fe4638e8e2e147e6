from celery import shared_task

from portal.review.services.reminders import send_deadline_reminders


@shared_task(name="review.send_deadline_reminders")
def task_send_deadline_reminders() -> int:
    return send_deadline_reminders()
