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
    owner = models.ForeignKey(
        "orgs.Organisation", verbose_name="发布单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

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


class FormDraft(models.Model):
    """A definition a province (or the ministry) is editing in the browser, derived from a published one.

    Saved as typed, problems and all, so that nothing is lost between sessions; published as a new
    immutable FormSchema version once it passes the checks. `revision` is the optimistic lock: a save
    names the revision it started from, and two editors never silently overwrite each other."""

    owner = models.ForeignKey("orgs.Organisation", verbose_name="发布单位", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("表单标识", max_length=40)
    base_key = models.CharField("派生自", max_length=40)
    base_version = models.PositiveIntegerField("派生自版本")
    source = models.TextField("定义（JSON）")
    revision = models.PositiveIntegerField(default=1)
    published_as = models.ForeignKey(FormSchema, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("orgs.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey("orgs.User", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("最近保存", auto_now=True)

    class Meta:
        verbose_name = "表单定义草稿"
        verbose_name_plural = "表单定义草稿"
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.definition.get('title', self.key)}（草稿）"

    @property
    def definition(self) -> dict:
        return json.loads(self.source)
