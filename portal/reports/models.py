"""Report jobs of record: who asked for what, its state, and the file it produced. The row, not the
broker, is the truth: a worker that dies mid-render leaves a row the sweep puts back in the queue."""

from django.db import models

from portal.orgs.models import User


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ReportJob(models.Model):
    kind = models.CharField("报表", max_length=40)
    params = models.JSONField("参数", default=dict)
    # The same request (same user, kind, parameters) while the state it draws is unchanged returns the
    # existing job; a changed state renders anew (see state.py).
    request_key = models.CharField(max_length=64, db_index=True)
    state_hash = models.CharField("状态指纹", max_length=64, blank=True)
    state_at = models.DateTimeField("所反映状态的时间", null=True, blank=True)
    # Links printed in the file (verification codes) point here: the portal's address as asked.
    base_url = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="report_jobs")
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("错误", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField("生成进程", max_length=200, blank=True)  # host:pid of the rendering process
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)

    class Meta:
        verbose_name = "报表任务"
        ordering = ["-created_at", "-pk"]


class IssuedDocument(models.Model):
    """A printed document the portal issued: its short code and QR lead to a public page that says
    what was issued, so a paper copy can be checked against the record."""

    code = models.CharField("核验码", max_length=16, unique=True)
    kind = models.CharField("文件", max_length=40)
    title = models.CharField("名称", max_length=200)
    application = models.ForeignKey("programmes.Application", null=True, on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField("版本", null=True)
    version_sha256 = models.CharField("内容哈希", max_length=64, blank=True)
    # What the document carried, so that the verification page can say it: each opinion box's level,
    # label, conclusion, signer, date and seal, and the digest of the file as issued.
    opinions = models.JSONField("所载意见", default=list, blank=True)
    file_sha256 = models.CharField("文件哈希", max_length=64, blank=True)
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)
    issued_to = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "出具文件"
