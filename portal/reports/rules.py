import rules

from portal.orgs.rules import is_city_reviewer, is_county_reviewer, is_ministry_reviewer, is_province_admin

# Whoever may ask for one of the reports sees the download centre.
rules.add_perm("reports.use_centre", is_county_reviewer | is_city_reviewer | is_province_admin | is_ministry_reviewer)
