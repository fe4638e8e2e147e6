"""Enumerations of the organisation tree and the roles, as plain data."""

from django.db import models


class OrgKind(models.TextChoices):
    MINISTRY = "ministry", "教育部"
    PROVINCE = "province", "省级教育行政部门"
    CENTRE = "centre", "省级直属单位"  # 电化教育馆 / 教育技术和信息化中心: acts for the province
    CITY = "city", "市级教育行政部门"
    COUNTY = "county", "县级教育行政部门"
    SCHOOL = "school", "学校"
    OTHER = "other", "其他单位"  # universities, research institutes: experts' employers


class SchoolType(models.TextChoices):
    PRIMARY = "primary", "小学"
    TEACHING_POINT = "teaching_point", "教学点"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "普通高中"
    NINE_YEAR = "nine_year", "九年一贯制学校"
    TWELVE_YEAR = "twelve_year", "十二年一贯制学校"
    COMPLETE = "complete", "完全中学"
    VOCATIONAL = "vocational", "中等职业学校"
    SPECIAL = "special", "特殊教育学校"
    KINDERGARTEN = "kindergarten", "幼儿园"


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"


class Role(models.TextChoices):
    SCHOOL_APPLICANT = "school_applicant", "学校申报人"
    BUREAU_APPLICANT = "bureau_applicant", "区域申报人（教育局）"
    COUNTY_REVIEWER = "county_reviewer", "县级审核人"
    CITY_REVIEWER = "city_reviewer", "市级审核人"
    PROVINCE_ADMIN = "province_admin", "省级管理员"
    EXPERT = "expert", "评审专家"
    MINISTRY_REVIEWER = "ministry_reviewer", "教育部审核人"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# Which kinds of organisation a role may act for. A role outside this table is refused when granted.
ROLE_ORG_KINDS: dict[str, frozenset[str]] = {
    Role.SCHOOL_APPLICANT: frozenset({OrgKind.SCHOOL}),
    Role.BUREAU_APPLICANT: frozenset({OrgKind.COUNTY, OrgKind.CITY}),
    Role.COUNTY_REVIEWER: frozenset({OrgKind.COUNTY}),
    Role.CITY_REVIEWER: frozenset({OrgKind.CITY}),
    Role.PROVINCE_ADMIN: frozenset({OrgKind.PROVINCE, OrgKind.CENTRE}),
    Role.EXPERT: frozenset(OrgKind.values),
    Role.MINISTRY_REVIEWER: frozenset({OrgKind.MINISTRY}),
    Role.SYSTEM_ADMIN: frozenset({OrgKind.MINISTRY, OrgKind.PROVINCE, OrgKind.CENTRE}),
    Role.AUDIT_ADMIN: frozenset({OrgKind.MINISTRY, OrgKind.PROVINCE, OrgKind.CENTRE}),
}

# Which kinds may sit directly under which: the tree's grammar, checked on create and import.
PARENT_KINDS: dict[str, frozenset[str]] = {
    OrgKind.MINISTRY: frozenset(),
    OrgKind.PROVINCE: frozenset({OrgKind.MINISTRY}),
    OrgKind.CENTRE: frozenset({OrgKind.PROVINCE}),
    OrgKind.CITY: frozenset({OrgKind.PROVINCE}),
    OrgKind.COUNTY: frozenset({OrgKind.CITY}),
    # Cities without counties (东莞, 中山) run their schools directly.
    OrgKind.SCHOOL: frozenset({OrgKind.COUNTY, OrgKind.CITY}),
    OrgKind.OTHER: frozenset({OrgKind.MINISTRY, OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY}),
}
