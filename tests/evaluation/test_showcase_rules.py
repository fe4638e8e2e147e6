"""The public showcase's search, filter by filter: only selected items are public; each filter narrows
to exactly its value (category, 学段, 学科, a city's division code, words in the title, summary or
project); a value outside the choices is ignored rather than emptying the page; the newest selection
comes first; the region filter offers the cities that have a selected item, by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from evaluation import showcase
from evaluation.models import ShowcaseItem, ShowcaseStatus

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def items(projects):
    def item(
        project,
        title,
        *,
        category="model",
        stage="小学",
        subject="数学",
        summary="同步课堂。",
        status=ShowcaseStatus.SELECTED,
        day=0,
    ):
        return ShowcaseItem.objects.create(
            project=project,
            title=title,
            category=category,
            stage=stage,
            subject=subject,
            summary=summary,
            status=status,
            selected_at=T0 + timedelta(days=day) if status == ShowcaseStatus.SELECTED else None,
        )

    return type(
        "Items",
        (),
        {
            "model": item(projects.a1, "双师课堂教学模式", day=2),
            "case": item(
                projects.b1,
                "人工智能作文批改",
                category="case",
                stage="初中",
                subject="语文",
                summary="以AI辅助写作。",
                day=1,
            ),
            "liuzhou": item(
                projects.c1, "柳州创客教育资源", category="resource", stage="高中", subject="信息技术", day=3
            ),
            "waiting": item(projects.a1, "待遴选的案例", status=ShowcaseStatus.SUBMITTED),
            "declined": item(projects.a1, "未入选的案例", status=ShowcaseStatus.DECLINED),
        },
    )


def titles(params) -> list[str]:
    return [i.title for i in showcase.public_items(params)]


def test_only_selected_items_are_public_newest_selection_first(items):
    assert titles({}) == ["柳州创客教育资源", "双师课堂教学模式", "人工智能作文批改"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "case"}, ["人工智能作文批改"]),
        ({"stage": "初中"}, ["人工智能作文批改"]),
        ({"subject": "数学"}, ["双师课堂教学模式"]),
        ({"subject": " 语文 "}, ["人工智能作文批改"]),
        ({"region": "450200"}, ["柳州创客教育资源"]),
        ({"region": "450100"}, ["双师课堂教学模式", "人工智能作文批改"]),
        ({"q": "作文"}, ["人工智能作文批改"]),  # in the title
        ({"q": "AI辅助"}, ["人工智能作文批改"]),  # in the summary
        ({"stage": "小学", "subject": "数学", "category": "model"}, ["双师课堂教学模式"]),
    ],
    ids=[
        "category",
        "stage",
        "subject",
        "subject trimmed",
        "a city",
        "another city",
        "title words",
        "summary words",
        "all together",
    ],
)
def test_each_filter_narrows_to_its_value(items, params, expected):
    assert titles(params) == expected


def test_words_match_the_projects_title_too(items, projects):
    assert titles({"q": projects.c1.title[:6]}) == ["柳州创客教育资源"]


@pytest.mark.parametrize(
    "params",
    [{"category": "video"}, {"stage": "大学"}, {"region": "南宁"}, {"region": ""}, {"q": "   "}, {"subject": ""}],
    ids=["unknown category", "unknown stage", "region not a code", "empty region", "blank words", "empty subject"],
)
def test_a_value_outside_the_choices_is_ignored(items, params):
    assert titles(params) == ["柳州创客教育资源", "双师课堂教学模式", "人工智能作文批改"]


def test_long_values_are_cut_to_their_first_characters_before_they_are_searched(items):
    subject, words = "信息科技与跨学科主题学习实践研究", "城乡学校同步授课" * 6 + "两校"  # 16 and 50 characters
    ShowcaseItem.objects.filter(pk=items.model.pk).update(subject=subject + "综合实践", summary=words)
    assert titles({"subject": subject + "综合实践" + "（以下超出）"}) == ["双师课堂教学模式"]  # the first 20
    assert titles({"q": words + "（以下超出）"}) == ["双师课堂教学模式"]  # the first 50


def test_the_region_filter_offers_the_cities_with_a_selected_item(items, tree):
    assert showcase.regions() == [("450100", "南宁市教育局"), ("450200", "柳州市教育局")]
    ShowcaseItem.objects.filter(project__organisation__path__contains="/450200/").update(status=ShowcaseStatus.DECLINED)
    assert showcase.regions() == [("450100", "南宁市教育局")]


# ---- submitting and selecting ---------------------------------------------------------------------

GOOD = {
    "title": "双师课堂教学模式",
    "category": "model",
    "stage": "小学",
    "subject": "数学",
    "summary": "城乡学校同步授课。",
    "video_url": "https://v.example.cn/1",
}


@pytest.fixture
def school(tree):
    from portal.orgs.choices import Role
    from tests.factories import make_user

    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_showcase")


def _errors(school, project, **changes) -> dict:
    from portal.core.exceptions import ServiceError

    data = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with pytest.raises(ServiceError) as refused:
        showcase.submit(actor=school, project=project, data=data)
    assert refused.value.message == "案例有内容需要修改。"
    assert not ShowcaseItem.objects.exists()
    return refused.value.errors


@pytest.mark.parametrize(
    "changes, errors",
    [
        ({"title": None}, {"title": ["请填写标题。"]}),
        ({"title": " \x00 "}, {"title": ["请填写标题。"]}),
        ({"title": "标" * 101}, {"title": ["标题不能超过 100 字。"]}),
        ({"category": None}, {"category": ["请选择类别。"]}),
        ({"category": "video"}, {"category": ["请选择类别。"]}),
        ({"stage": None}, {"stage": ["请选择学段。"]}),
        ({"stage": "大学"}, {"stage": ["请选择学段。"]}),
        ({"subject": None}, {"subject": ["请填写学科（不分学科的填“综合”）。"]}),
        ({"subject": "学" * 21}, {"subject": ["学科不能超过 20 字。"]}),
        ({"summary": None}, {"summary": ["请填写简介。"]}),
        ({"summary": "简" * 2001}, {"summary": ["简介不能超过 2000 字（现为 2001 字）。"]}),
        ({"video_url": "javascript:alert(1)"}, {"video_url": ["视频链接须为 http:// 或 https:// 开头的网址。"]}),
        ({"video_url": "ftp://v.example.cn/1"}, {"video_url": ["视频链接须为 http:// 或 https:// 开头的网址。"]}),
        ({"video_url": "https://"}, {"video_url": ["视频链接须为 http:// 或 https:// 开头的网址。"]}),
        (
            {"video_url": "https://v.example.cn/" + "a" * 180},  # 201 characters
            {"video_url": ["视频链接须为 http:// 或 https:// 开头的网址。"]},
        ),
    ],
    ids=[
        "no title",
        "blank title",
        "title 101",
        "no category",
        "unknown category",
        "no stage",
        "unknown stage",
        "no subject",
        "subject 21",
        "no summary",
        "summary 2001",
        "script link",
        "ftp link",
        "no host",
        "link 201",
    ],
)
def test_an_item_is_refused_at_the_field(school, projects, changes, errors):
    assert _errors(school, projects.a1, **changes) == errors


def test_each_field_at_its_limit_is_taken_and_stored_clean(school, projects):
    video = "http://v.example.cn/" + "a" * 180  # 200 characters
    item = showcase.submit(
        actor=school,
        project=projects.a1,
        data={
            **GOOD,
            "title": "标\x00" + "题" * 99,
            "subject": "学\x00" + "学" * 19,
            "summary": " 简\x00" + "简" * 1999 + " ",
            "video_url": video,
        },
    )
    stored = ShowcaseItem.objects.get(pk=item.pk)
    assert stored.title == "标" + "题" * 99 and stored.subject == "学" * 20 and stored.summary == "简" * 2000
    assert stored.video_url == video and stored.status == ShowcaseStatus.SUBMITTED and stored.submitted_by == school
    from portal.audit.models import AuditEntry

    logged = AuditEntry.objects.get(action="evaluation.showcase.submit")
    assert logged.data == {"item": item.pk, "title": stored.title} and logged.object_id == str(projects.a1.pk)
    assert logged.actor_username == "a1_showcase"


def test_selecting_and_declining_is_the_provinces_and_audited(school, projects, tree):
    from portal.audit.models import AuditEntry
    from portal.orgs.choices import Role
    from tests.factories import make_user

    item = showcase.submit(actor=school, project=projects.a1, data=GOOD)
    with pytest.raises(PermissionError):
        showcase.select(
            actor=make_user(Role.CITY_REVIEWER, tree.city_a, username="nn_showcase"), item=item, selected=True
        )
    province = make_user(Role.PROVINCE_ADMIN, tree.centre, username="gx_showcase")
    chosen = showcase.select(actor=province, item=item, selected=True)
    stored = ShowcaseItem.objects.get(pk=item.pk)
    assert chosen.status == stored.status == ShowcaseStatus.SELECTED and stored.selected_at is not None
    first = AuditEntry.objects.get(action="evaluation.showcase.select")
    assert first.changes == {"status": [ShowcaseStatus.SUBMITTED, ShowcaseStatus.SELECTED]}
    assert first.data == {"item": item.pk} and first.object_id == str(projects.a1.pk)
    assert first.actor_username == "gx_showcase"
    showcase.select(actor=province, item=item, selected=False)
    stored = ShowcaseItem.objects.get(pk=item.pk)
    assert stored.status == ShowcaseStatus.DECLINED and stored.selected_at is None
    assert AuditEntry.objects.filter(action="evaluation.showcase.select").latest("pk").changes == {
        "status": [ShowcaseStatus.SELECTED, ShowcaseStatus.DECLINED]
    }


def test_items_selected_at_the_same_moment_show_the_later_submission_first(items):
    ShowcaseItem.objects.filter(status=ShowcaseStatus.SELECTED).update(selected_at=T0)
    assert titles({}) == ["柳州创客教育资源", "人工智能作文批改", "双师课堂教学模式"]  # by submission, newest first


def test_a_disguised_file_is_refused_at_its_field(school, projects):
    from portal.core.exceptions import ServiceError

    with pytest.raises(ServiceError) as refused:
        showcase.submit(actor=school, project=projects.a1, data=GOOD, upload=("案例.pdf", b"MZ\x90\x00 not a pdf"))
    assert list(refused.value.errors) == ["file"] and "不是允许的文件类型" in refused.value.errors["file"][0]
