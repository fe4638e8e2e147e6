import os
import uuid
from types import SimpleNamespace

import pytest

from portal.orgs.choices import OrgKind, Role
from tests.factories import ROLE_HOME, make_org, make_user

# Fixtures the tests of several issues share (calls, reviewers, experts), defined once.
pytest_plugins = [
    "tests.fixtures.programmes",
    "tests.fixtures.review",
    "tests.fixtures.experts",
    "tests.fixtures.projects",
]

ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing at 1,000,000 PBKDF2 rounds per test user would dominate the suite's time.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    # With REDIS_URL the cache is shared by both test workers and outlives a test: give each test
    # its own key prefix so throttles and cached values never leak between tests.
    settings.CACHES = {
        name: {**conf, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, conf in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded files of a test go to its own directory, never to the checkout's var/.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PORTAL_SIGNING_KEY_FILE = str(tmp_path / "keys" / "signing.pem")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """PostgreSQL: the suite's own connections may TRUNCATE the audit log, which the flush between
    transactional tests does to every table (audit migration 0004); no other session may."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c portal.allow_audit_truncate=on".strip()
            connection.close()  # reconnects with the option


@pytest.fixture
def tree(db):
    """MOE → 广西 (department, centre, a university) → 南宁 → 兴宁区 (2 schools), 隆安县 (1 school);
    柳州 → 城中区 (1 school); 山西 → 太原 → 小店区 (1 school)."""
    t = SimpleNamespace()
    t.moe = make_org("MOE", OrgKind.MINISTRY, name="中华人民共和国教育部", division_code="")
    t.province = make_org("450000", OrgKind.PROVINCE, t.moe, name="广西壮族自治区教育厅")
    t.centre = make_org("450000-XXZX", OrgKind.CENTRE, t.province, name="广西壮族自治区教育技术和信息化中心")
    t.university = make_org("450000-GXNU", OrgKind.OTHER, t.province, name="广西师范大学", division_code="450300")
    t.city_a = make_org("450100", OrgKind.CITY, t.province, name="南宁市教育局")
    t.county_a = make_org("450102", OrgKind.COUNTY, t.city_a, name="南宁市兴宁区教育局", region_name="兴宁区")
    t.school_a1 = make_org("2450102001", OrgKind.SCHOOL, t.county_a, name="南宁市兴宁区实验小学")
    t.school_a2 = make_org("2450102002", OrgKind.SCHOOL, t.county_a, name="南宁市兴宁区第一初级中学")
    t.county_b = make_org("450123", OrgKind.COUNTY, t.city_a, name="隆安县教育局", region_name="隆安县")
    t.school_b1 = make_org("2450123001", OrgKind.SCHOOL, t.county_b, name="隆安县实验小学")
    t.city_c = make_org("450200", OrgKind.CITY, t.province, name="柳州市教育局")
    t.county_c = make_org("450202", OrgKind.COUNTY, t.city_c, name="柳州市城中区教育局")
    t.school_c1 = make_org("2450202001", OrgKind.SCHOOL, t.county_c, name="柳州市城中区实验小学")
    t.other_province = make_org("140000", OrgKind.PROVINCE, t.moe, name="山西省教育厅")
    t.other_city = make_org("140100", OrgKind.CITY, t.other_province, name="太原市教育局")
    t.other_county = make_org("140105", OrgKind.COUNTY, t.other_city, name="太原市小店区教育局")
    t.other_school = make_org("2140105001", OrgKind.SCHOOL, t.other_county, name="太原市小店区实验小学")
    return t


@pytest.fixture
def role_users(tree):
    """One user per role, each acting for its standard organisation (ROLE_HOME)."""
    return {role: make_user(role, getattr(tree, ROLE_HOME[role]), username=f"u_{role}") for role in Role.values}


@pytest.fixture
def artifacts_dir():
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    # With REDIS_URL set, tasks would queue for a worker the test never starts: run them in the
    # test's process so their effect (an e-mail, a file) is visible. Tests marked `services`
    # start a real worker and keep the broker.
    if request.node.get_closest_marker("services"):
        yield
        return
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
