import json
from functools import cached_property

from django.db import models


class FormSchema(models.Model):
    """One version of one official form's definition, as stored JSON.

    An application points at the row it was filled with; the code's registry may move on to a
    new version, but the stored definition never changes (the sha256 is checked on sync)."""

    key = models.CharField("表单标识", max_length=40)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("表单名称", max_length=200)
    # Text, not JSONField: PostgreSQL's jsonb reorders object keys, and a definition's order is
    # its meaning (field order, and computed cells that use earlier ones).
    source = models.TextField("定义（JSON）")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # A definition a province (or the ministry) published on the pages; empty for the portal's own
    # files (fixtures/forms/), whose stored copies only guard them against silent change.
    owner = models.ForeignKey("orgs.Organisation", verbose_name="发布单位", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = "申请表定义"
        verbose_name_plural = "申请表定义"
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="formschema_key_version")]
        ordering = ["key", "-version"]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"

    @cached_property
    def definition(self) -> dict:
        return json.loads(self.source)
