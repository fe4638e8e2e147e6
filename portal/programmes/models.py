from django.db import models

from portal.core.immutable import Immutable
from portal.formspec.models import FormSchema
from portal.orgs.models import Organisation, User
from portal.programmes.choices import (
    ApplicantKind,
    AttachmentPurpose,
    ProjectStatus,
    QuotaTarget,
    ReportCadence,
    ReviewLevel,
    Status,
    Step,
)


class Programme(models.Model):
    """A pilot programme (the national new-model zones, the Guangxi 融合创新 zones and schools)."""

    code = models.SlugField("项目标识", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name="主管单位", on_delete=models.PROTECT, related_name="programmes"
    )

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """One round of one programme (申报批次). Everything that differs between rounds is a field
    or a row here, set by an administrator; nothing of it is a constant in code."""

    programme = models.ForeignKey(Programme, verbose_name="所属项目", on_delete=models.PROTECT, related_name="calls")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="组织单位",
        on_delete=models.PROTECT,
        related_name="calls",
        help_text="申报范围：该单位管辖范围内的机构可以申报。",
    )
    title = models.CharField("批次名称", max_length=200)
    issuing_authority = models.CharField("发文单位", max_length=100)
    document_number = models.CharField("文号", max_length=60, help_text="如：桂教网信〔2023〕23号")
    notice_title = models.CharField("通知标题", max_length=300, blank=True)
    summary = models.TextField("通知要点", blank=True)
    contact_info = models.TextField("联系方式", blank=True)
    is_published = models.BooleanField("已发布", default=False)
    opens_at = models.DateTimeField("开始申报时间")
    multiple_categories = models.BooleanField("可选择多个实验类别", default=False)
    target_zones = models.PositiveIntegerField("拟立项实验区数", null=True, blank=True)
    target_schools = models.PositiveIntegerField("拟立项实验校数", null=True, blank=True)
    review_chain = models.JSONField(
        "审核推荐流程", default=list, help_text='依次经过的层级，如 ["county", "city", "expert", "province"]。'
    )
    notice_days = models.PositiveSmallIntegerField("公示天数", default=5)
    notice_levels = models.JSONField(
        "须公示推荐名单的层级",
        default=list,
        blank=True,
        help_text="这些层级的名单须公示期满、异议处理完毕后方可上报或公布。",
    )
    cycle_years = models.PositiveSmallIntegerField("实验周期（年）", default=3)
    extension_years_max = models.PositiveSmallIntegerField("最长可延期（年）", default=1)
    plan_due_days = models.PositiveSmallIntegerField("实施方案备案期限（立项后天数）", default=60)
    monthly_pilot_reports = models.BooleanField(
        "要求试点单位每月报送试点月报",
        default=False,
        help_text="资源平台应用试点：每月报送活跃教师、学生、家长和授课等使用数据。",
    )
    report_cadence = models.CharField(
        "进展报告周期", max_length=12, choices=ReportCadence.choices, default=ReportCadence.QUARTERLY
    )
    max_file_mb = models.PositiveSmallIntegerField("单个附件上限（MB）", default=20)
    max_total_mb = models.PositiveSmallIntegerField("每份申请附件总量上限（MB）", default=100)
    excluded_calls = models.ManyToManyField(
        "self", verbose_name="已立项不得再申报的批次", symmetrical=False, blank=True, related_name="+"
    )
    excluded_organisations = models.ManyToManyField(
        Organisation, verbose_name="不得申报的单位", blank=True, related_name="+"
    )
    exclusion_note = models.CharField("不得申报说明", max_length=300, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-opens_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(notice_days__gte=5), name="call_notice_days_min_5")]

    def __str__(self) -> str:
        return self.title

    @property
    def ends(self):
        """The end that counts today: the extended one once an extension is granted."""
        return self.extended_ends_on or self.ends_on

    def review_chain_labels(self) -> list[str]:
        return [ReviewLevel(level).label for level in self.review_chain if level in ReviewLevel.values]


class CallForm(models.Model):
    """Who may apply in a call, and which official form they fill."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="forms")
    applicant_kind = models.CharField("申报类别", max_length=16, choices=ApplicantKind.choices)
    form_key = models.CharField("申请表", max_length=40)

    class Meta:
        verbose_name = "申报类别与申请表"
        constraints = [models.UniqueConstraint(fields=["call", "applicant_kind"], name="callform_unique_kind")]
        ordering = ["pk"]


class CallCategory(models.Model):
    """An experiment category (实验内容) with its keywords."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("类别", max_length=200)
    keywords = models.JSONField("关键词", default=list)

    class Meta:
        verbose_name = "实验类别"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="callcategory_unique_number")]


class CallQuota(models.Model):
    """At most `max_count` recommendations of a kind from each organisation of a level."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    level = models.CharField("推荐层级", max_length=16, choices=ReviewLevel.choices)
    target = models.CharField("推荐类别", max_length=16, choices=QuotaTarget.choices)
    max_count = models.PositiveIntegerField("推荐上限")

    class Meta:
        verbose_name = "推荐名额"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "level", "target"], name="callquota_unique")]


class CallDeadline(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField("环节", max_length=16, choices=Step.choices)
    due_at = models.DateTimeField("截止时间")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "截止时间"
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["call", "step"], name="calldeadline_unique_step")]


class Application(models.Model):
    """A zone or school application in a call. `data` holds the draft exactly as typed, valid or
    not, so nothing is lost; submitted versions are frozen in ApplicationVersion."""

    call = models.ForeignKey(Call, verbose_name="申报批次", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        Organisation, verbose_name="申报单位", on_delete=models.PROTECT, related_name="applications"
    )
    applicant_kind = models.CharField("申报类别", max_length=16, choices=ApplicantKind.choices)
    # The applicant's tree path, carried so that scope (path__under) is answered from this table's own
    # index: counting a province's 20,000 applications through a join to every applicant cost the list
    # 5–7 ms. It never changes: an application's applicant is fixed, and the import cannot move an
    # organisation in the tree (importing/validate.py), so the path an organisation has is for good.
    applicant_path = models.CharField(max_length=255, editable=False, default="")
    schema = models.ForeignKey(FormSchema, verbose_name="申请表版本", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    data = models.JSONField("填写内容", default=dict)
    # Optimistic lock: every save names the version it started from; a mismatch is a conflict.
    lock_version = models.PositiveIntegerField(default=1)
    title = models.CharField("实验名称", max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("最近保存", auto_now=True)
    # Which editing session (a hash of the browser session) saved last: that session's own saves do
    # not conflict with each other (services/applications.py, _same_editor).
    updated_in = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    first_reviewed_at = models.DateTimeField("首次审核时间", null=True, blank=True)
    version_count = models.PositiveIntegerField("已提交版本数", default=0)
    # Where a submitted application waits in the call's review chain (a ReviewLevel), and since when.
    stage = models.CharField("当前审核环节", max_length=16, choices=ReviewLevel.choices, blank=True, db_index=True)
    stage_since = models.DateTimeField("进入本环节时间", null=True, blank=True)

    class Meta:
        verbose_name = "申请"
        verbose_name_plural = "申请"
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["call", "applicant"], name="application_one_per_call")]
        # The application list's order: a page of 50 is read from the index instead of sorting every
        # application in scope (20,000 at the province took 0.5 s).
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="application_list_order"),
            # The review queue's order within a level: a city's first 50 of 2,173 are read off
            # the index (PostgreSQL 23 ms → 1.4 ms at 20,000) instead of sorting its branch.
            models.Index(fields=["stage", "stage_since", "id"], name="application_queue_order"),
            # What waits at a level (submitted, at stage …) in queue order: the dashboard's and the
            # queue's count at the province went from every submitted row (7 ms at 20,000 on
            # SQLite) to the few at its levels (0.7 ms).
            models.Index(fields=["status", "stage", "stage_since", "id"], name="application_status_stage"),
            # Scope by prefix (LIKE 'x%' on PostgreSQL needs the pattern class; ignored elsewhere),
            # covering what an overseer's count reads (drafts are the applicant's own).
            models.Index(
                fields=["applicant_path", "version_count"],
                name="application_scope",
                opclasses=["varchar_pattern_ops", "int4_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant.name} · {self.call.title}"

    def save(self, *args, **kwargs):
        if not self.applicant_path and self.applicant_id:
            self.applicant_path = Organisation.objects.values_list("path", flat=True).get(pk=self.applicant_id)
        super().save(*args, **kwargs)

    @property
    def definition(self) -> dict:
        """The form's definition as this application's call shows it (years, the province's word)."""
        from portal.formspec.resolve import for_call, uses_placeholders

        if not uses_placeholders(self.schema.source):  # no query for the call: the official forms have none
            return self.schema.definition
        return for_call(self.schema, self.call)

    @property
    def is_editable(self) -> bool:
        from portal.programmes.choices import EDITABLE

        return self.status in EDITABLE


class ApplicationVersion(Immutable, models.Model):
    """A submitted version, immutable: values, computed cells, the attachment manifest, and a
    SHA-256 over all of it, so a printed or exported copy can be checked against the record."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    schema = models.ForeignKey(FormSchema, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField("内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "申请版本"
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="version_unique_number")]

    @property
    def definition(self) -> dict:
        """The definition this version was filled with, as its call shows it."""
        from portal.formspec.resolve import for_call, uses_placeholders

        if not uses_placeholders(self.schema.source):
            return self.schema.definition
        return for_call(self.schema, self.application.call)


class Attachment(models.Model):
    """A file of an application, stored outside any web root under a random name."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    purpose = models.CharField("用途", max_length=16, choices=AttachmentPurpose.choices)
    field = models.CharField("所属栏目", max_length=40, blank=True)
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed from the draft; the file stays, because a submitted version may list it.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Project(models.Model):
    """An approved application becomes a project (立项): the three-year pilot the later issues run."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="projects")
    organisation = models.ForeignKey(
        Organisation, verbose_name="承担单位", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField("项目名称", max_length=200)
    approved_at = models.DateTimeField("立项时间")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("计划结束日期")
    extended_ends_on = models.DateField("延期结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING, db_index=True
    )
    leader_name = models.CharField("项目负责人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "实验项目"
        verbose_name_plural = "实验项目"
        ordering = ["-approved_at", "pk"]
        # The project list's order, within a call and overall: a page of 50 is read off the index, not
        # sorted out of 20,000 rows.
        indexes = [
            models.Index(fields=["call", "-approved_at", "id"], name="project_call_order"),
            models.Index(fields=["-approved_at", "id"], name="project_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends(self):
        """The end that counts today: the extended one once an extension is granted."""
        return self.extended_ends_on or self.ends_on
