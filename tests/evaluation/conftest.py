"""The people of the evaluation tests: a school and a county in each of two counties, their city, and the
province's administrator who runs the rounds."""

import pytest

from portal.orgs.choices import Role
from tests.factories import make_user


@pytest.fixture
def people(tree, role_users):
    return type(
        "People",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="s_a1", real_name="韦丽娟"),
            "school_b": make_user(Role.SCHOOL_APPLICANT, tree.school_b1, username="s_b1"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="c_a"),
            "county_b": make_user(Role.COUNTY_REVIEWER, tree.county_b, username="c_b"),
            "city": make_user(Role.CITY_REVIEWER, tree.city_a, username="city_a"),
            "admin": role_users[Role.PROVINCE_ADMIN],
        },
    )


@pytest.fixture
def pilot(calls, projects, tree):
    """The Guangxi call asking for monthly pilot reports, with a school in 南宁 and one in 柳州, 南宁's city
    bureau and the province's centre."""
    type(calls.guangxi).objects.filter(pk=calls.guangxi.pk).update(monthly_pilot_reports=True)
    for p in (projects.a1, projects.b1, projects.c1):
        p.refresh_from_db()
        p.call.refresh_from_db()
    return type(
        "Pilot",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="m_a1"),
            "school_c": make_user(Role.SCHOOL_APPLICANT, tree.school_c1, username="m_c1"),
            "city": make_user(Role.CITY_REVIEWER, tree.city_a, username="m_city"),
            "admin": make_user(Role.PROVINCE_ADMIN, tree.centre, username="m_admin"),
        },
    )
