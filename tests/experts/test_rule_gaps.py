"""The cases a mutation run found unpinned: each test names the rule and fails when it breaks.

回避 with exact expected path sets (no oracle borrowed from the code under test), planning's guard for
applications that already have their experts and its use of uneven loads, the outlier margin's
boundary, and masking at its edges."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from portal.experts.avoidance import avoid_paths, conflicts
from portal.experts.planning import plan
from portal.experts.scoring import outliers
from portal.orgs.choices import OrgKind, Role
from portal.reports.masking import Masker, mask_email, mask_phone
from tests.factories import make_user


def _expert(user, region=None):
    return SimpleNamespace(user=user, region_id=region.pk if region else None, region=region)


# --- 回避 ---------------------------------------------------------------------------------------


def test_an_expert_at_a_university_avoids_its_own_organisation_and_its_city_only(tree):
    user = make_user(Role.EXPERT, tree.university)  # 广西师范大学, in 桂林 (no city org in the tree)
    assert avoid_paths(_expert(user)) == frozenset({f"={tree.university.path}"})


def test_an_expert_at_a_city_bureau_avoids_the_whole_city(tree):
    user = make_user(Role.EXPERT, tree.city_a)
    paths = avoid_paths(_expert(user))
    assert paths == frozenset({f"={tree.city_a.path}", tree.city_a.path})
    assert conflicts(paths, tree.school_b1.path) and conflicts(paths, tree.county_a.path)
    assert not conflicts(paths, tree.school_c1.path)


def test_an_expert_at_a_school_avoids_its_city_through_the_same_city_rule(tree):
    user = make_user(Role.EXPERT, tree.school_a2)
    paths = avoid_paths(_expert(user))
    # Its own school (exactly and below), and its city: a school across the city (隆安) is avoided
    # only because of the same-city rule.
    assert paths == frozenset({f"={tree.school_a2.path}", tree.school_a2.path, tree.city_a.path})
    assert conflicts(paths, tree.school_b1.path)
    cities = {tree.city_a.code: tree.city_a, tree.city_c.code: tree.city_c}
    assert avoid_paths(_expert(user), cities=cities) == paths


def test_a_registered_region_is_avoided_too(tree):
    user = make_user(Role.EXPERT, tree.university)
    paths = avoid_paths(_expert(user, region=tree.city_c))
    assert paths == frozenset({f"={tree.university.path}", tree.city_c.path})


def test_exact_organisation_matching_does_not_reach_below_a_province_level_body(tree):
    user = make_user(Role.EXPERT, tree.centre)  # a provincial centre: itself only
    paths = avoid_paths(_expert(user))
    assert paths == frozenset({f"={tree.centre.path}"})
    assert conflicts(paths, tree.centre.path)
    assert not conflicts(paths, tree.centre.path + "X/") and not conflicts(paths, tree.school_a1.path)
    assert tree.centre.kind == OrgKind.CENTRE


# --- planning -----------------------------------------------------------------------------------


def test_an_application_that_already_has_more_than_k_experts_gets_no_more():
    # Two free experts besides the three it has: without the guard, k − 3 = −1 would take one of them.
    experts = {e: frozenset() for e in (10, 11, 12, 13, 14)}
    result = plan({1: "/a/", 2: "/b/"}, experts, 2, existing={1: {10, 11, 12}})
    assert [a for a, _ in result.pairs] == [2, 2] and result.short == {}


def test_uneven_starting_loads_are_evened_out_and_missing_loads_count_as_zero():
    result = plan({1: "/a/"}, {10: frozenset(), 11: frozenset(), 12: frozenset()}, 2, load={10: 5, 11: 1})
    assert sorted(e for _, e in result.pairs) == [11, 12]  # 12 has none recorded: load 0
    result = plan({1: "/a/", 2: "/b/", 3: "/c/"}, {10: frozenset(), 11: frozenset()}, 1, load={10: 2})
    assert [e for _, e in result.pairs] == [11, 11, 10]  # 11 catches up, then the tie goes by id


# --- scoring ------------------------------------------------------------------------------------


def test_an_outlier_exactly_at_the_margin_is_not_flagged():
    # 85 against the others' mean of 70: 15 away, exactly the margin — not beyond it.
    assert outliers({"a": D("85"), "b": D("70"), "c": D("70")}, D("15")) == {}
    assert outliers({"a": D("85.01"), "b": D("70"), "c": D("70")}, D("15")) == {"a": D("15.01")}


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("13812345678", "138****5678"),
        ("0771-5815221", "077*****5221"),
        ("123456789", "1****6789"),
        ("12345678", "****5678"),
        ("1234567", "****567"),
        ("123456", "***456"),
        ("1234", "**34"),
        ("1", "*"),
        ("", ""),
        (None, ""),
        ("   ", ""),
        (" 13812345678 ", "138****5678"),
    ],
)
def test_phone_masking_at_its_edges(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("xxh@jyt.gxzf.gov.cn", "x***@jyt.gxzf.gov.cn"),
        ("a@b.cn", "a***@b.cn"),
        ("not-an-email", "n***"),
        ("a@b@c.cn", "a***@c.cn"),
        ("", ""),
        (None, ""),
        ("  ", ""),
        ("@b.cn", "***@b.cn"),
    ],
)
def test_email_masking_at_its_edges(value, expected):
    assert mask_email(value) == expected


@pytest.mark.parametrize(
    "role,masked",
    [
        (Role.CITY_REVIEWER, False),
        (Role.PROVINCE_ADMIN, False),
        (Role.MINISTRY_REVIEWER, False),
        (Role.COUNTY_REVIEWER, True),
        (Role.SYSTEM_ADMIN, True),
        (Role.AUDIT_ADMIN, True),
        (Role.EXPERT, True),
        (Role.SCHOOL_APPLICANT, True),
    ],
)
def test_who_sees_contacts_whole(role_users, role, masked):
    masker = Masker(role_users[role])
    assert (masker.phone(None), masker.email(None)) == ("", "")
    assert masker.phone("13812345678") == ("138****5678" if masked else "13812345678")
    assert masker.email("xxh@jyt.gxzf.gov.cn") == ("x***@jyt.gxzf.gov.cn" if masked else "xxh@jyt.gxzf.gov.cn")


def test_emails_are_masked_in_exports_for_roles_that_do_not_need_them(
    calls, tree, reviewers, submitted, role_users, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from openpyxl import load_workbook

    from portal.reports import services
    from tests.fixtures.review import recommended_by_city

    lst, _ = recommended_by_city(calls, reviewers, submitted, (tree.school_a1,))
    reviewers.city.email = "nnjyj@nanning.gov.cn"
    reviewers.city.save()
    lst.sent_by = reviewers.city
    lst.save(update_fields=["sent_by"])
    for actor, shown in (
        (role_users[Role.SYSTEM_ADMIN], "n***@nanning.gov.cn"),
        (reviewers.city, "nnjyj@nanning.gov.cn"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.request_report(actor=actor, kind="city_summary", pk=lst.pk)
        job.refresh_from_db()
        ws = load_workbook(BytesIO((services.storage_dir() / job.stored_name).read_bytes()))["推荐汇总表"]
        assert (ws["F3"].value, ws["G3"].value) == ("电子邮箱", shown)


# --- the review chain ---------------------------------------------------------------------------

GUANGXI_CHAIN = SimpleNamespace(review_chain=["county", "city", "expert", "province"])
NATIONAL_CHAIN = SimpleNamespace(review_chain=["county", "city", "province", "ministry"])


@pytest.mark.parametrize(
    "call,kind,expected",
    [
        (GUANGXI_CHAIN, "school", ["county", "city", "expert", "province"]),
        # A county bureau applying as a zone is not reviewed by its own county.
        (GUANGXI_CHAIN, "zone_county", ["city", "expert", "province"]),
        # A city applying as a zone skips the city level only: experts and the province still review it.
        (GUANGXI_CHAIN, "zone_city", ["expert", "province"]),
        (NATIONAL_CHAIN, "zone_county", ["city", "province", "ministry"]),
        (NATIONAL_CHAIN, "zone_city", ["province", "ministry"]),
    ],
)
def test_applicants_skip_only_the_levels_at_or_below_themselves(call, kind, expected):
    from portal.review.chain import stages

    assert stages(call, kind) == expected


def test_the_outcomes_each_level_is_offered():
    from portal.review.chain import PANEL, outcomes_at

    assert outcomes_at(GUANGXI_CHAIN, "school", "province") == ("approve", "return", "reject")  # 退回修改 too
    assert outcomes_at(GUANGXI_CHAIN, "school", "county") == ("recommend", "return", "not_recommend")
    assert PANEL == ("recommend", "not_recommend")  # 不予推荐 too


def test_a_box_takes_the_forms_own_title_else_the_levels_usual_one():
    from portal.review.chain import box_label, box_signer

    definition = {
        "opinions": [
            {"level": "province", "label": "自治区教育厅意见", "signer": ""},
            {"level": "expert", "label": "", "signer": "组长签字："},
        ]
    }
    assert box_label(definition, "province") == "自治区教育厅意见"
    assert box_label(definition, "expert") == "专家组评审意见"  # an empty title falls back
    assert box_label(definition, "city") == "市级教育行政部门审核推荐意见"
    assert box_label({}, "ministry") == "审核意见"
    assert (box_signer(definition, "expert"), box_signer(definition, "city")) == ("组长签字：", "")
    # A box that names no signer line, and a form with no boxes at all: no line, never None.
    assert box_signer({"opinions": [{"level": "county", "label": "县级意见"}]}, "county") == ""
    assert box_signer({}, "county") == ""


# --- values as a reader sees them ----------------------------------------------------------------

DEFINITION = {
    "fields": {
        "keywords": {"kind": "keywords", "label": "关键词"},
        "category": {"kind": "categories", "label": "实验类别"},
        "ratio": {"kind": "decimal", "label": "比例", "unit": "%"},
        "amount": {"kind": "decimal", "label": "经费", "unit": "万元"},
        "rooms": {"kind": "integer", "label": "录播教室", "unit": "间"},
        "plain": {"kind": "integer", "label": "数"},
        "wifi": {"kind": "yesno", "label": "无线", "choices": [["yes", "是"], ["no", "否"]]},
        "people": {"kind": "rows", "label": "参与单位", "columns": [{"key": "unit"}, {"key": "person"}]},
    }
}


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("keywords", ["智慧课堂", "翻转课堂"], "智慧课堂、翻转课堂"),
        ("category", ["1", "2"], "面向课堂；面向评价"),
        ("category", "2", "面向评价"),
        ("category", ["9"], "9"),
        ("ratio", "95.5", "95.5%"),
        ("amount", "12.25", "12.25 万元"),
        ("rooms", 3, "3 间"),
        ("plain", 7, "7"),
        ("wifi", "no", "否"),
        (
            "people",
            [{"unit": "信息中心", "person": "李明"}, {"unit": "教务处", "person": "黄丽"}],
            "信息中心，李明；教务处，黄丽",
        ),
        ("keywords", [], ""),
        ("amount", None, ""),
        ("ratio", "", ""),
        ("unknown", "x", "x"),
    ],
)
def test_display(name, value, expected):
    from portal.formspec.fields import CallContext
    from portal.formspec.values import display

    context = CallContext(
        categories=[
            {"number": 1, "name": "面向课堂", "keywords": []},
            {"number": 2, "name": "面向评价", "keywords": []},
        ]
    )
    assert display(DEFINITION, name, value, context) == expected


# --- values: posted input, labels and version differences (killing make mutate's survivors) -----

SMALL_FORM = {
    "fields": {
        "name": {"kind": "text", "label": "实验名称"},
        "kw": {"kind": "keywords", "label": "关键词"},
        "budget": {"kind": "decimal", "label": "经费", "title": "经费投入（万元）"},
    },
    "computed": {"total": {"label": "合计"}},
}


def test_posted_values_from_a_plain_mapping_as_an_api_client_sends_them():
    from portal.formspec.values import raw_from_post

    assert raw_from_post(SMALL_FORM, {"name": None, "kw": ["a", "b"], "budget": 12}) == {
        "name": "",
        "kw": ["a", "b"],
        "budget": "12",
    }
    assert raw_from_post(SMALL_FORM, {"kw": None}) == {"kw": []}  # absent single fields stay absent


def test_posted_values_from_a_browser_form():
    from django.http import QueryDict

    from portal.formspec.values import raw_from_post

    post = QueryDict("name=%E5%AE%9E%E9%AA%8C&kw=a&kw=&kw=b")
    assert raw_from_post(SMALL_FORM, post) == {"name": "实验", "kw": ["a", "b"]}


def test_labels_take_a_fields_title_and_include_computed_cells():
    from portal.formspec.values import labelled_items

    assert labelled_items(SMALL_FORM) == [
        ("name", "实验名称"),
        ("kw", "关键词"),
        ("budget", "经费投入（万元）"),
        ("total", "合计"),
    ]
    assert labelled_items({"fields": {"name": {"kind": "text", "label": "名称"}}}) == [("name", "名称")]


def test_version_differences_cover_values_and_computed_cells_and_tolerate_missing_parts():
    from portal.formspec.values import diff_versions

    old = {"values": {"name": "甲", "budget": "1"}, "computed": {"total": "1"}}
    new = {"values": {"name": "乙", "budget": "1"}, "computed": {"total": "2"}}
    assert diff_versions(SMALL_FORM, old, new) == [
        {"name": "name", "label": "实验名称", "old": "甲", "new": "乙"},
        {"name": "total", "label": "合计", "old": "1", "new": "2"},
    ]
    assert diff_versions(SMALL_FORM, {}, {"values": {"name": "乙"}}) == [
        {"name": "name", "label": "实验名称", "old": None, "new": "乙"}
    ]
    assert diff_versions(SMALL_FORM, {"values": {"name": "甲"}}, {}) == [
        {"name": "name", "label": "实验名称", "old": "甲", "new": None}
    ]


def test_a_choice_shows_its_label_and_an_unknown_one_its_own_text():
    from portal.formspec.values import display

    form = {
        "fields": {
            "c": {"kind": "choice", "label": "学段", "choices": [["primary", "小学"], ["junior", "初中"]]},
            "y": {"kind": "yesno", "label": "是否", "choices": [["yes", "是"], ["no", "否"]]},
        }
    }
    assert display(form, "c", "junior") == "初中" and display(form, "y", "no") == "否"
    assert display(form, "c", "college") == "college"


def test_categories_without_a_call_and_a_single_category_given_as_text():
    from portal.formspec.fields import CallContext
    from portal.formspec.values import display

    form = {"fields": {"cat": {"kind": "categories", "label": "实验类别"}}}
    context = CallContext(categories=[{"number": 12, "name": "人工智能教育", "keywords": []}])
    assert display(form, "cat", "12", context) == "人工智能教育"
    assert display(form, "cat", ["12", "3"], context) == "人工智能教育；3"
    assert display(form, "cat", "12") == "12"  # no call to name it: the number as stored


def test_a_row_missing_a_column_shows_a_blank_there():
    from portal.formspec.values import display

    form = {"fields": {"t": {"kind": "rows", "label": "团队", "columns": [{"key": "name"}, {"key": "title"}]}}}
    assert display(form, "t", [{"name": "韦丽娟"}, {"name": "黄志强", "title": "站长"}]) == "韦丽娟，；黄志强，站长"


# --- scoring arithmetic and the chain's end ------------------------------------------------------


def test_scores_round_half_up_to_the_cent_as_on_paper():
    from portal.experts.scoring import q

    assert (q(D("2.345")), q(D("2.125")), q(D("-2.125"))) == (D("2.35"), D("2.13"), D("-2.13"))


def test_empty_inputs_have_a_total_of_zero_and_no_spread():
    from portal.experts.scoring import mean, spread, weighted_total

    assert weighted_total([], {}) == D("0.00")
    assert spread([]) is None and mean([]) is None
    assert spread([D("80"), D("72.5")]) == D("7.50")


def test_the_last_level_of_a_chain_has_no_next():
    from portal.review.chain import next_stage

    call = SimpleNamespace(review_chain=["county", "city", "province"])
    assert next_stage(call, "school", "county") == "city"
    assert next_stage(call, "school", "province") is None


def test_the_application_fewest_may_review_is_served_first():
    # Expert 11 must avoid /b/; served in id order, application 1 would take expert 10 and leave
    # application 2 to load expert 10 twice while 11 sits idle.
    result = plan({1: "/a/", 2: "/b/"}, {10: frozenset(), 11: frozenset({"/b/"})}, 1)
    assert sorted(result.pairs) == [(1, 11), (2, 10)] and result.short == {}


def test_clean_raw_keeps_known_names_in_their_shape():
    from portal.formspec.values import clean_raw

    assert clean_raw(SMALL_FORM, {"name": 5, "kw": "a", "budget": None, "stranger": "x"}) == {
        "name": "5",
        "kw": ["a"],
        "budget": "",
    }
    assert clean_raw(SMALL_FORM, {"kw": ["a", "", None, 3]}) == {"kw": ["a", "3"]}
    assert clean_raw(SMALL_FORM, {"kw": "智慧课堂"}) == {"kw": ["智慧课堂"]}  # one word, not its characters
    assert clean_raw(SMALL_FORM, {}) == {}


def test_typed_values_of_a_valid_form():
    from portal.formspec.values import typed_values

    form = {
        "fields": {
            "name": {"kind": "text", "label": "名称"},
            "money": {"kind": "decimal", "label": "经费", "places": 1},
            "rate": {"kind": "decimal", "label": "比例"},
            "cat": {"kind": "categories", "label": "类别"},
            "none": {"kind": "text", "label": "空"},
            "team": {"kind": "rows", "label": "团队", "max_rows": 2, "columns": [{"key": "n"}, {"key": "t"}]},
        }
    }
    from portal.formspec.fields import row_names

    (r1, r2) = row_names("team", form["fields"]["team"])
    cleaned = {
        "name": "实验",
        "money": D("12"),
        "rate": D("3"),
        "cat": "2",
        "none": "",
        r1[0]: " 韦丽娟 ",
        r1[1]: "",
        r2[0]: "",
        r2[1]: "",
    }
    assert typed_values(form, cleaned) == {
        "name": "实验",
        "money": "12.0",
        "rate": "3.00",
        "cat": ["2"],
        "none": None,
        "team": [{"n": "韦丽娟", "t": ""}],
    }
    assert typed_values({"fields": {"cat": {"kind": "categories", "label": "类别"}}}, {"cat": ""}) == {"cat": []}


def test_numbers_print_plainly_and_computed_cells_follow_their_rules():
    from portal.formspec.values import compute, plain_number

    assert (plain_number(D("20.00")), plain_number(D("2.50")), plain_number(D("0"))) == ("20", "2.5", "0")
    form = {
        "fields": {},
        "computed": {
            "total": {"op": "sum", "of": ["a", "b", "c"], "label": "合计"},
            "ratio": {"op": "ratio", "num": "total", "den": "d", "label": "生师比"},
        },
    }
    assert compute(form, {"a": "1", "b": "", "c": "2", "d": "2"}) == {"total": 3, "ratio": "1.5:1"}
    assert compute(form, {"a": "1.5", "b": "x", "c": None, "d": "0"}) == {"total": "1.5", "ratio": None}
    assert compute(form, {"d": "3"}) == {"total": None, "ratio": None}
    assert compute(form, {"a": "2", "d": "3"}) == {"total": 2, "ratio": "0.7:1"}
    assert compute(form, {"a": "1", "d": "0.3"}) == {"total": 1, "ratio": "3.3:1"}
    assert compute({"fields": {}}, {"a": "1"}) == {}  # a form without computed cells
    with pytest.raises(ValueError, match="unknown computation 'avg'"):
        compute({"computed": {"x": {"op": "avg"}}}, {})


# --- who may apply (eligibility) -----------------------------------------------------------------


def test_each_refusal_and_its_boundary(calls, tree, school_user):
    from datetime import timedelta

    from django.utils import timezone

    from portal.programmes.eligibility import applicant_kind_for, refusals
    from portal.programmes.models import Application, Call
    from portal.programmes.services.applications import start_application

    call = calls.guangxi
    assert (
        applicant_kind_for(call, tree.school_a1) == "school"
        and applicant_kind_for(call, tree.county_a) == "zone_county"
    )
    assert applicant_kind_for(call, tree.university) is None
    assert refusals(call, tree.school_a1) == []
    opens = call.opens_at
    assert refusals(call, tree.school_a1, now=opens) == []  # open from its first second
    assert refusals(call, tree.school_a1, now=opens - timedelta(seconds=1)) == [
        f"该批次自 {timezone.localtime(opens):%Y年%m月%d日 %H:%M} 起开始申报。"
    ]
    due = timezone.now() + timedelta(days=3)
    call.deadlines.update_or_create(step="submit", defaults={"due_at": due})
    call = Call.objects.get(pk=call.pk)
    assert refusals(call, tree.school_a1, now=due) == []  # open until its last second
    assert refusals(call, tree.school_a1, now=due + timedelta(seconds=1)) == [
        f"该批次申报已于 {timezone.localtime(due):%Y年%m月%d日 %H:%M} 截止。"
    ]
    assert refusals(call, tree.other_school) == ["本单位不在“广西壮族自治区教育厅”组织的申报范围内。"]
    from portal.programmes.choices import ApplicantKind

    kinds = "、".join(ApplicantKind(f.applicant_kind).label for f in call.forms.all())
    assert refusals(call, tree.university) == [f"本批次只接受以下单位申报：{kinds}。"] and "学校" in kinds
    call.excluded_organisations.add(tree.school_a2)
    Call.objects.filter(pk=call.pk).update(exclusion_note="")
    call = Call.objects.get(pk=call.pk)
    assert refusals(call, tree.school_a2) == ["本单位不得申报本批次：已承担同类项目。"]
    application = start_application(actor=school_user, call=call)
    assert refusals(call, tree.school_a1) == ["本单位已在本批次建立申请，每个单位只能申报一份。"]
    assert refusals(call, tree.school_a1, ignore=application) == []
    assert refusals(call, tree.school_a1, check_existing=False) == []
    Call.objects.filter(pk=call.pk).update(is_published=False)
    assert refusals(Call.objects.get(pk=call.pk), tree.school_a1, ignore=application) == ["该申报批次尚未发布。"]
    earlier = calls.national
    call.excluded_calls.add(earlier)
    Application.objects.filter(pk=application.pk).update(call=earlier, status="rejected")
    assert refusals(call, tree.school_a1) == []  # not approved there: may apply
    Application.objects.filter(pk=application.pk).update(call=earlier, status="approved")
    assert refusals(call, tree.school_a1) == [f"本单位已在“{earlier.title}”中立项，不再申报本批次。"]
    assert refusals(call, tree.school_b1) == []  # another school's approval is not its own
    call.excluded_calls.clear()
    assert refusals(call, tree.school_a1) == []  # approved in a call that does not exclude
