"""Permissions of the review chain (django-rules). Whose turn it is, is the services' check."""

import rules

from portal.orgs.rules import (
    is_bureau_applicant,
    is_city_reviewer,
    is_county_reviewer,
    is_ministry_reviewer,
    is_province_admin,
    is_school_applicant,
    is_system_admin,
)

is_reviewer = is_county_reviewer | is_city_reviewer | is_province_admin | is_ministry_reviewer

rules.add_perm("review.review", is_reviewer)
rules.add_perm("review.view_lists", is_reviewer | is_system_admin)
# An organisation's seal is replaced by whoever signs for it: its reviewers or its applicants.
rules.add_perm("review.manage_seal", is_reviewer | is_school_applicant | is_bureau_applicant)
