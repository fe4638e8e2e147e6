"""Evaluation rounds (中期评估 / 验收 / 抽查): a round is configuration like a call — who runs it, which
projects, its rubric, deadlines and the outcomes it may give. Each project in a round is an entry: it
files a self-evaluation (自评), the levels above add their opinions in turn, experts score it blind on
the round's rubric, the panel leader signs the panel's opinion, and the organiser decides an outcome.
Outcomes are immutable decisions; a later decision supersedes an earlier one and says why."""

from django.db import models

from portal.core.attached import AttachedFile
from portal.core.immutable import Immutable
from portal.core.workflow import Step, Transitions
from portal.experts.models import CriterionFields, Expert
from portal.orgs.models import Organisation, User
from portal.programmes.models import Call, Project


class RoundKind(models.TextChoices):
    MIDTERM = "midterm", "中期评估"
    ACCEPTANCE = "acceptance", "验收"
    SPOT = "spot", "抽查"


class Selection(models.TextChoices):
    ALL = "all", "全部项目"
    SAMPLE = "sample", "随机抽取"
    CHOSEN = "chosen", "指定项目"
    APPLIED = "applied", "项目申请验收"


class Outcome(models.TextChoices):
    PASS = "pass", "通过"
    RECTIFY = "rectify", "限期整改"
    REVOKE = "revoke", "撤销"
    FAIL = "fail", "不通过"


class Grade(models.TextChoices):
    EXCELLENT = "优秀", "优秀"
    GOOD = "良好", "良好"
    QUALIFIED = "合格", "合格"


# The outcomes each kind of round may give, and what a decision does to the project (workflow as data).
KIND_OUTCOMES = {
    RoundKind.MIDTERM: (Outcome.PASS, Outcome.RECTIFY, Outcome.REVOKE),
    RoundKind.SPOT: (Outcome.PASS, Outcome.RECTIFY, Outcome.REVOKE),
    RoundKind.ACCEPTANCE: (Outcome.PASS, Outcome.FAIL),
}
# An acceptance that fails may be applied for once more, after rectification.
ACCEPTANCE_ATTEMPTS = 2


class RoundStatus(models.TextChoices):
    OPEN = "open", "进行中"
    PUBLISHED = "published", "结果已公布"


ROUND_TRANSITIONS: Transitions = {
    "publish": Step(frozenset({RoundStatus.OPEN}), RoundStatus.PUBLISHED, "评估结果已公布。"),
}


class EvaluationRound(models.Model):
    call = models.ForeignKey(Call, verbose_name="批次", on_delete=models.PROTECT, related_name="evaluation_rounds")
    organisation = models.ForeignKey(
        Organisation, verbose_name="组织单位", on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    kind = models.CharField("评估类型", max_length=12, choices=RoundKind.choices)
    title = models.CharField("名称", max_length=200)
    selection = models.CharField("参评项目", max_length=10, choices=Selection.choices)
    sample_size = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    sample_seed = models.CharField(
        "抽取随机种子", max_length=64, blank=True, help_text="随机抽取时记录种子，任何人可据此复核抽取结果。"
    )
    standards = models.TextField("评估标准", blank=True)
    # The standards as the issuing document (PDF, Word), checked by content and stored outside the web root.
    standards_file_name = models.CharField("评估标准文件", max_length=200, blank=True)
    standards_stored = models.CharField(max_length=80, blank=True)
    standards_type = models.CharField(max_length=100, blank=True)
    self_due_at = models.DateTimeField("自评报告截止时间")
    review_due_at = models.DateTimeField("专家评审截止时间")
    grades = models.BooleanField("通过时评定等级", default=True)
    notice_days = models.PositiveSmallIntegerField("结果公示天数", default=0, help_text="0 表示直接公布，不设公示期。")
    experts_per_project = models.PositiveSmallIntegerField("每个项目评审专家数", default=3)
    outlier_margin = models.DecimalField("离群提示阈值（分）", max_digits=6, decimal_places=2, default=15)
    leader = models.ForeignKey(
        Expert, verbose_name="专家组组长", null=True, blank=True, on_delete=models.PROTECT, related_name="led_rounds"
    )
    members = models.ManyToManyField(Expert, verbose_name="专家组成员", blank=True, related_name="rounds")
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    published_at = models.DateTimeField("结果公布时间", null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评估批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def outcomes(self) -> tuple:
        return KIND_OUTCOMES[self.kind]


class RoundCriterion(CriterionFields):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="criteria")

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="round_criterion_number")]


class EntryStatus(models.TextChoices):
    DUE = "due", "待自评"
    OPINIONS = "opinions", "待上级意见"
    FILED = "filed", "待专家评审"
    SCORED = "scored", "专家组意见已签署"
    DECIDED = "decided", "已作出结论"


_OPINION_GONE = "自评报告已由他人处理，请刷新页面。"
_SIGNED = "专家组意见已签署，评分不能再修改。"
# The self-evaluation goes up the levels (each agrees or returns it), then to the experts, whose leader
# signs the panel's opinion, then to the organiser's decision (changed later only by a new decision).
ENTRY_TRANSITIONS: Transitions = {
    "edit": Step(frozenset({EntryStatus.DUE}), "", "自评报告已提交，不能再修改。"),
    "submit": Step(frozenset({EntryStatus.DUE}), "", "自评报告已提交，不能再修改。"),  # to OPINIONS or FILED
    "agree": Step(frozenset({EntryStatus.OPINIONS}), "", _OPINION_GONE),  # to the next level's OPINIONS or FILED
    "return": Step(frozenset({EntryStatus.OPINIONS}), EntryStatus.DUE, _OPINION_GONE),
    "assign": Step(frozenset({EntryStatus.FILED}), "", "只有待专家评审的项目可以分配专家。"),
    "step_aside": Step(frozenset({EntryStatus.FILED}), "", "已提交评分的任务不能再申请回避。"),
    "score": Step(frozenset({EntryStatus.FILED}), "", _SIGNED),
    "sign": Step(frozenset({EntryStatus.FILED}), EntryStatus.SCORED, "该项目不在专家评审阶段。"),
    "decide": Step(
        frozenset({EntryStatus.SCORED, EntryStatus.DECIDED}), EntryStatus.DECIDED, "专家组意见签署后才能作出结论。"
    ),
}


class RoundEntry(models.Model):
    """One project in one round. `stage` is the level whose opinion is awaited while OPINIONS."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="evaluation_entries")
    attempt = models.PositiveSmallIntegerField("申请次数", default=1)
    status = models.CharField(
        "状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DUE, db_index=True
    )
    stage = models.CharField("待意见层级", max_length=10, blank=True)
    draft = models.JSONField("自评草稿", default=dict, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opinions = models.JSONField("上级意见", default=dict, blank=True)  # level → {org, text, by, at}
    panel_opinion = models.TextField("专家组意见", blank=True)
    opinion_signed_at = models.DateTimeField("组长签署时间", null=True, blank=True)
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices, blank=True)
    grade = models.CharField("等级", max_length=4, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = "参评项目"
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "project", "attempt"], name="entry_once_per_round")]


class SelfEvaluation(Immutable, models.Model):
    """A submitted self-evaluation: what the project recorded (figures) and what it wrote, frozen."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    content = models.JSONField("内容")
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "自评报告"
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="selfeval_version")]


class ScoreStatus(models.TextChoices):
    ASSIGNED = "assigned", "待评审"
    CONFLICT = "conflict", "已申请回避"
    SUBMITTED = "submitted", "已提交"


SCORE_TRANSITIONS: Transitions = {
    "step_aside": Step(frozenset({ScoreStatus.ASSIGNED}), ScoreStatus.CONFLICT, "已提交评分的任务不能再申请回避。"),
}


class EvaluationScore(models.Model):
    """One expert's sheet for one entry. The project never sees who scored it."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="scores")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="evaluation_scores")
    status = models.CharField("状态", max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.ASSIGNED)
    conflict_reason = models.CharField("回避理由", max_length=300, blank=True)
    points = models.JSONField("各项得分", default=dict, blank=True)
    comment = models.TextField("评审意见", blank=True)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "评估评分"
        ordering = ["entry", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="evaluation_score_once")]


class Decision(Immutable, models.Model):
    """An outcome as decided. The entry shows the newest; each later one names why it replaces the last."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField("序号")
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices)
    grade = models.CharField("等级", max_length=4, choices=Grade.choices, blank=True)
    reasons = models.TextField("理由", blank=True)
    change_reason = models.TextField("变更理由", blank=True)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    rectify_items = models.JSONField("整改事项", default=list, blank=True)
    frozen_amount = models.DecimalField("冻结剩余资金（万元）", max_digits=14, decimal_places=4, null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = "评估结论"
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="decision_number")]


class RectificationStatus(models.TextChoices):
    DUE = "due", "整改中"
    FILED = "filed", "待复核"
    PASSED = "passed", "复核通过"
    FAILED = "failed", "复核不通过"


RECTIFICATION_TRANSITIONS: Transitions = {
    "file": Step(frozenset({RectificationStatus.DUE}), RectificationStatus.FILED, "整改报告已提交。"),
    "pass": Step(frozenset({RectificationStatus.FILED}), RectificationStatus.PASSED, "整改报告尚未提交，不能复核。"),
    "fail": Step(frozenset({RectificationStatus.FILED}), RectificationStatus.FAILED, "整改报告尚未提交，不能复核。"),
}


class Rectification(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="rectification")
    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="rectifications")
    due_on = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=8, choices=RectificationStatus.choices, default=RectificationStatus.DUE
    )
    report = models.TextField("整改报告", blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    escalated_on = models.DateField("逾期上报日期", null=True, blank=True)

    class Meta:
        verbose_name = "整改"
        ordering = ["due_on", "pk"]


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", "待上级推荐"
    RECOMMENDED = "recommended", "待省级决定"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


_NOT_RECOMMENDED = "该延期申请尚未经上级推荐，或已办结。"
EXTENSION_TRANSITIONS: Transitions = {
    "recommend": Step(
        frozenset({ExtensionStatus.REQUESTED}), ExtensionStatus.RECOMMENDED, "该延期申请不在待推荐状态。"
    ),
    "not_recommend": Step(
        frozenset({ExtensionStatus.REQUESTED}), ExtensionStatus.REFUSED, "该延期申请不在待推荐状态。"
    ),
    "approve": Step(frozenset({ExtensionStatus.RECOMMENDED}), ExtensionStatus.APPROVED, _NOT_RECOMMENDED),
    "refuse": Step(frozenset({ExtensionStatus.RECOMMENDED}), ExtensionStatus.REFUSED, _NOT_RECOMMENDED),
}


class Extension(models.Model):
    """延期: the project asks with reasons and a revised schedule; the level above recommends (or not);
    the province decides. Approval moves the planned end, adds the schedule's stages and due reports."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="extensions")
    years = models.PositiveSmallIntegerField("延期年限")
    reasons = models.TextField("延期理由")
    schedule = models.JSONField("调整后的实施安排", default=list)  # [{name, starts_on, ends_on, work}]
    status = models.CharField("状态", max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED)
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    recommendation = models.TextField("上级推荐意见", blank=True)
    recommended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField("省级意见", blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        ordering = ["-requested_at", "-pk"]


class EvaluationFile(AttachedFile):
    """An attachment of a self-evaluation (photos, reports, outputs). A submitted version lists the
    files it was filed with (name, size, SHA-256); a file removed from the draft stays for those."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="files")

    class Meta:
        verbose_name = "自评报告附件"
        ordering = ["pk"]
