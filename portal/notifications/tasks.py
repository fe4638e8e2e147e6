from celery import shared_task
from django.core.mail import send_mail


@shared_task(name="notifications.send_email", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification_email(subject: str, body: str, address: str) -> None:
    # Everything the mail needs travels with the task: it may run before the notification's
    # transaction commits, and a mail server being slow never holds up the request.
    send_mail(subject, body, None, [address])
