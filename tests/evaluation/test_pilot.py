"""Monthly pilot reports (who has not reported, per month and city, reminded once) and the showcase
(a wrong file type refused, the organiser selects, the public page filters and names no person)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from evaluation import monthly, showcase
from evaluation.models import MonthlyReport, ShowcaseStatus
from portal.core.exceptions import ServiceError
from portal.notifications.models import Notification

FIGURES = {
    "active_teachers": "35",
    "active_students": "820",
    "active_parents": "400",
    "lessons": "120",
    "activities": "3",
    "resources_shared": "14",
    "problems": "网络不稳定。",
}


def test_a_month_is_filed_once_and_refused_at_the_field_when_wrong(pilot, projects):
    p = projects.a1
    with pytest.raises(ServiceError) as refused:
        monthly.file_month(actor=pilot.school, project=p, month="2099-01", data={**FIGURES, "lessons": "-3"})
    assert refused.value.errors == {
        "month": ["只能报送实施周期内已结束的月份。"],
        "lessons": ["使用平台资源授课节数：请填写 0 至 10,000,000 之间的整数。"],
    }
    report = monthly.file_month(actor=pilot.school, project=p, month="2026-03", data=FIGURES)
    again = monthly.file_month(actor=pilot.school, project=p, month="2026-03", data={**FIGURES, "lessons": "130"})
    assert report.pk == again.pk and MonthlyReport.objects.get().lessons == 130
    with pytest.raises(PermissionError):
        monthly.file_month(actor=pilot.school_c, project=p, month="2026-04", data=FIGURES)


def test_the_grid_shows_who_has_not_reported_each_month_and_the_sweep_reminds_once(pilot, projects):
    from portal.programmes.models import Project

    today = date(2026, 6, 10)
    monthly.file_month(actor=pilot.school, project=projects.a1, month="2026-03", data=FIGURES)
    months = [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    rows = {
        r["project"].pk: r["cells"]
        for r in monthly.grid(Project.objects.filter(pk__in=[projects.a1.pk, projects.c1.pk]), months, today)
    }
    assert rows[projects.a1.pk] == ["filed", "missing", "missing", "none"]
    assert rows[projects.c1.pk] == ["missing", "missing", "missing", "none"]
    per_month = monthly.completion(
        Project.objects.filter(pk__in=[projects.a1.pk, projects.c1.pk]), months, pilot.admin.organisation, today
    )
    march = per_month[0]
    assert (march["filed"], march["due"], march["rate"]) == (1, 2, 50.0)
    assert march["cities"] == {"南宁市教育局": (1, 1), "柳州市教育局": (0, 1)}
    assert march["figures"]["lessons"] == 120
    assert monthly.remind_missing(today) >= 2  # May's reports are missing after 5 June
    assert monthly.remind_missing(today) == 0  # once per missing month
    assert Notification.objects.filter(user=pilot.school, title__contains="2026年05月试点月报逾期未报").count() == 1


def test_the_overview_page_lists_only_the_projects_in_scope(pilot, projects):
    c = Client()
    c.force_login(pilot.city)
    page = c.get(reverse("evaluation:monthly")).content.decode()
    assert f'data-testid="grid-{projects.a1.pk}"' in page
    assert f'data-testid="grid-{projects.c1.pk}"' not in page
    assert "各市各月试点月报报送率" in page


def test_a_showcase_item_is_checked_selected_and_published_without_personal_data(pilot, projects):
    from portal.core.samples import blank_pdf

    p = projects.a1
    data = {
        "title": "双师课堂教学模式",
        "category": "model",
        "stage": "小学",
        "subject": "数学",
        "summary": "城乡学校同步授课。",
        "video_url": "javascript:alert(1)",
    }
    with pytest.raises(ServiceError) as refused:
        showcase.submit(actor=pilot.school, project=p, data=data, upload=("案例.pdf", b"MZ\x90\x00 not a pdf"))
    assert set(refused.value.errors) == {"video_url", "file"}
    assert not p.showcase_items.exists()
    item = showcase.submit(
        actor=pilot.school,
        project=p,
        data={**data, "video_url": "https://v.example.cn/1"},
        upload=("案例.pdf", blank_pdf()),
    )
    assert item.status == ShowcaseStatus.SUBMITTED
    public = Client()
    assert "双师课堂教学模式" not in public.get(reverse("evaluation:public_showcase")).content.decode()
    with pytest.raises(PermissionError):
        showcase.select(actor=pilot.city, item=item, selected=True)
    showcase.select(actor=pilot.admin, item=item, selected=True)
    page = public.get(
        reverse("evaluation:public_showcase"), {"stage": "小学", "subject": "数学", "region": "450100"}
    ).content.decode()
    assert "双师课堂教学模式" in page and "南宁市教育局" in page
    assert (
        "双师课堂教学模式" not in public.get(reverse("evaluation:public_showcase"), {"stage": "初中"}).content.decode()
    )
    assert (
        "双师课堂教学模式"
        not in public.get(reverse("evaluation:public_showcase"), {"region": "450200"}).content.decode()
    )
    assert pilot.school.real_name not in page and pilot.school.username not in page  # nobody is named
    assert public.get(reverse("evaluation:public_showcase_file", args=[item.pk])).status_code == 200


def test_the_project_pages_file_a_month_and_a_case_through_the_browser_forms(pilot, projects):
    c = Client()
    c.force_login(pilot.school)
    url = reverse("evaluation:monthly_project", args=[projects.a1.pk])
    refused = c.post(url, {**FIGURES, "month": "2026-03", "active_teachers": "很多"})
    assert refused.status_code == 400 and "活跃教师数：请填写 0 至 10,000,000 之间的整数。" in refused.content.decode()
    assert "网络不稳定。" in refused.content.decode()
    assert c.post(url, {**FIGURES, "month": "2026-03"}).status_code == 302
    assert "已报送" in c.get(url).content.decode()
    url = reverse("evaluation:showcase_project", args=[projects.a1.pk])
    refused = c.post(url, {"title": "", "category": "case", "stage": "小学", "subject": "语文", "summary": "简介"})
    assert refused.status_code == 400 and "请填写标题。" in refused.content.decode()
    assert (
        c.post(
            url, {"title": "阅读课例", "category": "case", "stage": "小学", "subject": "语文", "summary": "简介"}
        ).status_code
        == 302
    )


def test_the_overseers_dashboard_counts_last_months_reports(pilot, projects):
    from django.utils import timezone

    from evaluation.monthly import first_of

    last = first_of(first_of(timezone.localdate()) - timezone.timedelta(days=1))
    c = Client()
    c.force_login(pilot.city)
    page = c.get(reverse("core:dashboard")).content.decode()
    assert f"{last:%Y年%m月}试点月报：已报 0/" in page and "兴宁区实验小学智慧课堂实验" in page
    monthly.file_month(actor=pilot.school, project=projects.a1, month=last.isoformat(), data=FIGURES)
    page = c.get(reverse("core:dashboard")).content.decode()
    assert f"{last:%Y年%m月}试点月报：已报 1/" in page and "兴宁区实验小学智慧课堂实验" not in page
