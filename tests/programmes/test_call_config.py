"""The call configuration page: a provincial administrator opens and edits a call through the form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.orgs.choices import Role
from portal.programmes.models import Call, Programme

FMT = "%Y-%m-%dT%H:%M"


def _post(tree, **overrides):
    now = timezone.localtime()
    programme, _ = Programme.objects.get_or_create(
        code="gx-zones",
        defaults={"name": "广西基于教学改革、融合信息技术的新型教与学模式实验区", "organisation": tree.province},
    )
    data = {
        "programme": programme.pk,
        "title": "2024年第四批实验区和实验校遴选",
        "issuing_authority": "广西壮族自治区教育厅",
        "document_number": "桂教网信〔2024〕7号",
        "notice_title": "关于开展第四批遴选工作的通知",
        "summary": "摘要",
        "contact_info": "联系人：李老师",
        "opens_at": (now - timedelta(days=1)).strftime(FMT),
        "is_published": "on",
        "target_zones": "10",
        "target_schools": "40",
        "notice_days": "5",
        "cycle_years": "3",
        "extension_years_max": "1",
        "max_file_mb": "10",
        "max_total_mb": "50",
        "exclusion_note": "",
        "excluded_codes": "",
        "form_zone_county": "guangxi_zone",
        "form_zone_city": "guangxi_zone",
        "form_school": "guangxi_school",
        "chain_0": "county",
        "chain_1": "city",
        "chain_2": "province",
        "chain_3": "",
        "chain_4": "",
        "quota_city_zone": "5",
        "quota_city_school": "10",
        "quota_province_zone": "",
        "due_submit": (now + timedelta(days=20)).strftime(FMT),
        "due_county": (now + timedelta(days=25)).strftime(FMT),
        "due_city": (now + timedelta(days=30)).strftime(FMT),
        "cat-TOTAL_FORMS": "2",
        "cat-INITIAL_FORMS": "0",
        "cat-MIN_NUM_FORMS": "0",
        "cat-MAX_NUM_FORMS": "1000",
        "cat-0-number": "1",
        "cat-0-name": "面向课堂教学方式变革的需要",
        "cat-0-keywords": "智慧课堂、翻转课堂，深度学习",
        "cat-1-number": "2",
        "cat-1-name": "面向教师专业能力提升需要",
        "cat-1-keywords": "网络研修\n名师工作室",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users[Role.PROVINCE_ADMIN])
    return client


def test_province_admin_opens_a_call_through_the_page(admin_client, tree):
    response = admin_client.post(reverse("programmes:call_create"), _post(tree))
    call = Call.objects.get(document_number="桂教网信〔2024〕7号")
    assert response.status_code == 302 and response.url == reverse("programmes:call_detail", args=[call.pk])
    assert call.organisation == tree.province
    assert call.review_chain == ["county", "city", "province"]
    assert {f.applicant_kind: f.form_key for f in call.forms.all()} == {
        "zone_county": "guangxi_zone",
        "zone_city": "guangxi_zone",
        "school": "guangxi_school",
    }
    assert [(c.number, c.keywords) for c in call.categories.order_by("number")] == [
        (1, ["智慧课堂", "翻转课堂", "深度学习"]),
        (2, ["网络研修", "名师工作室"]),
    ]
    assert sorted((q.level, q.target, q.max_count) for q in call.quotas.all()) == [
        ("city", "school", 10),
        ("city", "zone", 5),
    ]
    assert sorted(d.step for d in call.deadlines.all()) == ["city", "county", "submit"]
    assert (call.target_zones, call.target_schools, call.notice_days, call.max_file_mb) == (10, 40, 5, 10)
    assert AuditEntry.objects.filter(action__startswith="programmes.call", object_id=str(call.pk)).exists()
    page = admin_client.get(reverse("programmes:call_detail", args=[call.pk])).content.decode()
    assert "桂教网信〔2024〕7号" in page and "智慧课堂" in page


def test_editing_shows_the_saved_configuration_and_changes_it(admin_client, tree):
    admin_client.post(reverse("programmes:call_create"), _post(tree))
    call = Call.objects.get(document_number="桂教网信〔2024〕7号")
    page = admin_client.get(reverse("programmes:call_edit", args=[call.pk])).content.decode()
    assert 'name="cat-1-keywords"' in page and "网络研修、名师工作室" in page
    assert 'name="quota_city_zone" value="5"' in page
    data = _post(
        tree,
        chain_0="city",
        chain_1="province",
        chain_2="",
        quota_city_zone="3",
        form_school="",
        **{"cat-TOTAL_FORMS": "2", "cat-INITIAL_FORMS": "2", "cat-1-DELETE": "on"},
    )
    response = admin_client.post(reverse("programmes:call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.review_chain == ["city", "province"]
    assert call.quotas.get(level="city", target="zone").max_count == 3
    assert set(call.forms.values_list("applicant_kind", flat=True)) == {"zone_county", "zone_city"}
    assert list(call.categories.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"notice_days": "3"}, "notice_days", "公示时间不少于5天。"),
        ({"chain_0": "", "chain_1": "", "chain_2": ""}, "chain_0", "请设置审核推荐流程。"),
        ({"chain_1": "county"}, "chain_0", "审核推荐流程中同一层级只能出现一次。"),
        (
            {"form_zone_county": "", "form_zone_city": "", "form_school": ""},
            "form_school",
            "请至少为一类申报单位指定申请表。",
        ),
        ({"excluded_codes": "450102\n9999999"}, "excluded_codes", "以下机构代码不存在或不在您的管理范围内：9999999"),
        ({"due_submit": "2000-01-01T09:00"}, "due_submit", "提交截止时间应晚于开始申报时间。"),
        ({"cat-0-keywords": " 、 "}, None, "请至少填写一个关键词。"),
    ],
)
def test_bad_configuration_is_refused_at_the_field(admin_client, tree, overrides, field, message):
    response = admin_client.post(reverse("programmes:call_create"), _post(tree, **overrides))
    assert response.status_code == 200
    assert not Call.objects.filter(document_number="桂教网信〔2024〕7号").exists()
    if field:
        assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    # What was typed is shown again.
    assert "关于开展第四批遴选工作的通知" in response.content.decode()


def test_excluded_codes_outside_scope_are_refused(admin_client, tree):
    # Shanxi's school is not the Guangxi administrator's to exclude.
    response = admin_client.post(reverse("programmes:call_create"), _post(tree, excluded_codes=tree.other_school.code))
    assert tree.other_school.code in response.context["form"].errors["excluded_codes"][0]


def test_excluded_codes_inside_scope_are_stored(admin_client, tree):
    admin_client.post(reverse("programmes:call_create"), _post(tree, excluded_codes="450102，2450123001"))
    call = Call.objects.get(document_number="桂教网信〔2024〕7号")
    assert set(call.excluded_organisations.values_list("code", flat=True)) == {"450102", "2450123001"}


def test_a_call_needs_a_category(admin_client, tree):
    response = admin_client.post(
        reverse("programmes:call_create"), _post(tree, **{"cat-0-DELETE": "on", "cat-1-DELETE": "on"})
    )
    assert response.status_code == 200
    assert "请至少设置一个实验类别。" in response.content.decode()
    assert not Call.objects.exists()


def test_a_school_user_cannot_open_a_call(client, role_users, tree):
    client.force_login(role_users[Role.SCHOOL_APPLICANT])
    assert client.post(reverse("programmes:call_create"), _post(tree)).status_code == 403
    assert not Call.objects.exists()


def _documented_openers() -> set[str]:
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    text = root.joinpath("docs", "calls-and-forms.md").read_text(encoding="utf-8")
    line = re.search(r"Who opens calls:(.*?)\n  answered 403", text, re.S).group(1)
    return {role for role in Role.values if Role(role).label in line.split("the 系统管理员")[0]}


@pytest.mark.parametrize("role", Role.values)
def test_who_opens_calls_is_what_the_documentation_says(client, role_users, role):
    """The documentation of calls names the roles that open them; the permission and the page agree with it."""
    user = role_users[role]
    opens = role in _documented_openers()
    assert user.has_perm("programmes.manage_call") is opens
    client.force_login(user)
    response = client.get(reverse("programmes:call_create"))
    assert response.status_code == (200 if opens else 403)
    if not opens:
        assert "申报批次由省级管理员（本省批次）或教育部审核人（全国批次）开设" in response.content.decode()


def test_the_documentation_names_the_province_and_the_ministry_and_not_the_system_administrator():
    assert _documented_openers() == {Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER}


UP = "审核推荐应自下而上（县级 → 市级 → 省级 → 教育部）。"


@pytest.mark.parametrize(
    "chain, refusals",
    [
        (["county", "city", "expert", "province"], []),
        (["city", "province", "ministry"], []),
        (["county", "city", "expert", "province", "ministry"], []),
        (
            ["county", "province", "expert", "city"],
            [
                "“专家评审”应排在“省级教育行政部门”之前：专家评审意见供省级决定时参考。",
                "“市级教育行政部门”不能排在“专家评审”之后：" + UP,
            ],
        ),
        (["city", "county"], ["“县级教育行政部门”不能排在“市级教育行政部门”之后：" + UP]),
        (["county", "expert"], ["“专家评审”不能作为最后一步：最后一步是作出立项决定的层级。"]),
        (["county", "county", "city"], ["审核推荐流程中同一层级只能出现一次。"]),
        (["ministry", "province"], ["“省级教育行政部门”不能排在“教育部”之后：" + UP]),
        (["expert", "province"], []),
        (["county", "expert", "province"], []),
        (["county", "city", "expert"], ["“专家评审”不能作为最后一步：最后一步是作出立项决定的层级。"]),
        ([], ["请设置审核推荐流程。"]),
    ],
)
def test_the_review_chain_goes_up_the_hierarchy_with_experts_before_the_decision(chain, refusals):
    from portal.review.chain import chain_refusals

    assert chain_refusals(chain) == refusals


def test_an_illogical_chain_is_refused_on_the_page_with_its_reason_in_the_summary(admin_client, tree):
    response = admin_client.post(
        reverse("programmes:call_create"),
        _post(tree, chain_0="county", chain_1="province", chain_2="expert", chain_3="city"),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Call.objects.exists()
    summary = page[page.index('data-testid="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert 'href="#id_chain_0"' in summary and "不能排在" in summary and "应排在" in summary
    assert 'value="2024年第四批实验区和实验校遴选"' in page  # the rest of the input is kept


def test_category_errors_are_listed_at_the_top_with_links_to_their_row(admin_client, tree):
    page = admin_client.post(
        reverse("programmes:call_create"), _post(tree, **{"cat-1-keywords": "  "})
    ).content.decode()
    summary = page[page.index('data-testid="error-summary"') :]
    assert 'href="#id_cat-1-keywords"' in summary[: summary.index("</ul>")]


def test_the_excluded_calls_section_offers_choices_or_is_not_shown(admin_client, tree, calls):
    page = admin_client.get(reverse("programmes:call_create")).content.decode()
    assert (
        "已立项不得再申报的批次" in page and calls.national.title not in page
    )  # the national call is not the province's
    assert f'value="{calls.guangxi.pk}"' in page
    Call.objects.all().delete()
    assert "已立项不得再申报的批次" not in admin_client.get(reverse("programmes:call_create")).content.decode()
