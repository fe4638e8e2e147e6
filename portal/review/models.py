"""Review records: the signed opinion of each level, the organisations' seals, each level's ranked
list with its public notice, and the objections lodged against a list."""

import uuid

from django.db import models

from portal.orgs.models import Organisation, User
from portal.programmes.choices import QuotaTarget, ReviewLevel
from portal.programmes.models import Application, ApplicationVersion, Call
from portal.review.chain import Outcome


class Seal(models.Model):
    """An organisation's official seal (公章). Drawn from its name unless its administrator uploaded a
    scan; a replaced seal is kept (retired) because signed opinions point at the seal they carried."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="seals")
    svg = models.TextField(blank=True)
    image_name = models.CharField(max_length=80, blank=True)  # a stored upload (private files)
    content_type = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "公章"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(retired_at__isnull=True), name="seal_one_current_per_org"
            )
        ]

    @property
    def is_uploaded(self) -> bool:
        return bool(self.image_name)


class Opinion(models.Model):
    """One level's signed opinion on one submitted version. Never changed: a new review after a
    return writes a new row on the new version."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="opinions")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="opinions")
    level = models.CharField("层级", max_length=16, choices=ReviewLevel.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="审核单位", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("结论", max_length=16, choices=Outcome.choices)
    text = models.TextField("意见")
    reasons = models.TextField("退回理由", blank=True)
    signer_name = models.CharField("签字人", max_length=50)
    signed_on = models.DateField("签署日期")
    seal = models.ForeignKey(Seal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审核意见"
        ordering = ["created_at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("signed opinions are immutable")
        super().save(*args, **kwargs)


class ListStatus(models.TextChoices):
    OPEN = "open", "拟定中"
    NOTICE = "notice", "公示中"
    SENT = "sent", "已上报"
    PUBLISHED = "published", "已公布"


class RecommendationList(models.Model):
    """A level's list in a call (推荐名单 / 立项名单): ranked entries, optionally publicly noticed,
    then sent up as one batch (or, at the deciding level, published)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="review_lists")
    organisation = models.ForeignKey(Organisation, verbose_name="推荐单位", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("层级", max_length=16, choices=ReviewLevel.choices)
    # A level may send in batches (a late submission after the first list went up): each batch is a list.
    batch = models.PositiveSmallIntegerField("批次", default=1)
    status = models.CharField("状态", max_length=16, choices=ListStatus.choices, default=ListStatus.OPEN)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notice_title = models.CharField("公示标题", max_length=200, blank=True)
    notice_text = models.TextField("公示说明", blank=True)
    notice_starts = models.DateTimeField("公示开始", null=True, blank=True)
    notice_ends = models.DateTimeField("公示结束", null=True, blank=True)
    # A notice run off-line (on paper, on the level's own website) is recorded, not run here: where it
    # was, what came of it, and a scan of the notice. The same rules hold: the full period, then send.
    notice_offline = models.BooleanField("线下公示", default=False)
    notice_where = models.CharField("公示地点或网址", max_length=300, blank=True)
    notice_outcome = models.TextField("公示结果", blank=True)
    notice_scan_name = models.CharField(max_length=200, blank=True)
    notice_scan_stored = models.CharField(max_length=80, blank=True)
    notice_scan_type = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField("上报时间", null=True, blank=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "推荐名单"
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation", "level", "batch"], name="one_list_per_level_batch")
        ]

    @property
    def status_text(self) -> str:
        """The status as a reader should take it today: a notice whose period is over is no longer
        公示中 although the list stays in that state until the level sends it on."""
        from django.utils import timezone

        if self.status == ListStatus.NOTICE and self.notice_ends and self.notice_ends <= timezone.now():
            from portal.review.chain import is_deciding

            return "公示期满，待公布" if is_deciding(self.call, self.level) else "公示期满，待上报"
        return self.get_status_display()

    @property
    def sent_verb(self) -> str:
        return "公布" if self.status == ListStatus.PUBLISHED else "上报"

    def __str__(self) -> str:
        batch = f"第{self.batch}批" if self.batch > 1 else ""
        return f"{self.organisation.name} · {self.get_level_display()}{batch} · {self.call.title}"


class ListEntry(models.Model):
    list = models.ForeignKey(RecommendationList, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="list_entries")
    target = models.CharField(max_length=8, choices=QuotaTarget.choices)
    rank = models.PositiveIntegerField("排序")
    opinion = models.ForeignKey(Opinion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["target", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["list", "application"], name="entry_once_per_list")]


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    HANDLED = "handled", "已处理"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class Objection(models.Model):
    """An objection lodged by anyone (no account) during a list's public notice. The objector's name
    and contact are shown only to the level that handles it."""

    list = models.ForeignKey(RecommendationList, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    contact = models.CharField("联系方式", max_length=100)
    text = models.TextField("异议内容")
    file_name = models.CharField(max_length=200, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING)
    outcome = models.CharField("处理结论", max_length=16, choices=ObjectionOutcome.choices, blank=True)
    handling = models.TextField("处理情况", blank=True)
    # An upheld objection may take its application off the list during the notice.
    removed = models.BooleanField("已从名单中移出", default=False)
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        ordering = ["created_at", "pk"]
