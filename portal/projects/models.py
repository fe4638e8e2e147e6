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
    status = models.CharField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DUE,
                              db_index=True)
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
