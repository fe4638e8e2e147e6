import rules

from portal.orgs.rules import (
    is_bureau_applicant,
    is_city_reviewer,
    is_county_reviewer,
    is_ministry_reviewer,
    is_province_admin,
    is_school_applicant,
)

# Whoever may ask for one of the reports (an applicant: its own printed form) sees the download centre.
rules.add_perm(
    "reports.use_centre",
    is_county_reviewer
    | is_city_reviewer
    | is_province_admin
    | is_ministry_reviewer
    | is_school_applicant
    | is_bureau_applicant,
)
