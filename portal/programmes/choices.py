"""Enumerations and the application workflow, as plain data you can print and grep."""

from django.db import models

from portal.orgs.choices import OrgKind


class ApplicantKind(models.TextChoices):
    ZONE_COUNTY = "zone_county", "实验区（县、市、区教育局）"
    ZONE_CITY = "zone_city", "实验区（设区市教育局）"
    SCHOOL = "school", "实验校（学校）"


# Which organisation applies as which kind.
APPLICANT_ORG_KIND = {
    ApplicantKind.ZONE_COUNTY: OrgKind.COUNTY,
    ApplicantKind.ZONE_CITY: OrgKind.CITY,
    ApplicantKind.SCHOOL: OrgKind.SCHOOL,
}


class ReviewLevel(models.TextChoices):
    """The levels a call's review chain is made of, in the order a call lists them."""

    COUNTY = "county", "县级教育行政部门"
    CITY = "city", "市级教育行政部门"
    PROVINCE = "province", "省级教育行政部门"
    EXPERT = "expert", "专家评审"
    MINISTRY = "ministry", "教育部"


class QuotaTarget(models.TextChoices):
    ZONE = "zone", "实验区"
    SCHOOL = "school", "实验校"


class Step(models.TextChoices):
    """Steps with a deadline. Applicants may submit until SUBMIT's deadline."""

    CONTACTS = "contacts", "报送联系人信息表"
    SUBMIT = "submit", "申报单位提交申请表"
    COUNTY = "county", "县级推荐"
    CITY = "city", "市级审核推荐并报送"
    PROVINCE = "province", "省级推荐报送"
    EXPERT = "expert", "专家评审"
    DECISION = "decision", "结果公示与公布"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "退回修改"
    NOT_RECOMMENDED = "not_recommended", "未获推荐"
    # Set when the deciding level publishes its list; an approved organisation may be excluded from later calls.
    APPROVED = "approved", "已立项"
    REJECTED = "rejected", "未立项"


class ProjectStatus(models.TextChoices):
    RUNNING = "running", "实施中"
    EXTENDED = "extended", "延期实施"
    ACCEPTED = "accepted", "已验收"
    TERMINATED = "terminated", "已终止"


class ReportCadence(models.TextChoices):
    NONE = "none", "不要求"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"


EDITABLE = frozenset({Status.DRAFT, Status.WITHDRAWN, Status.RETURNED})

# action → (states it may start from, state it leads to). Services look here; nothing else moves a status.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (EDITABLE, Status.SUBMITTED),
    "withdraw": (frozenset({Status.SUBMITTED}), Status.WITHDRAWN),
    "return": (frozenset({Status.SUBMITTED}), Status.RETURNED),
    # The review chain (portal.review) moves a submitted application up through its levels; it stays
    # SUBMITTED until a level stops it or the deciding level's published list approves it.
    "recommend": (frozenset({Status.SUBMITTED}), Status.SUBMITTED),
    "not_recommend": (frozenset({Status.SUBMITTED}), Status.NOT_RECOMMENDED),
    "approve": (frozenset({Status.SUBMITTED}), Status.APPROVED),
    "reject": (frozenset({Status.SUBMITTED}), Status.REJECTED),
}


class AttachmentPurpose(models.TextChoices):
    EVIDENCE = "evidence", "支撑材料"
    CONTINUATION = "continuation", "附页"
    OTHER = "other", "其他材料"
