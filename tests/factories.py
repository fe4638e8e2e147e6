"""Factories for the organisation tree and accounts. Trees use real division codes."""

import factory

from portal.orgs.choices import OrgKind, Ownership, Role, SchoolType
from portal.orgs.models import Organisation, RoleGrant, User
from portal.orgs.services import tree_paths

PASSWORD = "Test@2026pw"


def make_org(code, kind, parent=None, name=None, division_code=None, **extra) -> Organisation:
    path, scope = tree_paths(code=code, kind=kind, parent=parent)
    if kind == OrgKind.SCHOOL:
        extra.setdefault("school_type", SchoolType.PRIMARY)
        extra.setdefault("ownership", Ownership.PUBLIC)
    return Organisation.objects.create(
        code=code,
        kind=kind,
        parent=parent,
        name=name or f"机构{code}",
        path=path,
        scope_path=scope,
        division_code=division_code
        if division_code is not None
        else (code if code.isdigit() and len(code) == 6 else getattr(parent, "division_code", "")),
        **extra,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        self.save()
        self._role_cache = None


def make_user(role: str | list[str], organisation: Organisation, **kwargs) -> User:
    roles = [role] if isinstance(role, str) else role
    return UserFactory(organisation=organisation, roles=roles, **kwargs)


# The organisation each role acts for in the standard tree of conftest.py.
ROLE_HOME = {
    Role.SCHOOL_APPLICANT: "school_a1",
    Role.BUREAU_APPLICANT: "county_a",
    Role.COUNTY_REVIEWER: "county_a",
    Role.CITY_REVIEWER: "city_a",
    Role.PROVINCE_ADMIN: "centre",
    Role.EXPERT: "university",
    Role.MINISTRY_REVIEWER: "moe",
    Role.SYSTEM_ADMIN: "province",
    Role.AUDIT_ADMIN: "province",
}
