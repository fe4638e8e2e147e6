"""Permissions of calls and applications (django-rules). Scope is the selectors' job."""

import rules

from portal.orgs.choices import Role
from portal.orgs.rules import (
    has_any_role,
    is_bureau_applicant,
    is_city_reviewer,
    is_county_reviewer,
    is_ministry_reviewer,
    is_province_admin,
    is_school_applicant,
    is_system_admin,
    role_is,
)

is_applicant = is_school_applicant | is_bureau_applicant
is_reviewer = is_county_reviewer | is_city_reviewer | is_province_admin | is_ministry_reviewer

rules.add_perm("programmes.view_call", has_any_role)
# Who opens calls: the province for its own calls, the ministry for national ones. The system
# administrator runs accounts and the tree, not programmes (README, "Calls and application forms").
CALL_OPENERS = (Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER)
CALL_OPENERS_TEXT = (
    "申报批次由省级管理员（本省批次）或教育部审核人（全国批次）开设；系统管理员负责账户与机构，不开设批次。"
)
rules.add_perm("programmes.manage_call", role_is(*CALL_OPENERS))
rules.add_perm("programmes.apply", is_applicant)
rules.add_perm("programmes.view_application", is_applicant | is_reviewer | is_system_admin)
