"""Expert review: the pool, panels (专家组) with a leader, rubrics, assignments and score sheets."""

from django.db import models

from portal.orgs.models import Organisation, User
from portal.programmes.choices import ApplicantKind
from portal.programmes.models import Application, Call


class Expert(models.Model):
    """A registered expert: the account (role 评审专家), field, and the region used for 回避."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="expert")
    field = models.CharField("专业领域", max_length=100)
    # Printed in a 专家指导意见建议表 (姓名 · 性别 · 电话), as the paper form asks.
    gender = models.CharField("性别", max_length=2, choices=[("男", "男"), ("女", "女")], blank=True)
    region = models.ForeignKey(
        Organisation,
        verbose_name="所在地市",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="回避：不评审本单位及本地市的申请。",
    )
    province = models.ForeignKey(Organisation, verbose_name="所属专家库", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("在库", default=True)
    registered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评审专家"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.user.real_name or self.user.get_username()


class Rubric(models.Model):
    """The score sheet of a call for one applicant kind; an application's score is the weighted sum."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="rubrics")
    applicant_kind = models.CharField("申报类别", max_length=16, choices=ApplicantKind.choices)
    name = models.CharField("评分表名称", max_length=100)

    class Meta:
        verbose_name = "评分表"
        constraints = [models.UniqueConstraint(fields=["call", "applicant_kind"], name="one_rubric_per_kind")]

    def __str__(self) -> str:
        return self.name


class CriterionFields(models.Model):
    """One item of a score sheet: a call's rubric (Criterion) or an evaluation round's (RoundCriterion);
    experts.scoring reads either the same way."""

    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("评分项", max_length=200)
    guidance = models.TextField("评分要点", blank=True)
    max_points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    weight = models.DecimalField("权重", max_digits=4, decimal_places=2, default=1)

    class Meta:
        abstract = True


class Criterion(CriterionFields):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")

    class Meta:
        ordering = ["rubric", "number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="criterion_unique_number")]


class PanelStatus(models.TextChoices):
    OPEN = "open", "评审中"
    CLOSED = "closed", "已结束"


class Panel(models.Model):
    """专家组: experts of one call (and category), led by a group leader."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="panels")
    name = models.CharField("专家组名称", max_length=100)
    category = models.PositiveSmallIntegerField(
        "实验类别序号", null=True, blank=True, help_text="留空表示评审本批次全部类别。"
    )
    applicant_kind = models.CharField("申报类别", max_length=16, choices=ApplicantKind.choices, blank=True)
    leader = models.ForeignKey(Expert, verbose_name="组长", on_delete=models.PROTECT, related_name="led_panels")
    members = models.ManyToManyField(Expert, verbose_name="成员", related_name="panels")
    experts_per_application = models.PositiveSmallIntegerField("每份申请评审专家数", default=3)
    outlier_margin = models.DecimalField("离群提示阈值（分）", max_digits=6, decimal_places=2, default=15)
    status = models.CharField("状态", max_length=8, choices=PanelStatus.choices, default=PanelStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "专家组"
        ordering = ["call", "pk"]

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待评审"
    CONFLICT = "conflict", "已申请回避"
    SUBMITTED = "submitted", "已提交"


class Assignment(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="expert_assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        "状态", max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    conflict_reason = models.CharField("回避理由", max_length=300, blank=True)
    scores = models.JSONField("各项得分与意见", default=dict, blank=True)  # {criterion number: {points, comment}}
    comment = models.TextField("总体意见", blank=True)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评审任务"
        ordering = ["panel", "application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="assign_expert_once")]
