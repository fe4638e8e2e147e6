"""In-app notifications (the notification centre) and each user's e-mail choices."""

from django.db import models

from portal.orgs.models import User


class Kind(models.TextChoices):
    TO_REVIEW = "to_review", "有新的申请待审核"
    RESULT = "result", "审核结果"
    DEADLINE = "deadline", "截止时间提醒"
    OBJECTION = "objection", "公示异议"


# Whether a kind is sent by e-mail when the user has not chosen.
EMAIL_DEFAULT = {Kind.TO_REVIEW: True, Kind.RESULT: True, Kind.DEADLINE: True, Kind.OBJECTION: True}


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Reminders are sent by a periodic task that may run twice: the key makes the second a no-op.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]


class EmailPreference(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once")]
