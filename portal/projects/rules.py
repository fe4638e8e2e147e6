"""Permissions of projects (django-rules). Scope — which projects — is the selectors' job; who may
act on one project is a predicate over (user, project) here."""

import rules

from portal.orgs.choices import OrgKind, Role
from portal.orgs.rules import (
    is_bureau_applicant,
    is_city_reviewer,
    is_county_reviewer,
    is_ministry_reviewer,
    is_province_admin,
    is_school_applicant,
    is_system_admin,
)

is_applicant = is_school_applicant | is_bureau_applicant
is_overseer = is_county_reviewer | is_city_reviewer | is_province_admin | is_ministry_reviewer

# The level above a project's organisation approves its plan and adjustments and reads its reports:
# which role does so follows the kind of the organisation directly above (a Dongguan school sits
# directly under the city; a city zone under the province).
SUPERVISOR_ROLE = {
    OrgKind.COUNTY: Role.COUNTY_REVIEWER,
    OrgKind.CITY: Role.CITY_REVIEWER,
    OrgKind.PROVINCE: Role.PROVINCE_ADMIN,
    OrgKind.MINISTRY: Role.MINISTRY_REVIEWER,
}


@rules.predicate
def runs_project(user, project) -> bool:
    """The project's own organisation, acting as its applicant."""
    return (
        project is not None
        and user.organisation_id == project.organisation_id
        and bool(user.role_set & {Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT})
    )


@rules.predicate
def supervises_project(user, project) -> bool:
    if project is None or not getattr(user, "organisation_id", None):
        return False
    parent = project.organisation.parent
    role = SUPERVISOR_ROLE.get(parent.kind) if parent else None
    return bool(role and role in user.role_set and parent.path.startswith(user.organisation.scope_path))


rules.add_perm("projects.view_project", is_applicant | is_overseer | is_system_admin)
rules.add_perm("projects.edit_project", runs_project)
rules.add_perm("projects.decide_project", supervises_project)
rules.add_perm("projects.export_projects", is_overseer)
