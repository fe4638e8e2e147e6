import pytest

from portal.orgs.choices import Role
from portal.programmes.demo import guangxi_config, national_config
from portal.programmes.services.calls import save_call
from tests.factories import make_user


@pytest.fixture
def private_media(settings):
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def calls(tree, role_users, private_media):
    """The demo's two calls, open since yesterday: national (zones) and Guangxi (zones, schools)."""
    from datetime import timedelta

    from django.utils import timezone
    start = timezone.now() - timedelta(days=1)
    national = save_call(actor=role_users[Role.MINISTRY_REVIEWER], config=national_config(start))
    guangxi = save_call(actor=role_users[Role.PROVINCE_ADMIN], config=guangxi_config(start, national))
    return type("Calls", (), {"national": national, "guangxi": guangxi})


@pytest.fixture
def school_user(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="school1", real_name="韦丽娟")


@pytest.fixture
def bureau_user(tree):
    return make_user(Role.BUREAU_APPLICANT, tree.county_a, username="bureau1", real_name="黄志强")
