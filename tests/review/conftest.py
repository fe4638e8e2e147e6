from datetime import timedelta

import pytest
from django.utils import timezone

from portal.orgs.choices import Role
from portal.programmes.services.applications import start_application, submit_application
from tests.factories import make_user
from tests.programmes.conftest import bureau_user, calls, private_media, school_user  # noqa: F401  (shared fixtures)
from tests.programmes.test_applications import _complete


@pytest.fixture
def reviewers(tree, role_users):
    """The reviewers along the Guangxi chain of school_a1 / county_a, and the ministry."""
    return type("Reviewers", (), {
        "county": role_users[Role.COUNTY_REVIEWER], "city": role_users[Role.CITY_REVIEWER],
        "province": role_users[Role.PROVINCE_ADMIN], "ministry": role_users[Role.MINISTRY_REVIEWER],
        "other_county": make_user(Role.COUNTY_REVIEWER, tree.county_b, username="county_b_reviewer"),
        "other_city": make_user(Role.CITY_REVIEWER, tree.city_c, username="city_c_reviewer"),
    })


@pytest.fixture
def submitted(calls):
    """submitted(actor, call) → an application of the actor's organisation, complete and submitted."""
    def _submit(actor, call, multiple=False):
        application = _complete(start_application(actor=actor, call=call), actor, multiple=multiple)
        submit_application(actor=actor, application=application)
        application.refresh_from_db()
        return application
    return _submit


@pytest.fixture
def later():
    """A clock: later(days) is now plus that many days."""
    base = timezone.now()
    return lambda days=0, **kw: base + timedelta(days=days, **kw)
