"""A pilot school's 校本研修与考核方案 (the seed's 附件2): goals and tasks, the 科组 with the ability
points each chose and who is responsible, the teachers, the training calendar (校本研修计划), and the
scores of the two sheets (科组考核, 个人考核) per 科组 and per teacher. The sheets' items and the
national ability points are data files (schools/rubrics/); a province adds its own points here."""

from django.db import models
from django.db.models import Q

from portal.core.attached import AttachedFile
from portal.core.immutable import Immutable
from portal.core.workflow import Step, Transitions
from portal.orgs.models import Organisation, User
from portal.programmes.models import Project
from schools.scoring import CAP_RULES


class CapRule(models.TextChoices):
    WITHIN = "within", CAP_RULES["within"]
    BEYOND = "beyond", CAP_RULES["beyond"]


class TrainingPlan(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="training_plan")
    goals = models.TextField("目标与任务", blank=True)
    tasks = models.TextField("主要任务（学校整体研修活动设计）", blank=True)
    cap_rule = models.CharField("加分与分值", max_length=8, choices=CapRule.choices, default=CapRule.WITHIN)
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "校本研修与考核方案"


class SubjectGroup(models.Model):
    """A 科组 (语文科, 数学科 …): the ability points it studies and who is responsible."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("学科（科组）", max_length=30)
    points = models.JSONField("能力点选择", default=list)
    responsible = models.CharField("负责人", max_length=100)
    number = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "科组"
        ordering = ["plan", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="group_name_once")]

    def __str__(self) -> str:
        return self.name


class Teacher(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="teachers")
    group = models.ForeignKey(SubjectGroup, verbose_name="所在科组", on_delete=models.PROTECT, related_name="teachers")
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    class Meta:
        verbose_name = "教师"
        ordering = ["group__number", "group_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="teacher_once_per_group")]

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    """A row of the 校本研修计划: 时间, 内容, 主持人, 参与人, 形式, 地点."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    when = models.CharField("时间", max_length=30)
    content = models.TextField("内容", max_length=500)
    host = models.CharField("主持人", max_length=60)
    participants = models.CharField("参与人", max_length=100)
    form = models.CharField("形式", max_length=30)
    place = models.CharField("地点", max_length=60)

    class Meta:
        verbose_name = "校本研修计划"
        ordering = ["plan", "number"]


class Sheet(models.TextChoices):
    GROUP = "group", "科组考核"
    TEACHER = "teacher", "个人考核"


class ItemScore(models.Model):
    """One item of one sheet for one 科组 or teacher: 自评 and 得分, and the facts behind deductions and
    bonuses. One row per item and subject, so nobody is scored twice for an item."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="scores")
    sheet = models.CharField(max_length=8, choices=Sheet.choices)
    group = models.ForeignKey(SubjectGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    teacher = models.ForeignKey(Teacher, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    item = models.PositiveSmallIntegerField("序号")
    self_score = models.DecimalField("自评", max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    missing = models.PositiveSmallIntegerField("缺少人数或课时", default=0)
    extras = models.PositiveSmallIntegerField("增加数", default=0)
    awards = models.JSONField("获奖级别", default=list)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "考核评分"
        ordering = ["sheet", "group_id", "teacher_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["group", "item"], condition=Q(sheet="group"), name="group_item_once"),
            models.UniqueConstraint(fields=["teacher", "item"], condition=Q(sheet="teacher"), name="teacher_item_once"),
            models.CheckConstraint(
                condition=(
                    Q(sheet="group", group__isnull=False, teacher__isnull=True)
                    | Q(sheet="teacher", teacher__isnull=False, group__isnull=True)
                ),
                name="score_has_its_subject",
            ),
        ]


class AbilityPoint(models.Model):
    """A province's own ability point, beside the national list (schools/rubrics/ability-points.json)."""

    province = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ability_points")
    code = models.CharField("代码", max_length=10)
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = "能力点"
        ordering = ["province", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="ability_point_once")]


class DevelopmentPlan(models.Model):
    """The school's 学校信息化教育教学发展规划: a draft filled with the form definition school_dev_plan
    (kept as typed, valid or not, with an optimistic lock like an application's), and its submitted
    versions. Experts give guidance on a version; the school answers with a revised version."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="development_plan")
    schema = models.ForeignKey("formspec.FormSchema", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField("填写内容", default=dict)
    lock_version = models.PositiveIntegerField(default=1)
    version_count = models.PositiveIntegerField("已提交版本数", default=0)
    updated_at = models.DateTimeField("最近保存", auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The editing session that saved last: its own saves never conflict (see programmes' save_draft).
    updated_in = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "学校信息化教育教学发展规划"


class DevelopmentPlanVersion(Immutable, models.Model):
    """A submitted version, immutable, with the same content shape as an application's version (values,
    computed cells, attachment manifest) and a SHA-256 over it."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    schema = models.ForeignKey("formspec.FormSchema", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField("内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("提交时间")

    @property
    def definition(self) -> dict:
        return self.schema.definition

    class Meta:
        verbose_name = "发展规划版本"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="devplan_version_number")]


class DevelopmentPlanFile(AttachedFile):
    """An attachment of the plan's draft; a submitted version lists the files it was submitted with."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="files")

    class Meta:
        verbose_name = "发展规划附件"
        ordering = ["uploaded_at", "pk"]


class GuidanceStatus(models.TextChoices):
    WRITING = "writing", "专家撰写中"
    SIGNED = "signed", "组长已签署"
    ANSWERED = "answered", "学校已修改"


_GUIDANCE_SIGNED = "指导意见已由组长签署，不能再修改。"
# The experts write (notes, the leader's summary) until the leader signs; the school's next version answers it.
GUIDANCE_TRANSITIONS: Transitions = {
    "write": Step(frozenset({GuidanceStatus.WRITING}), "", _GUIDANCE_SIGNED),
    "sign": Step(frozenset({GuidanceStatus.WRITING}), GuidanceStatus.SIGNED, _GUIDANCE_SIGNED),
    "answer": Step(frozenset({GuidanceStatus.SIGNED}), GuidanceStatus.ANSWERED),
}


class Guidance(models.Model):
    """专家指导意见建议表 on one version of a plan: the panel (组长 and 专家团队, chosen with 回避), the
    members' notes, and the leader's 指导意见建议汇总, signed by the leader. The school answers with a
    revised version (`answer`), whose differences from the guided version are shown beside it."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="guidance")
    version = models.ForeignKey(
        DevelopmentPlanVersion, verbose_name="指导的版本", on_delete=models.PROTECT, related_name="guidance"
    )
    leader = models.ForeignKey(
        "experts.Expert", verbose_name="指导专家组长", on_delete=models.PROTECT, related_name="led_guidance"
    )
    members = models.ManyToManyField("experts.Expert", verbose_name="指导专家团队", related_name="guidance")
    summary = models.TextField("指导意见建议汇总", blank=True)
    notes = models.JSONField("专家意见", default=dict, blank=True)  # {expert pk: text}
    status = models.CharField("状态", max_length=10, choices=GuidanceStatus.choices, default=GuidanceStatus.WRITING)
    lock_version = models.PositiveIntegerField(default=1)
    # When the summary was last saved: what a colleague's stale save is told (the 409's updated_at).
    summary_saved_at = models.DateTimeField("汇总保存时间", null=True, blank=True)
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    answer = models.ForeignKey(
        DevelopmentPlanVersion,
        verbose_name="修改后的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "专家指导意见建议表"
        ordering = ["plan", "pk"]
