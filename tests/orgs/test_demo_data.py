import json
from io import StringIO

import pytest
from django.core.management import call_command

from portal.orgs import divisions
from portal.orgs.choices import OrgKind, Role
from portal.orgs.models import Organisation, User


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_demo_loads_the_real_guangxi_tree(demo):
    guangxi = Organisation.objects.filter(path__startswith="/MOE/450000/")
    assert guangxi.filter(kind=OrgKind.CITY).count() == len(divisions.children("450000")) == 14
    counties = guangxi.filter(kind=OrgKind.COUNTY)
    assert counties.count() == sum(len(divisions.children(c.code)) for c in divisions.children("450000"))
    assert all(divisions.is_within(c.division_code, c.parent.division_code) for c in counties.select_related("parent"))
    assert Organisation.objects.get(code="450102").name == "南宁市兴宁区教育局"
    assert Organisation.objects.get(code="450123").name == "隆安县教育局"
    assert Organisation.objects.get(code="450000-XXZX").name == "广西壮族自治区教育技术和信息化中心"
    assert Organisation.objects.get(code="441900").name == "东莞市教育局"
    assert Organisation.objects.filter(kind=OrgKind.SCHOOL, parent__code="441900").count() == 4  # 3 + 巷头小学
    assert Organisation.objects.filter(kind=OrgKind.COUNTY, path__startswith="/MOE/140000/").count() == sum(
        len(divisions.children(c.code)) for c in divisions.children("140000")
    )


def test_demo_has_an_account_for_every_role_and_is_idempotent(demo):
    before = (Organisation.objects.count(), User.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Organisation.objects.count(), User.objects.count()) == before
    roles = set()
    for user in User.objects.all():
        roles |= user.role_set
    assert roles == set(Role.values)


def test_json_lists_accounts_that_can_sign_in(demo, client):
    out = StringIO()
    call_command("load_demo", "--json", stdout=out)
    accounts = json.loads(out.getvalue())
    assert {a["role"] for a in accounts} == set(Role.values)
    assert set(accounts[0]) >= {"username", "password", "role", "organisation_code"}
    first = accounts[0]
    response = client.post("/accounts/login/", {"username": first["username"], "password": first["password"]})
    assert response.status_code == 302


def test_seed_scale_generates_schools_under_real_counties(demo):
    call_command("seed_scale", "--schools", "500", stdout=StringIO())
    scale = Organisation.objects.filter(code__startswith="S")
    assert scale.count() == 500
    school = scale.select_related("parent").first()
    assert school.parent.kind == OrgKind.COUNTY and school.path.startswith(school.parent.path)
    call_command("seed_scale", "--schools", "500", stdout=StringIO())
    assert scale.count() == 500


# What placeholder content looks like: a label followed by "内容<number>", or a made-up contact.
PLACEHOLDER = __import__("re").compile(r"内容\d+|联系人\d|[\u4e00-\u9fff]{2,}联系人$|测试")


def test_demo_forms_hold_realistic_content_down_to_their_print(demo, django_capture_on_commit_callbacks):
    """No placeholder text (负责人职务：内容28, 育才学校联系人) in any demo application, its 附件3/附件4
    rows or its printed form."""
    from portal.programmes.models import Application
    from portal.reports.pdf import application_pdf
    from portal.review import summary
    from portal.review.models import RecommendationList

    applications = list(Application.objects.filter(version_count__gt=0))
    assert applications
    for application in applications:
        values = application.versions.order_by("-number").first().content["values"]
        for name, value in values.items():
            for text in value if isinstance(value, list) else [value]:
                assert not PLACEHOLDER.search(str(text)), f"{application.applicant.name} {name}: {text}"
        contact = "contact" if "contact_dept" in values else "contact1"  # the national form has two contacts
        assert (
            values["head_title"] in ("校长", "局长")
            and "信息" in values[f"{contact}_dept"] + values[f"{contact}_title"]
        )
    for lst in RecommendationList.objects.all():
        data = summary.build(lst)
        for row in data.zones + data.schools + data.contacts:
            assert not any(PLACEHOLDER.search(str(v)) for v in row.values()), row
    import re
    import subprocess

    # The Guangxi school form (its contact is "联系人"; the national form's "联系人 1" is a real label).
    school = next(a for a in applications if a.schema.key == "guangxi_school")
    pdf, _ = application_pdf(school, User.objects.get(username="gx_county"))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert not PLACEHOLDER.search(re.sub(r"\s+", "", text))


def test_demo_shows_a_dongguan_school_skipping_the_county_in_a_guangdong_call(demo, client):
    from django.urls import reverse

    from portal.programmes.models import Application, Call

    call = Call.objects.get(document_number="演示〔2026〕1号")
    assert call.review_chain[0] == "county" and call.organisation.code == "440000"
    waiting = Application.objects.get(call=call, applicant__code="2441900002")
    assert waiting.applicant.parent.kind == OrgKind.CITY and waiting.stage == "city"
    client.force_login(User.objects.get(username="dg_city"))
    assert waiting.applicant.name in client.get(reverse("review:queue")).content.decode()
    # dg_school (another Dongguan school) can apply in the call itself.
    school = User.objects.get(username="dg_school")
    assert school.organisation.parent.code == "441900"
    client.force_login(school)
    assert call.title in client.get(reverse("programmes:call_list")).content.decode()


def test_demo_walks_the_evaluation_cycle_to_each_outcome(demo, client):
    """A mid-term round with an outcome of each kind, a pending extension, an accepted
    project with showcased cases, and monthly reports with a gap — and the public pages show them."""
    from django.urls import reverse

    from evaluation.models import EvaluationRound, Extension, MonthlyReport, ShowcaseItem
    from portal.programmes.models import Project

    midterm = EvaluationRound.objects.get(kind="midterm")
    assert sorted(midterm.entries.values_list("outcome", flat=True)) == ["pass", "rectify", "revoke"]
    statuses = dict(Project.objects.values_list("organisation__code", "status"))
    assert {code: statuses[code] for code in ("441900", "140105", "450102")} == {
        "441900": "accepted",
        "140105": "terminated",
        "450102": "running",
    }
    assert Extension.objects.get().status == "requested"
    assert ShowcaseItem.objects.filter(status="selected", project__status="accepted").count() == 2
    school = Project.objects.get(organisation__code="2441900004")
    from evaluation.monthly import due_months

    assert MonthlyReport.objects.filter(project=school).count() == len(due_months(school)) - 1
    page = client.get(reverse("evaluation:public_round", args=[midterm.pk])).content.decode()
    assert "撤销" in page and "限期整改" in page and "通过（优秀）" in page
    assert "已验收" in client.get(reverse("evaluation:public_showcase")).content.decode()
