from portal.orgs import selectors
from portal.orgs.choices import Role
from tests.factories import make_user


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_county_sees_itself_and_its_schools_only(tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a)
    assert codes(selectors.visible_organisations(user)) == {"450102", "2450102001", "2450102002"}


def test_city_sees_its_counties_and_their_schools(tree):
    user = make_user(Role.CITY_REVIEWER, tree.city_a)
    assert codes(selectors.visible_organisations(user)) == {
        "450100",
        "450102",
        "2450102001",
        "2450102002",
        "450123",
        "2450123001",
    }


def test_provincial_centre_acts_for_the_whole_province(tree):
    user = make_user(Role.PROVINCE_ADMIN, tree.centre)
    visible = codes(selectors.visible_organisations(user))
    assert {"450000", "450000-XXZX", "450202", "2450202001"} <= visible
    assert not visible & {"140000", "2140105001", "MOE"}


def test_school_sees_only_itself(tree):
    user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1)
    assert codes(selectors.visible_organisations(user)) == {"2450102001"}


def test_expert_sees_only_its_own_organisation_until_assigned(tree):
    user = make_user(Role.EXPERT, tree.university)
    assert codes(selectors.visible_organisations(user)) == {"450000-GXNU"}
    assert list(selectors.visible_users(user)) == [user]


def test_user_without_role_sees_nothing(tree):
    user = make_user([], tree.county_a)
    assert not selectors.visible_organisations(user).exists()


def test_ministry_sees_every_province(tree):
    user = make_user(Role.MINISTRY_REVIEWER, tree.moe)
    assert {"450000", "140000", "2140105001"} <= codes(selectors.visible_organisations(user))


def test_users_are_scoped_by_their_organisation(tree):
    county = make_user(Role.COUNTY_REVIEWER, tree.county_a)
    mine = make_user(Role.SCHOOL_APPLICANT, tree.school_a2)
    theirs = make_user(Role.SCHOOL_APPLICANT, tree.school_b1)
    visible = set(selectors.visible_users(county))
    assert mine in visible and theirs not in visible


def test_inactive_user_sees_nothing(tree):
    user = make_user(Role.CITY_REVIEWER, tree.city_a, is_active=False)
    assert not selectors.visible_organisations(user).exists()


def test_another_countys_school_is_404_for_a_county_user(client, tree):
    client.force_login(make_user(Role.COUNTY_REVIEWER, tree.county_a))
    assert client.get("/orgs/2450102001/").status_code == 200
    response = client.get("/orgs/2450123001/")
    assert response.status_code == 404
    assert "页面不存在或不在您的管辖范围内" in response.content.decode()
    assert client.get("/api/v1/organisations/2450123001/").status_code == 404


def test_every_application_carries_its_applicants_path(db, tree, calls):
    """Scope is read from the application's own copy of the path: it must be the applicant's, for rows
    made one by one and in bulk (the scale seeders), and it is filled in by the migration for old rows."""
    from portal.formspec.registry import schema_for
    from portal.programmes.models import Application
    from portal.programmes.scale import seed_applications

    one = Application.objects.create(
        call=calls.guangxi, applicant=tree.school_a1, applicant_kind="school", schema=schema_for("guangxi_school")
    )
    assert one.applicant_path == tree.school_a1.path
    assert seed_applications(calls.guangxi, 1, prefix=tree.school_b1.code) == 1  # bulk_create
    assert Application.objects.get(applicant=tree.school_b1).applicant_path == tree.school_b1.path
    mismatched = [
        (a.pk, a.applicant_path, a.applicant.path)
        for a in Application.objects.select_related("applicant")
        if a.applicant_path != a.applicant.path
    ]
    assert mismatched == []
