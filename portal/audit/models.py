from django.conf import settings
from django.db import models


class AuditQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused at the ORM too (the database refuses
    UPDATE by trigger, and DELETE on PostgreSQL; see migration 0002)."""

    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # No database FK: entries must outlive the accounts they name, and deleting a user must never
    # turn into an UPDATE of the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    actor_org_name = models.CharField("操作人单位", max_length=200, blank=True)
    # The acting organisation's tree path: an auditor sees the entries of its own subtree.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    changes = models.JSONField("变更（原值 → 新值）", default=dict, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")
