"""The public showcase's search, filter by filter: only selected items are public; each filter narrows
to exactly its value (category, 学段, 学科, a city's division code, words in the title, summary or
project); a value outside the choices is ignored rather than emptying the page; the newest selection
comes first; the region filter offers the cities that have a selected item, by name."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from evaluation import showcase
from evaluation.models import ShowcaseItem, ShowcaseStatus

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def items(projects):
    def item(project, title, *, category="model", stage="小学", subject="数学", summary="同步课堂。",
             status=ShowcaseStatus.SELECTED, day=0):
        return ShowcaseItem.objects.create(project=project, title=title, category=category, stage=stage,
                                           subject=subject, summary=summary, status=status,
                                           selected_at=T0 + timedelta(days=day) if status == ShowcaseStatus.SELECTED else None)
    return type("Items", (), {
        "model": item(projects.a1, "双师课堂教学模式", day=2),
        "case": item(projects.b1, "人工智能作文批改", category="case", stage="初中", subject="语文",
                     summary="以AI辅助写作。", day=1),
        "liuzhou": item(projects.c1, "柳州创客教育资源", category="resource", stage="高中", subject="信息技术", day=3),
        "waiting": item(projects.a1, "待遴选的案例", status=ShowcaseStatus.SUBMITTED),
        "declined": item(projects.a1, "未入选的案例", status=ShowcaseStatus.DECLINED),
    })


def titles(params) -> list[str]:
    return [i.title for i in showcase.public_items(params)]


def test_only_selected_items_are_public_newest_selection_first(items):
    assert titles({}) == ["柳州创客教育资源", "双师课堂教学模式", "人工智能作文批改"]


@pytest.mark.parametrize("params, expected", [
    ({"category": "case"}, ["人工智能作文批改"]),
    ({"stage": "初中"}, ["人工智能作文批改"]),
    ({"subject": "数学"}, ["双师课堂教学模式"]),
    ({"subject": " 语文 "}, ["人工智能作文批改"]),
    ({"region": "450200"}, ["柳州创客教育资源"]),
    ({"region": "450100"}, ["双师课堂教学模式", "人工智能作文批改"]),
    ({"q": "作文"}, ["人工智能作文批改"]),                       # in the title
    ({"q": "AI辅助"}, ["人工智能作文批改"]),                      # in the summary
    ({"stage": "小学", "subject": "数学", "category": "model"}, ["双师课堂教学模式"]),
], ids=["category", "stage", "subject", "subject trimmed", "a city", "another city", "title words", "summary words",
        "all together"])
def test_each_filter_narrows_to_its_value(items, params, expected):
    assert titles(params) == expected


def test_words_match_the_projects_title_too(items, projects):
    assert titles({"q": projects.c1.title[:6]}) == ["柳州创客教育资源"]


@pytest.mark.parametrize("params", [{"category": "video"}, {"stage": "大学"}, {"region": "南宁"}, {"region": ""},
                                    {"q": "   "}, {"subject": ""}],
                         ids=["unknown category", "unknown stage", "region not a code", "empty region",
                              "blank words", "empty subject"])
def test_a_value_outside_the_choices_is_ignored(items, params):
    assert titles(params) == ["柳州创客教育资源", "双师课堂教学模式", "人工智能作文批改"]


def test_long_values_are_cut_to_their_first_characters_before_they_are_searched(items):
    subject, words = "信息科技与跨学科主题学习实践研究", "城乡学校同步授课" * 6 + "两校"     # 16 and 50 characters
    ShowcaseItem.objects.filter(pk=items.model.pk).update(subject=subject + "综合实践", summary=words)
    assert titles({"subject": subject + "综合实践" + "（以下超出）"}) == ["双师课堂教学模式"]   # the first 20
    assert titles({"q": words + "（以下超出）"}) == ["双师课堂教学模式"]                      # the first 50


def test_the_region_filter_offers_the_cities_with_a_selected_item(items, tree):
    assert showcase.regions() == [("450100", "南宁市教育局"), ("450200", "柳州市教育局")]
    ShowcaseItem.objects.filter(project__organisation__path__contains="/450200/").update(status=ShowcaseStatus.DECLINED)
    assert showcase.regions() == [("450100", "南宁市教育局")]
