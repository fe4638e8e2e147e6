"""A project's money and work: the spending plan (用款方案) with its budget lines, adjustments (调整)
and expenditure (支出); the staged schedule with milestones; the task list (任务清单)."""

from django.db import models

from budgets.choices import AdjustmentStatus, MilestoneStatus, PlanStatus
from portal.orgs.models import Organisation, User
from portal.programmes.models import Call, Project

MONEY = {"max_digits": 14, "decimal_places": 4}


class BudgetShare(models.Model):
    """A call's prescribed split of every grant: a category of line and its percentage or amount."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="budget_shares")
    number = models.PositiveSmallIntegerField("序号")
    category = models.CharField("资金投入方向", max_length=100)
    percent = models.DecimalField("占比（%）", max_digits=7, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField("金额（万元）", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "预算结构"
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "category"], name="budgetshare_unique_category"),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) ^ models.Q(amount__isnull=True),
                name="budgetshare_percent_xor_amount",
            ),
        ]


class SpendingPlan(models.Model):
    """One project's 用款方案: the grant, where it comes from, and its lines. Frozen once approved;
    only an approved adjustment changes a line's amount after that."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="spending_plan")
    grant = models.DecimalField("下达资金（万元）", **MONEY)
    source = models.CharField("资金来源（文号）", max_length=200, help_text="如：粤财科教〔2021〕68号")
    goal = models.TextField("工作目标", blank=True)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    lock_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("最近保存", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("批复时间", null=True, blank=True)

    class Meta:
        verbose_name = "用款方案"

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class BudgetLine(models.Model):
    plan = models.ForeignKey(SpendingPlan, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveSmallIntegerField("序号")
    category = models.CharField("资金投入方向", max_length=100)
    purpose = models.CharField("项目", max_length=200)
    explanation = models.TextField("说明", blank=True)
    unit_cost = models.DecimalField("单价（万元）", **MONEY)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit = models.CharField("单位", max_length=20)
    amount = models.DecimalField("金额（万元）", **MONEY)

    class Meta:
        verbose_name = "预算项目"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="budgetline_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.purpose}"


class PlanDecision(models.Model):
    """The approving level's signed opinion on a submitted plan or an adjustment (审批意见 with seal)."""

    plan = models.ForeignKey(SpendingPlan, on_delete=models.PROTECT, related_name="decisions")
    adjustment = models.ForeignKey(
        "Adjustment", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    approve = models.BooleanField("同意")
    text = models.TextField("审批意见")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("签字人", max_length=50)
    signed_on = models.DateField("签署日期")
    seal = models.ForeignKey("review.Seal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审批意见"
        ordering = ["created_at", "pk"]


class Adjustment(models.Model):
    """A change of line amounts after approval (调整): new amounts per line, with the reason."""

    plan = models.ForeignKey(SpendingPlan, on_delete=models.PROTECT, related_name="adjustments")
    reason = models.TextField("调整理由")
    changes = models.JSONField("调整内容", help_text="{line id: [原金额, 新金额]}，金额为字符串")
    status = models.CharField("状态", max_length=16, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "预算调整"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(status="pending"), name="adjustment_one_pending"
            )
        ]


class Expenditure(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenditures")
    spent_on = models.DateField("支出日期")
    amount = models.DecimalField("金额（万元）", **MONEY)
    payee = models.CharField("收款单位/用途", max_length=200)
    voucher_name = models.CharField("凭证文件", max_length=200, blank=True)
    voucher_stored = models.CharField(max_length=80, blank=True)
    voucher_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "支出"
        ordering = ["spent_on", "pk"]


class Stage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("阶段", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    work = models.TextField("工作内容", blank=True)

    class Meta:
        verbose_name = "实施阶段"
        ordering = ["project", "starts_on", "number"]


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones")
    title = models.CharField("里程碑", max_length=200)
    owner = models.CharField("负责人", max_length=50)
    due_on = models.DateField("完成期限", db_index=True)
    status = models.CharField(
        "状态", max_length=8, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN, db_index=True
    )
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "里程碑"
        ordering = ["due_on", "pk"]


class MilestoneReminder(models.Model):
    """One reminder per overdue milestone and day: the beat task may run twice, the user hears once."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["milestone", "day"], name="milestone_reminder_once_a_day")]


class Task(models.Model):
    """A row of the 任务清单, with the seed's twelve columns; tied to the budget line that pays for it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    line = models.ForeignKey(BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField("序号")
    direction = models.CharField("资金投入方向", max_length=200)
    name = models.CharField("工作任务名称", max_length=200)
    requirement = models.TextField("任务要求/目标")
    nature = models.CharField("任务性质", max_length=50)
    method = models.TextField("实施方式")
    standard = models.TextField("实施标准")
    workload = models.TextField("工作量")
    deadline = models.CharField("完成时限", max_length=50)
    note = models.CharField("备注", max_length=200, blank=True)
    case_type = models.CharField("案例类型", max_length=50, blank=True)
    implementer = models.CharField("实施单位", max_length=100)
    done_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成情况及佐证", blank=True)

    class Meta:
        verbose_name = "工作任务"
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="task_unique_number")]
