"""The projects list in scope, the project's overview, its schedule and its progress reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from budgets.services import schedule as schedule_services
from portal.audit.services import log_action
from portal.core import files
from portal.core.boundary import parse_id
from portal.orgs.choices import OrgKind
from portal.orgs.selectors import visible_organisations
from portal.programmes.choices import ApplicantKind, ProjectStatus
from portal.programmes.models import Project
from portal.programmes.selectors import exportable_calls, visible_calls
from portal.projects import charts, filing, selectors, services, timeline
from portal.projects.models import PLAN_SECTIONS, ProgressReport, ProjectFile
from portal.projects.pages import acting_on, attempt, done_or_refused, project_context

PAGE_SIZE = 50


@login_required
@permission_required("projects.view_project", raise_exception=True)
def project_list_view(request):
    qs = selectors.filter_projects(selectors.with_flags(selectors.visible_projects(request.user)), request.GET)
    page = Paginator(qs.order_by("-approved_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    call = request.GET.get("call", "")
    export_call = (
        exportable_calls(request.user).filter(pk=call_pk).first() if (call_pk := parse_id(call)) is not None else None
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "params": request.GET,
            "export_call": export_call,
            "calls": calls_with_projects(request.user),
            "cities": visible_organisations(request.user).filter(kind=OrgKind.CITY).order_by("path"),
            "kinds": ApplicantKind.choices,
            "statuses": ProjectStatus.choices,
        },
    )


def calls_with_projects(user):
    """The calls to filter by: an index probe per call (EXISTS), not a join through every project."""
    return visible_calls(user).filter(Exists(Project.objects.filter(call=OuterRef("pk")))).order_by("-opens_at")


def _people(project) -> list[tuple[str, str]]:
    """The responsible people as recorded at approval, from the project and the approved form."""
    version = project.application.versions.order_by("-number").first()
    values = version.content.get("values", {}) if version else {}
    contact = "contact" if "contact_name" in values else "contact1"  # the national form has two contacts
    rows = [
        ("项目负责人", project.leader_name or values.get("head_name", "")),
        ("联系人", project.contact_name or values.get(f"{contact}_name", "")),
        ("联系电话", project.contact_phone or values.get(f"{contact}_mobile", "")),
    ]
    return [(label, value) for label, value in rows if value]


@login_required
@permission_required("projects.view_project", raise_exception=True)
def project_detail_view(request, pk):
    context = project_context(request, pk, "overview")
    project = context["project"]
    stages, milestones = list(project.stages.all()), list(project.milestones.all())
    today = timezone.localdate()
    context.update(
        {
            "people": _people(project),
            "counts": selectors.project_counts(project),
            "timeline": mark_safe(timeline.render(project, stages, milestones, today)),  # built from escaped text
            "today": today,
        }
    )
    return render(request, "projects/project_detail.html", context)


@login_required
@permission_required("projects.view_project", raise_exception=True)
def schedule_view(request, pk):
    context = project_context(request, pk, "schedule")
    project = context["project"]
    today = timezone.localdate()
    stages, milestones = list(project.stages.all()), list(project.milestones.select_related("stage"))
    context.update(
        {
            "stages": stages,
            "milestones": milestones,
            "today": today,
            "timeline": mark_safe(timeline.render(project, stages, milestones, today)),
        }
    )
    return render(request, "projects/schedule.html", context)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def stage_add_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    return done_or_refused(
        request,
        lambda: schedule_services.add_stage(actor=request.user, project=project, data=request.POST),
        "已添加实施阶段。",
        "projects:schedule",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def milestone_add_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    return done_or_refused(
        request,
        lambda: schedule_services.add_milestone(actor=request.user, project=project, data=request.POST),
        "已添加里程碑。",
        "projects:schedule",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def milestone_done_view(request, pk, milestone_pk):
    project = acting_on(request, pk, "projects.edit_project")
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    return done_or_refused(
        request,
        lambda: schedule_services.complete_milestone(
            actor=request.user, milestone=milestone, done_on=request.POST.get("done_on") or timezone.localdate()
        ),
        "里程碑已标记完成。",
        "projects:schedule",
        project.pk,
    )


@login_required
@permission_required("projects.view_project", raise_exception=True)
def reports_view(request, pk):
    context = project_context(request, pk, "reports")
    project = context["project"]
    context.update(
        {
            "reports": project.progress_reports.select_related("filed_by").prefetch_related("files"),
            "today": timezone.localdate(),
        }
    )
    return render(request, "projects/reports.html", context)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def report_file_view(request, pk, report_pk):
    project = acting_on(request, pk, "projects.edit_project")
    report = get_object_or_404(ProgressReport, project=project, pk=report_pk)
    uploads = [(f.name, f.read()) for f in request.FILES.getlist("files")]
    return done_or_refused(
        request,
        lambda: services.file_report(
            actor=request.user, report=report, text=request.POST.get("text", ""), uploads=uploads
        ),
        f"{report.title}进展报告已报送。",
        "projects:reports",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def report_review_view(request, pk, report_pk):
    project = acting_on(request, pk, "projects.decide_project")
    report = get_object_or_404(ProgressReport, project=project, pk=report_pk)
    action = request.POST.get("action", "")
    if action not in ("read", "return", "waive"):
        action = "read"
    done = {"read": "已阅。", "return": "已退回修改。", "waive": "已标记为无需报送。"}[action]
    return done_or_refused(
        request,
        lambda: services.review_report(
            actor=request.user, report=report, action=action, comment=request.POST.get("comment", "")
        ),
        done,
        "projects:reports",
        project.pk,
    )


@login_required
@permission_required("projects.export_projects", raise_exception=True)
def charts_view(request):
    """The overseer's charts over the projects in scope (optionally one call's)."""
    qs = selectors.visible_projects(request.user)
    call = request.GET.get("call", "")
    if (call_pk := parse_id(call)) is not None:
        qs = qs.filter(call_id=call_pk)
    return render(
        request,
        "projects/charts.html",
        {
            "calls": calls_with_projects(request.user),
            "params": request.GET,
            "count": qs.count(),
            "by_project": mark_safe(charts.execution_by_project(qs)),  # built from escaped text
            "by_line": mark_safe(charts.execution_by_line(qs)),
            "by_city": mark_safe(charts.lateness_by_city(qs, request.user.organisation)),
            "by_category": mark_safe(charts.attainment_by_category(qs)),
        },
    )


@login_required
@permission_required("projects.view_project", raise_exception=True)
def implementation_view(request, pk):
    """The 实施方案 tab: the versions filed, the form for a new one, and the level above's decision."""
    context = project_context(request, pk, "implementation")
    project = context["project"]
    errors, status = {}, 200
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        uploads = [(f.name, f.read()) for f in request.FILES.getlist("files")]
        refused = attempt(
            request,
            lambda: filing.file_plan(actor=request.user, project=project, sections=request.POST, uploads=uploads),
            lambda plan: f"实施方案第 {plan.number} 版已报备，等待上级备案。",
        )
        if refused is None:
            return redirect("projects:implementation", project.pk)
        errors, status = refused
    versions = list(project.implementation_plans.prefetch_related("files").select_related("filed_by"))
    latest = versions[0] if versions else None
    context.update(
        {
            "versions": versions,
            "latest": latest,
            "sections": PLAN_SECTIONS,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else (latest.sections if latest else {}),
            "due_on": filing.due_on(project),
            "today": timezone.localdate(),
            "may_file": context["can_edit"] and (latest is None or latest.status == "returned"),
        }
    )
    return render(request, "projects/implementation.html", context, status=status)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def implementation_review_view(request, pk, version_pk):
    project = acting_on(request, pk, "projects.decide_project")
    plan = get_object_or_404(project.implementation_plans, pk=version_pk)
    action = "return" if request.POST.get("action") == "return" else "acknowledge"
    return done_or_refused(
        request,
        lambda: filing.review_plan(
            actor=request.user, plan=plan, action=action, reasons=request.POST.get("reasons", "")
        ),
        "已备案。" if action == "acknowledge" else "已退回修改。",
        "projects:implementation",
        project.pk,
    )


@login_required
@permission_required("projects.view_project", raise_exception=True)
def file_view(request, pk, file_pk):
    """A file of the project's 实施方案 or progress reports."""
    project = selectors.get_visible_project(request.user, pk=pk)
    attachment = get_object_or_404(
        ProjectFile.objects.filter(Q(plan__project=project) | Q(report__project=project)), pk=file_pk
    )
    log_action("projects.file.download", actor=request.user, obj=attachment)
    return files.file_response(attachment.stored_name, attachment.content_type, attachment.original_name)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def stage_remove_view(request, pk, stage_pk):
    project = acting_on(request, pk, "projects.edit_project")
    stage = get_object_or_404(project.stages, pk=stage_pk)
    return done_or_refused(
        request,
        lambda: schedule_services.remove_stage(actor=request.user, stage=stage),
        "已删除实施阶段。",
        "projects:schedule",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def milestone_remove_view(request, pk, milestone_pk):
    project = acting_on(request, pk, "projects.edit_project")
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    return done_or_refused(
        request,
        lambda: schedule_services.remove_milestone(actor=request.user, milestone=milestone),
        "已删除里程碑。",
        "projects:schedule",
        project.pk,
    )
