"""Permissions of the schools' documents. The 方案 and sheets follow the project's own permissions
(projects.view_project / projects.edit_project); these two are the pages outside a project."""

import rules

from portal.orgs.rules import is_city_reviewer, is_expert, is_province_admin, is_school_applicant, is_system_admin
from portal.projects.rules import is_overseer

# A zone's bureau has no school documents; which school's, is the project scope's question.
rules.add_perm("schools.view_training", is_school_applicant | is_overseer | is_system_admin)
rules.add_perm("schools.view_training_summary", is_overseer)
rules.add_perm("schools.add_ability_point", is_province_admin)

# The 发展规划: the school writes it, the levels above read it; the city or province forms a guiding
# panel; experts reach a plan only through a guidance they are on (schools.selectors.visible_guidance).
rules.add_perm("schools.view_devplan", is_school_applicant | is_overseer | is_system_admin)
rules.add_perm("schools.assign_guidance", is_city_reviewer | is_province_admin)
rules.add_perm("schools.view_guidance", is_expert | is_overseer)
