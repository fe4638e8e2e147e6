"""The Guangdong resource-platform pilot's monthly report (试点月报) and the showcase of typical cases
and teaching models (示范推广)."""

from django.db import models

from portal.orgs.models import User
from portal.programmes.models import Project

# The figures a monthly report states: field, label (the Guangdong plan's usage figures).
MONTHLY_FIGURES = (
    ("active_teachers", "活跃教师数"),
    ("active_students", "活跃学生数"),
    ("active_parents", "活跃家长数"),
    ("lessons", "使用平台资源授课节数"),
    ("activities", "开展活动次数"),
    ("resources_shared", "共享资源数"),
)


class MonthlyReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="monthly_reports")
    month = models.DateField("月份", help_text="该月第一天")
    active_teachers = models.PositiveIntegerField("活跃教师数")
    active_students = models.PositiveIntegerField("活跃学生数")
    active_parents = models.PositiveIntegerField("活跃家长数")
    lessons = models.PositiveIntegerField("使用平台资源授课节数")
    activities = models.PositiveIntegerField("开展活动次数")
    resources_shared = models.PositiveIntegerField("共享资源数")
    problems = models.TextField("存在问题", blank=True)
    filed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "试点月报"
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="monthly_once")]


class ShowcaseCategory(models.TextChoices):
    CASE = "case", "典型案例"
    MODEL = "model", "教学模式"
    RESOURCE = "resource", "优质资源"


class ShowcaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "待遴选"
    SELECTED = "selected", "已入选"
    DECLINED = "declined", "未入选"


class ShowcaseItem(models.Model):
    """A typical case or teaching model a project submits; the province selects it for the public page.
    Nothing personal is stored: the public page names the project and its organisation only."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="showcase_items")
    title = models.CharField("标题", max_length=100)
    category = models.CharField("类别", max_length=10, choices=ShowcaseCategory.choices)
    stage = models.CharField("学段", max_length=10)
    subject = models.CharField("学科", max_length=20)
    summary = models.TextField("简介")
    video_url = models.URLField("视频链接", blank=True)
    file_name = models.CharField("附件", max_length=200, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField("状态", max_length=10, choices=ShowcaseStatus.choices, default=ShowcaseStatus.SUBMITTED)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    selected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "示范推广案例"
        ordering = ["-submitted_at", "-pk"]
