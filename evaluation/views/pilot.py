"""The monthly pilot reports (a project's tab; the overseers' completion grid and charts) and the
showcase (a project's tab, the organiser's selection, the public catalogue and its files)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluation import monthly, showcase
from evaluation.models import MONTHLY_FIGURES, ShowcaseCategory, ShowcaseItem, ShowcaseStatus
from portal.core import files
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.orgs.selectors import city_names, city_of
from portal.programmes.selectors import visible_calls
from portal.projects import charts
from portal.projects.pages import acting_on, project_context
from portal.projects.selectors import visible_projects

MONTHS_SHOWN = 12


@login_required
@permission_required("projects.view_project", raise_exception=True)
def monthly_project_view(request, pk):
    context = project_context(request, pk, "monthly")
    project = context["project"]
    if not project.call.monthly_pilot_reports:
        raise Http404("本批次不要求报送试点月报。")
    errors, status, typed = {}, 200, None
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        typed = request.POST
        try:
            report = monthly.file_month(
                actor=request.user, project=project, month=request.POST.get("month", ""), data=request.POST
            )
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
        else:
            messages.success(request, f"{report.month:%Y年%m月}试点月报已报送。")
            return redirect("evaluation:monthly_project", project.pk)
    today = timezone.localdate()
    due = monthly.due_months(project, today)
    filed = {r.month: r for r in project.monthly_reports.all()}
    months = [
        {"month": m, "report": filed.get(m), "overdue": m not in filed and monthly.overdue(m, today)}
        for m in reversed(due)
    ]
    context.update(
        {
            "months": months,
            "figures": MONTHLY_FIGURES,
            "errors": errors,
            "typed": typed,
            "open_months": list(reversed(due)),
            "due_day": monthly.DUE_DAY,
        }
    )
    return render(request, "evaluation/monthly_project.html", context, status=status)


@login_required
@permission_required("projects.export_projects", raise_exception=True)
def monthly_overview_view(request):
    calls = visible_calls(request.user).filter(monthly_pilot_reports=True).order_by("-opens_at")
    call_pk = request.GET.get("call", "")
    call = calls.filter(pk=chosen).first() if (chosen := parse_id(call_pk)) is not None else calls.first()
    context = {"calls": calls, "call": call}
    if call is not None:
        projects = monthly.reporting_projects(visible_projects(request.user).filter(call=call)).order_by(
            "organisation__path"
        )
        today = timezone.localdate()
        months = monthly.months_between(today - timedelta(days=31 * MONTHS_SHOWN), today)[-MONTHS_SHOWN:]
        rows = monthly.grid(projects, months, today)
        per_month = monthly.completion(projects, months, request.user.organisation, today)
        city_rows = []
        for m in per_month:
            for city, (filed, due) in m["cities"].items():
                city_rows.append(
                    (
                        f"{m['month']:%Y-%m}·{city}",
                        round(filed * 100 / due, 1) if due else 0,
                        "chart-good" if filed == due else "chart-warn",
                    )
                )
        context.update(
            {
                "months": months,
                "rows": rows,
                "per_month": per_month,
                "overall_chart": mark_safe(
                    charts.bars(  # built from escaped text
                        [(f"{m['month']:%Y年%m月}", m["rate"] or 0, "chart-bar") for m in per_month if m["due"]],
                        unit="%",
                        limit=100,
                        title="各月试点月报报送率",
                    )
                ),
                "city_chart": mark_safe(charts.bars(city_rows, unit="%", limit=100, title="各市各月试点月报报送率")),
                "usage_chart": mark_safe(
                    charts.bars(
                        [
                            (f"{m['month']:%Y年%m月}", m["figures"].get("lessons", 0), "chart-bar")
                            for m in per_month
                            if m["due"]
                        ],
                        unit="节",
                        title="各月使用平台资源授课节数",
                    )
                ),
            }
        )
    return render(request, "evaluation/monthly_overview.html", context)


@login_required
@permission_required("projects.view_project", raise_exception=True)
def showcase_project_view(request, pk):
    context = project_context(request, pk, "showcase")
    project = context["project"]
    errors, status, typed = {}, 200, None
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        typed = request.POST
        upload = request.FILES.get("file")
        try:
            showcase.submit(
                actor=request.user,
                project=project,
                data=request.POST,
                upload=(upload.name, upload.read()) if upload else None,
            )
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
        else:
            messages.success(request, "案例已提交，等待遴选。")
            return redirect("evaluation:showcase_project", project.pk)
    context.update(
        {
            "items": project.showcase_items.all(),
            "errors": errors,
            "typed": typed,
            "categories": ShowcaseCategory.choices,
            "stages": showcase.STAGES,
        }
    )
    return render(request, "evaluation/showcase_project.html", context, status=status)


@login_required
@permission_required("evaluation.manage_rounds", raise_exception=True)
def showcase_manage_view(request):
    from evaluation.extensions import may_decide

    items = [
        i
        for i in ShowcaseItem.objects.filter(project__in=visible_projects(request.user).values("pk"))
        .select_related("project__organisation", "project__call__organisation")
        .order_by("status", "-pk")
        if may_decide(request.user, i.project)
    ]
    calls = {i.project.call_id: i.project.call for i in items}
    return render(request, "evaluation/showcase_manage.html", {"items": items, "calls": list(calls.values())})


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def showcase_select_view(request, pk):
    item = get_object_or_404(ShowcaseItem, pk=pk, project__in=visible_projects(request.user).values("pk"))
    selected = request.POST.get("action") == "select"
    try:
        showcase.select(actor=request.user, item=item, selected=selected)
    except PermissionError:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    messages.success(request, f"“{item.title}”{'已入选示范推广' if selected else '未入选'}。")
    return redirect("evaluation:showcase_manage")


def public_showcase_view(request):
    items = list(showcase.public_items(request.GET)[:200])
    names = city_names("/")
    rows = [{"item": i, "city": city_of(i.project.organisation.path, names, "")} for i in items]
    return render(
        request,
        "evaluation/public_showcase.html",
        {
            "rows": rows,
            "params": request.GET,
            "categories": ShowcaseCategory.choices,
            "stages": showcase.STAGES,
            "regions": showcase.regions(),
            "subjects": sorted(
                set(ShowcaseItem.objects.filter(status=ShowcaseStatus.SELECTED).values_list("subject", flat=True))
            ),
        },
    )


def public_showcase_file_view(request, pk):
    item = ShowcaseItem.objects.filter(pk=pk, status=ShowcaseStatus.SELECTED).exclude(stored_name="").first()
    if item is None:
        raise Http404("文件不存在。")
    return files.file_response(item.stored_name, item.content_type, item.file_name)
