"""Permissions of calls and applications (django-rules). Scope is the selectors' job."""
import rules

from portal.orgs.rules import (has_any_role, is_bureau_applicant, is_city_reviewer, is_county_reviewer,
                               is_ministry_reviewer, is_province_admin, is_school_applicant, is_system_admin)

is_applicant = is_school_applicant | is_bureau_applicant
is_reviewer = is_county_reviewer | is_city_reviewer | is_province_admin | is_ministry_reviewer

rules.add_perm("programmes.view_call", has_any_role)
rules.add_perm("programmes.manage_call", is_province_admin | is_ministry_reviewer)
rules.add_perm("programmes.apply", is_applicant)
rules.add_perm("programmes.view_application", is_applicant | is_reviewer | is_system_admin)
