"""The review chain through the services: a Guangxi school from school to region approval, and a
national zone from county to ministry, checking state, opinions, seals and audit rows at each step."""

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.notifications.models import Notification
from portal.programmes.choices import Status
from portal.programmes.models import Project
from portal.review.models import ListStatus, Objection, RecommendationList
from portal.review.services import lists, objections
from portal.review.services.decisions import Decision, decide
from tests.factories import make_org, make_user


def _audit(application, action):
    return AuditEntry.objects.filter(object_type="programmes.application", object_id=str(application.pk), action=action)


def _recommend(actor, application, text, outcome="recommend", **kw):
    opinion = decide(actor=actor, application=application, decision=Decision(outcome=outcome, text=text), **kw)
    application.refresh_from_db()
    return opinion


def _list(application, level):
    return RecommendationList.objects.get(call=application.call, level=level)


def test_guangxi_school_from_school_to_region_approval(calls, tree, school_user, reviewers, submitted, later):
    application = submitted(school_user, calls.guangxi)
    assert (application.status, application.stage) == (Status.SUBMITTED, "county")
    assert Notification.objects.filter(user=reviewers.county, kind="to_review").exists()

    # County: 县级教育行政部门推荐意见, signed and sealed by the county bureau, then its list goes up.
    opinion = _recommend(reviewers.county, application, "同意推荐。")
    assert (opinion.level, opinion.organisation, opinion.signer_name) == (
        "county",
        tree.county_a,
        reviewers.county.real_name,
    )
    assert opinion.seal.organisation == tree.county_a and "南" in opinion.seal.svg
    assert application.stage == "county" and _audit(application, "review.recommend").count() == 1
    county_list = _list(application, "county")
    lists.send(actor=reviewers.county, lst=county_list)
    application.refresh_from_db()
    assert application.stage == "city" and _audit(application, "review.forward").get().changes == {
        "stage": ["county", "city"]
    }

    # City: 市级教育行政部门审核推荐意见; the list must be noticed publicly for ≥ 5 days, objections handled.
    _recommend(reviewers.city, application, "经审核，同意推荐。")
    city_list = _list(application, "city")
    with pytest.raises(ServiceError, match="须先公示"):
        lists.send(actor=reviewers.city, lst=city_list)
    with pytest.raises(ServiceError, match="公示时间不少于5天"):
        lists.start_notice(actor=reviewers.city, lst=city_list, starts=later(0), ends=later(4))
    lists.start_notice(actor=reviewers.city, lst=city_list, starts=later(0), ends=later(5))
    city_list.refresh_from_db()
    assert city_list.status == ListStatus.NOTICE and "拟推荐名单的公示" in city_list.notice_title
    with pytest.raises(ServiceError, match="公示期至"):
        lists.send(actor=reviewers.city, lst=city_list, now=later(4))
    objection = objections.lodge(
        lst=city_list,
        name="李明",
        contact="13800000000",
        text="该校近三年信息化投入数据与实际不符。",
        application_id=application.pk,
        now=later(1),
    )
    with pytest.raises(ServiceError, match="1 条异议未处理"):
        lists.send(actor=reviewers.city, lst=city_list, now=later(5, minutes=1))
    objections.handle(
        actor=reviewers.city,
        objection=objection,
        outcome="rejected",
        handling="经核查，数据与财务账目一致，异议不成立。",
    )
    assert Objection.objects.get().status == "handled"
    lists.send(actor=reviewers.city, lst=city_list, now=later(5, minutes=1))
    application.refresh_from_db()
    assert application.stage == "expert"

    # Expert level (recorded by the province until panels exist), then the region decides and publishes.
    opinion = _recommend(reviewers.province, application, "专家组一致同意推荐立项。", now=later(6))
    assert opinion.organisation == tree.province
    lists.send(actor=reviewers.province, lst=_list(application, "expert"), now=later(6))
    application.refresh_from_db()
    assert application.stage == "province"
    with pytest.raises(
        ServiceError, match="省级教育行政部门不能作出“推荐”的结论，可选：同意立项、退回修改、不同意立项。"
    ):
        _recommend(reviewers.province, application, "同意。", outcome="recommend", now=later(7))
    _recommend(reviewers.province, application, "同意立项。", outcome="approve", now=later(7))
    final = _list(application, "province")
    lists.start_notice(actor=reviewers.province, lst=final, starts=later(7), ends=later(12), now=later(7))
    lists.send(actor=reviewers.province, lst=final, now=later(12, minutes=1))
    application.refresh_from_db()
    final.refresh_from_db()
    assert (application.status, application.stage, final.status) == (Status.APPROVED, "", ListStatus.PUBLISHED)
    project = Project.objects.get(application=application)
    assert project.organisation == tree.school_a1 and (project.ends_on.year - project.starts_on.year) == 3

    opinions = list(application.opinions.order_by("pk"))
    assert [(o.level, o.outcome) for o in opinions] == [
        ("county", "recommend"),
        ("city", "recommend"),
        ("expert", "recommend"),
        ("province", "approve"),
    ]
    assert [o.seal.organisation.code for o in opinions] == ["450102", "450100", "450000", "450000"]
    actions = list(
        AuditEntry.objects.filter(object_type="programmes.application", object_id=str(application.pk))
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert [a for a in actions if a.startswith("review.")] == [
        "review.recommend",
        "review.forward",
        "review.recommend",
        "review.forward",
        "review.recommend",
        "review.forward",
        "review.approve",
        "review.approved",
    ]
    assert Notification.objects.filter(user=school_user, kind="result", title__contains="已立项").exists()


def test_national_zone_from_county_to_ministry(calls, tree, bureau_user, reviewers, submitted, later):
    application = submitted(bureau_user, calls.national, multiple=True)
    assert application.stage == "city"  # the county applies itself; Shanxi-style city forwarding
    opinion = _recommend(reviewers.city, application, "同意推荐（每市限1个）。")
    assert opinion.seal.organisation == tree.city_a
    lists.send(actor=reviewers.city, lst=_list(application, "city"))  # no notice at this level
    application.refresh_from_db()
    assert application.stage == "province"
    _recommend(reviewers.province, application, "同意推荐报送教育部。")
    lists.send(actor=reviewers.province, lst=_list(application, "province"))
    application.refresh_from_db()
    assert application.stage == "ministry"
    opinion = _recommend(reviewers.ministry, application, "同意列为实验区。", outcome="approve")
    assert opinion.organisation == tree.moe
    final = _list(application, "ministry")
    with pytest.raises(ServiceError, match="须先公示"):
        lists.send(actor=reviewers.ministry, lst=final)
    lists.start_notice(actor=reviewers.ministry, lst=final, starts=later(0), ends=later(5))
    lists.send(actor=reviewers.ministry, lst=final, now=later(5, seconds=1))
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert [o.level for o in application.opinions.order_by("pk")] == ["city", "province", "ministry"]
    assert _audit(application, "review.approved").count() == 1


def test_out_of_turn_and_out_of_scope_are_refused(calls, tree, school_user, reviewers, submitted):
    application = submitted(school_user, calls.guangxi)
    with pytest.raises(ServiceError, match="不是您审核的环节"):
        _recommend(reviewers.city, application, "越级审核")
    with pytest.raises(ServiceError, match="不是您审核的环节"):
        _recommend(reviewers.other_county, application, "不在范围内")
    with pytest.raises(ServiceError, match="没有审核权限"):
        _recommend(school_user, application, "自己审核")
    assert not application.opinions.exists()


def test_a_city_cannot_recommend_beyond_its_quota(calls, tree, reviewers, submitted):
    first = submitted(make_user("bureau_applicant", tree.county_a), calls.national, multiple=True)
    second = submitted(make_user("bureau_applicant", tree.county_b), calls.national, multiple=True)
    _recommend(reviewers.city, first, "推荐")
    with pytest.raises(ServiceError, match="已达到本级推荐实验区名额（1 个）"):
        _recommend(reviewers.city, second, "推荐")
    # Not recommending the second is still possible, and ends its way up.
    _recommend(reviewers.city, second, "不符合条件", outcome="not_recommend")
    assert second.status == Status.NOT_RECOMMENDED and second.stage == ""


def test_nothing_is_decided_after_the_levels_deadline(calls, school_user, reviewers, submitted, later):
    application = submitted(school_user, calls.guangxi)
    calls.guangxi.deadlines.create(step="county", due_at=later(-1 / 24))
    with pytest.raises(ServiceError, match="截止时间.*已过"):
        _recommend(reviewers.county, application, "同意推荐。")


def test_a_list_is_not_sent_after_the_deadline(calls, school_user, reviewers, submitted, later):
    application = submitted(school_user, calls.guangxi)
    _recommend(reviewers.county, application, "同意推荐。")
    calls.guangxi.deadlines.create(step="county", due_at=later(2))
    with pytest.raises(ServiceError, match="截止时间.*已过"):
        lists.send(actor=reviewers.county, lst=_list(application, "county"), now=later(3))


def test_return_needs_reasons_the_applicant_sees_and_resubmission_restarts_the_chain(
    calls, school_user, reviewers, submitted
):
    from portal.programmes.services.applications import save_draft, submit_application

    application = submitted(school_user, calls.guangxi)
    with pytest.raises(ServiceError, match="请填写退回理由"):
        decide(actor=reviewers.county, application=application, decision=Decision(outcome="return", text="退回"))
    decide(
        actor=reviewers.county,
        application=application,
        decision=Decision(outcome="return", text="请修改后重报。", reasons="实验方案缺少进度安排"),
    )
    application.refresh_from_db()
    assert (application.status, application.stage) == (Status.RETURNED, "")
    note = Notification.objects.get(user=school_user, kind="result")
    assert "退回修改" in note.title and note.body == "实验方案缺少进度安排"
    save_draft(
        actor=school_user,
        application=application,
        raw={"experiment_name": "智慧课堂精准教学实验（修订）"},
        expected_version=application.lock_version,
    )
    submit_application(actor=school_user, application=application)
    application.refresh_from_db()
    assert (application.status, application.stage, application.version_count) == (Status.SUBMITTED, "county", 2)
    opinion = _recommend(reviewers.county, application, "修改后同意推荐。")
    assert opinion.version.number == 2


def test_an_empty_opinion_is_refused_with_the_boxs_name(calls, school_user, reviewers, submitted):
    application = submitted(school_user, calls.guangxi)
    with pytest.raises(ServiceError) as refusal:
        _recommend(reviewers.county, application, "  ")
    assert refusal.value.errors["text"] == ["请填写“县级教育行政部门推荐意见”。"]


def test_a_removed_recommendation_returns_to_the_queue_and_ranking_renumbers(calls, tree, reviewers, submitted):
    from portal.review.selectors import pending_applications
    from portal.review.services.decisions import remove_from_list

    a = submitted(make_user("school_applicant", tree.school_a1), calls.guangxi)
    b = submitted(make_user("school_applicant", tree.school_a2), calls.guangxi)
    _recommend(reviewers.county, a, "推荐")
    _recommend(reviewers.county, b, "推荐")
    county_list = _list(a, "county")
    entries = {e.application_id: e for e in county_list.entries.all()}
    assert (entries[a.pk].rank, entries[b.pk].rank) == (1, 2)
    lists.rank(actor=reviewers.county, lst=county_list, order=[entries[b.pk].pk, entries[a.pk].pk])
    assert dict(county_list.entries.values_list("application_id", "rank")) == {b.pk: 1, a.pk: 2}
    with pytest.raises(ServiceError, match="全部申请"):
        lists.rank(actor=reviewers.county, lst=county_list, order=[entries[b.pk].pk])
    with pytest.raises(ServiceError, match="只有本级审核人"):
        lists.rank(actor=reviewers.other_county, lst=county_list, order=[entries[a.pk].pk, entries[b.pk].pk])
    remove_from_list(actor=reviewers.county, entry=entries[a.pk])
    assert list(pending_applications(reviewers.county)) == [a]


def test_objections_only_during_the_notice_and_with_substance(calls, tree, reviewers, submitted, later):
    application = submitted(make_user("school_applicant", tree.school_a1), calls.guangxi)
    other = submitted(make_user("school_applicant", tree.school_a2), calls.guangxi)
    _recommend(reviewers.county, application, "推荐")
    _recommend(reviewers.county, other, "推荐")
    lists.send(actor=reviewers.county, lst=_list(application, "county"))
    application.refresh_from_db()
    other.refresh_from_db()
    _recommend(reviewers.city, application, "推荐")
    city_list = _list(application, "city")
    with pytest.raises(ServiceError, match="不在公示期内"):
        objections.lodge(lst=city_list, name="李明", contact="1", text="名单有问题，请核查清楚。")
    lists.start_notice(actor=reviewers.city, lst=city_list, starts=later(0), ends=later(5))
    city_list.refresh_from_db()
    with pytest.raises(ServiceError) as refusal:
        objections.lodge(lst=city_list, name="", contact="", text="不行")
    assert set(refusal.value.errors) == {"name", "contact", "text"}
    with pytest.raises(ServiceError, match="不在公示期内"):
        objections.lodge(lst=city_list, name="李明", contact="1", text="名单有问题，请核查清楚。", now=later(6))
    # A noticed list is what the public saw: nothing is added to it.
    with pytest.raises(ServiceError, match="本级名单公示中，不能再加入"):
        _recommend(reviewers.city, other, "推荐")


def test_a_late_recommendation_opens_a_second_batch_and_the_quota_counts_both(calls, tree, reviewers, submitted):
    calls.guangxi.quotas.create(level="county", target="school", max_count=2)
    first = submitted(make_user("school_applicant", tree.school_a1), calls.guangxi)
    _recommend(reviewers.county, first, "推荐")
    lists.send(actor=reviewers.county, lst=RecommendationList.objects.get(level="county"))
    late = submitted(make_user("school_applicant", tree.school_a2), calls.guangxi)
    _recommend(reviewers.county, late, "推荐")
    batches = list(RecommendationList.objects.filter(level="county").order_by("batch"))
    assert [(b.batch, b.status, b.entries.count()) for b in batches] == [(1, "sent", 1), (2, "open", 1)]
    third = submitted(make_user("school_applicant", make_org("2450102099", "school", tree.county_a)), calls.guangxi)
    with pytest.raises(ServiceError, match="名额（2 个）"):
        _recommend(reviewers.county, third, "推荐")
    lists.send(actor=reviewers.county, lst=batches[1])
    late.refresh_from_db()
    assert late.stage == "city"


def test_a_school_directly_under_a_city_without_counties_skips_the_county_level(
    calls, tree, reviewers, submitted, later, client
):
    """东莞, 中山, 嘉峪关 and 儋州 have no county level: their schools are reviewed first by the city."""
    from django.urls import reverse

    from portal.review import chain

    city = make_org("450999", "city", tree.province, name="无县市教育局")
    school = make_org("2450999001", "school", city, name="无县市第一中学")
    city_reviewer = make_user("city_reviewer", city, username="nocounty_city")
    application = submitted(make_user("school_applicant", school, username="nocounty_school"), calls.guangxi)
    assert (application.status, application.stage) == (Status.SUBMITTED, "city")
    assert chain.stages_of(application) == ["city", "expert", "province"]
    assert Notification.objects.filter(user=city_reviewer, kind="to_review").exists()
    assert not Notification.objects.filter(user=reviewers.county, kind="to_review").exists()
    # No county sees it waiting; the city acts on it first and its list sends it to the experts.
    client.force_login(reviewers.county)
    assert school.name not in client.get(reverse("review:queue")).content.decode()
    client.force_login(city_reviewer)
    assert school.name in client.get(reverse("review:queue")).content.decode()
    _recommend(city_reviewer, application, "经审核，同意推荐。")
    city_list = _list(application, "city")
    lists.start_notice(actor=city_reviewer, lst=city_list, starts=later(0), ends=later(5))
    lists.send(actor=city_reviewer, lst=city_list, now=later(6))
    application.refresh_from_db()
    assert application.stage == "expert"
    # A school under a county of the same call still starts at its county.
    ordinary = submitted(make_user("school_applicant", tree.school_a2, username="ordinary"), calls.guangxi)
    assert ordinary.stage == "county"


@pytest.mark.parametrize(
    "kind, parent, rank",
    [
        ("school", "county", 0),
        ("school", "city", 1),
        ("school", None, 0),
        ("zone_county", "city", 1),
        ("zone_city", "province", 2),
    ],
)
def test_applicant_rank_counts_a_school_under_a_city_as_a_county(kind, parent, rank):
    from portal.review.chain import applicant_rank

    assert applicant_rank(kind, parent) == rank


def test_an_applicant_without_a_parent_has_no_parent_kind():
    from types import SimpleNamespace

    from portal.review.chain import parent_kind_of

    orphan = SimpleNamespace(applicant=SimpleNamespace(parent_id=None, parent=None))
    assert parent_kind_of(orphan) is None
    under_city = SimpleNamespace(applicant=SimpleNamespace(parent_id=7, parent=SimpleNamespace(kind="city")))
    assert parent_kind_of(under_city) == "city"
