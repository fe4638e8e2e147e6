"""The scope rule `path__under` (portal/orgs/lookups.py) selects exactly what a prefix
match selects, on SQLite through the path index for a city or a county (a city's queue scanned every
application at its stage before), and not for the wide scopes that hold nearly everything."""

import pytest
from django.db import connection

from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation
from tests.factories import make_org


def _codes(**lookup):
    return sorted(Organisation.objects.filter(**lookup).values_list("code", flat=True))


@pytest.mark.parametrize(
    "prefix",
    ["/MOE/", "/MOE/450000/", "/MOE/450000/450100/", "/MOE/450000/450100/450102/", "/MOE/140000/", "/MOE/450000/4501"],
)
def test_under_selects_what_a_prefix_selects(tree, prefix):
    # A sibling whose code extends the city's (4501000…) must not count as inside 450100's branch.
    make_org("4501001", OrgKind.COUNTY, tree.province, name="边界测试教育局", division_code="450100")
    expected = sorted(o.code for o in Organisation.objects.all() if o.path.startswith(prefix))
    assert _codes(path__under=prefix) == expected
    assert _codes(path__within=prefix) == expected  # the same rows, planned another way
    assert expected  # the case is not vacuous


def test_under_is_exact_about_letter_case(tree):
    # LIKE on SQLite ignores ASCII case; a scope path is compared exactly.
    centre_path = tree.centre.path
    assert _codes(path__under=centre_path) == ["450000-XXZX"]
    assert _codes(path__under=centre_path.lower()) == []
    assert _codes(path__within=centre_path.lower()) == []


def test_under_refuses_an_empty_prefix(tree):
    with pytest.raises(ValueError):
        list(Organisation.objects.filter(path__under=""))


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL serves LIKE from its index")
def test_sqlite_finds_a_citys_branch_through_the_path_index_but_not_a_provinces(tree):
    for branch in (tree.city_a, tree.county_a):
        assert "USING INDEX org_path_prefix (path>? AND path<?)" in _plan(
            Organisation.objects.filter(path__under=branch.path)
        ), branch
    assert "path>?" not in _plan(Organisation.objects.filter(path__under=tree.province.path))


def test_a_citys_queue_names_its_branch_once(tree):
    # The same prefix twice made PostgreSQL square its selectivity (247 rows expected, 2,173 found)
    # and sort a city's whole queue for a merge join.
    from portal.orgs.choices import Role
    from portal.review.selectors import pending_applications
    from tests.factories import make_user

    city = make_user(Role.CITY_REVIEWER, tree.city_a)
    assert str(pending_applications(city).query).count(tree.city_a.path) == 1
