"""Performance indicators (绩效目标表): the table's header and its indicator tree with typed targets
and the actual values recorded during the project."""

from django.db import models

from portal.programmes.models import Project


class IndicatorKind(models.TextChoices):
    QUANTITY = "quantity", "数量"
    PERCENT = "percent", "百分比"
    DATE = "date", "日期"
    TEXT = "text", "定性描述"


class Comparator(models.TextChoices):
    GE = "ge", "≥"
    LE = "le", "≤"
    GT = "gt", ">"
    LT = "lt", "<"
    EQ = "eq", "="


class PerformanceTable(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="performance")
    name = models.CharField("项目名称", max_length=200)
    undertaker = models.CharField("项目承担单位", max_length=200)
    supervisor = models.CharField("市级业务主管部门", max_length=200)
    attribute = models.CharField("项目申报属性", max_length=50, default="新增安排")
    project_type = models.CharField("项目类型", max_length=50, default="专项资金")
    period = models.CharField("项目实施周期", max_length=50)
    content = models.TextField("支出内容")
    basis = models.TextField("政策依据")
    goal = models.TextField("实施周期绩效目标")
    filler = models.CharField("填报人", max_length=50, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "绩效目标表"


class Indicator(models.Model):
    table = models.ForeignKey(PerformanceTable, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField("序号")
    level1 = models.CharField("一级指标", max_length=50)
    level2 = models.CharField("二级指标", max_length=50)
    name = models.CharField("三级指标", max_length=200)
    kind = models.CharField("目标类型", max_length=10, choices=IndicatorKind.choices)
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices, default=Comparator.GE)
    target_number = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    target_date = models.DateField("目标日期", null=True, blank=True)
    target_text = models.CharField("目标描述", max_length=200, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    actual_number = models.DecimalField("实际值", max_digits=14, decimal_places=4, null=True, blank=True)
    actual_date = models.DateField("实际日期", null=True, blank=True)
    actual_text = models.TextField("实际情况", blank=True)
    verdict = models.BooleanField("评审判定", null=True, blank=True, help_text="定性指标由审核人判定是否达成。")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "绩效指标"
        ordering = ["table", "number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="indicator_unique_number")]
