"""Progress reports (进展报告): due ones are generated from the call's cadence; the project files
them, the levels above read, comment and return; one may be marked not needed with a reason."""

from django.db import models

from portal.orgs.models import User
from portal.programmes.models import Project


class ReportStatus(models.TextChoices):
    DUE = "due", "待报送"
    FILED = "filed", "已报送"
    RETURNED = "returned", "退回修改"
    READ = "read", "已阅"
    NOT_NEEDED = "not_needed", "无需报送"


REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "file": (frozenset({ReportStatus.DUE, ReportStatus.RETURNED}), ReportStatus.FILED),
    "read": (frozenset({ReportStatus.FILED}), ReportStatus.READ),
    "return": (frozenset({ReportStatus.FILED}), ReportStatus.RETURNED),
    "waive": (frozenset({ReportStatus.DUE, ReportStatus.RETURNED}), ReportStatus.NOT_NEEDED),
}


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    title = models.CharField("报告期", max_length=50)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    due_on = models.DateField("报送期限", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DUE, db_index=True
    )
    text = models.TextField("进展情况", blank=True)
    figures = models.JSONField("数据摘要", default=dict, blank=True)
    comment = models.TextField("审阅意见", blank=True)
    waiver_reason = models.CharField("无需报送理由", max_length=300, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "进展报告"
        ordering = ["project", "period_start"]
        constraints = [models.UniqueConstraint(fields=["project", "period_start"], name="report_one_per_period")]


class FilingStatus(models.TextChoices):
    FILED = "filed", "已报备"
    ACKNOWLEDGED = "acknowledged", "已备案"
    RETURNED = "returned", "退回修改"


FILING_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({FilingStatus.FILED}), FilingStatus.ACKNOWLEDGED),
    "return": (frozenset({FilingStatus.FILED}), FilingStatus.RETURNED),
}

# The 实施方案's headings, with the character limit of each (the national notice's 实施方案 parts).
PLAN_SECTIONS = (
    ("goals", "工作目标", 1500),
    ("content", "主要内容与举措", 5000),
    ("steps", "实施步骤与进度安排", 3000),
    ("safeguards", "保障措施", 2000),
)


class ImplementationPlan(models.Model):
    """One filed version of the project's 实施方案 (备案). Each filing is a new immutable version; the
    level above acknowledges it (备案) or returns it with reasons, and the project files again."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="implementation_plans")
    number = models.PositiveIntegerField("版本")
    sections = models.JSONField("内容")
    status = models.CharField("状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.FILED)
    filed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "实施方案"
        ordering = ["project", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="implementation_plan_version")]


class ProjectFile(models.Model):
    """A file a project filed: an attachment of an 实施方案 version or of a progress report."""

    plan = models.ForeignKey(ImplementationPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "项目文件"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=True) ^ models.Q(report__isnull=True), name="projectfile_one_owner"
            )
        ]
