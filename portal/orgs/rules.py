"""Predicates and permissions: the portal's one permission system (django-rules).

Views name the permission they need; services check it again. Object scope is not a rule but
the selectors' job, so that an object outside the scope is a 404, not a 403."""

import rules

from portal.orgs.choices import Role


def role_is(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name)
    def predicate(user) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*roles))

    return predicate


has_any_role = role_is(*Role.values)
is_school_applicant = role_is(Role.SCHOOL_APPLICANT)
is_bureau_applicant = role_is(Role.BUREAU_APPLICANT)
is_county_reviewer = role_is(Role.COUNTY_REVIEWER)
is_city_reviewer = role_is(Role.CITY_REVIEWER)
is_province_admin = role_is(Role.PROVINCE_ADMIN)
is_expert = role_is(Role.EXPERT)
is_ministry_reviewer = role_is(Role.MINISTRY_REVIEWER)
is_system_admin = role_is(Role.SYSTEM_ADMIN)
is_audit_admin = role_is(Role.AUDIT_ADMIN)
# Roles that oversee organisations below their own and so browse the tree and its accounts.
is_overseer = role_is(
    Role.COUNTY_REVIEWER,
    Role.CITY_REVIEWER,
    Role.PROVINCE_ADMIN,
    Role.MINISTRY_REVIEWER,
    Role.SYSTEM_ADMIN,
    Role.AUDIT_ADMIN,
)

rules.add_perm("orgs.view_organisation", has_any_role)
rules.add_perm("orgs.view_organisation_tree", is_overseer)
rules.add_perm("orgs.view_user", is_overseer)
rules.add_perm("orgs.import_organisations", is_province_admin | is_system_admin)
rules.add_perm("orgs.unlock_user", is_province_admin | is_system_admin)
# Creating, editing, resetting, deactivating and reactivating single accounts (portal/orgs/accounts.py).
rules.add_perm("orgs.manage_user", is_province_admin | is_system_admin)
rules.add_perm("audit.view_auditentry", is_audit_admin)
