"""Permissions of the schools' documents. The 方案 and sheets follow the project's own permissions
(projects.view_project / projects.edit_project); these two are the pages outside a project."""
import rules

from portal.orgs.rules import is_province_admin, is_school_applicant, is_system_admin
from portal.projects.rules import is_overseer

# A zone's bureau has no school documents; which school's, is the project scope's question.
rules.add_perm("schools.view_training", is_school_applicant | is_overseer | is_system_admin)
rules.add_perm("schools.view_training_summary", is_overseer)
rules.add_perm("schools.add_ability_point", is_province_admin)
