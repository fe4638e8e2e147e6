"""Rounds: the list in scope, opening one (with its rubric and panel), its page with progress and
results, assignment, publication, a project's application for acceptance, and an expert's tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluation import outcomes, panel, rounds, scope
from evaluation.forms import RoundForm
from evaluation.models import EntryStatus, Outcome, RoundStatus
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.core.summary import error_summary
from portal.experts.forms import CriterionFormSet
from portal.projects.pages import done_or_refused
from portal.projects.selectors import get_visible_project


@login_required
@permission_required("evaluation.view_rounds", raise_exception=True)
def round_list_view(request):
    qs = scope.with_progress(scope.visible_rounds(request.user)).order_by("-created_at", "-pk")
    return render(
        request,
        "evaluation/round_list.html",
        {"rounds": qs, "can_manage": request.user.has_perm("evaluation.manage_rounds")},
    )


def _calls(user):
    """The calls the user may open a round for: its own, and national ones by delegation."""
    from portal.programmes.selectors import visible_calls

    allowed = [c.pk for c in visible_calls(user) if rounds.organiser_for(user, c) is not None]
    return visible_calls(user).filter(pk__in=allowed)


@login_required
@permission_required("evaluation.manage_rounds", raise_exception=True)
def round_create_view(request):
    calls = _calls(request.user).order_by("-opens_at")
    from django.db.models import Q

    from portal.programmes.models import Project

    within = Q(pk__in=[])
    for call in calls:
        within |= Q(call=call, organisation__path__under=rounds.organiser_for(request.user, call)[1])
    projects = (
        Project.objects.filter(within, status__in=rounds.LIVE).select_related("organisation").order_by("call", "pk")
    )
    form = RoundForm(
        request.POST or None,
        request.FILES or None,
        calls=calls,
        projects=projects,
        experts=rounds.pool_for(request.user),
    )
    formset = CriterionFormSet(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        criteria = sorted(
            (
                {k: f.cleaned_data[k] for k in ("number", "title", "guidance", "max_points", "weight")}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ),
            key=lambda c: c["number"],
        )
        try:
            round_ = rounds.open_round(
                actor=request.user,
                call=d["call"],
                kind=d["kind"],
                title=d["title"],
                selection=d["selection"],
                self_due_at=d["self_due_at"],
                review_due_at=d["review_due_at"],
                criteria=criteria,
                leader=d["leader"],
                members=list(d["members"]),
                sample_size=d["sample_size"],
                chosen=[p.pk for p in d["chosen"]],
                standards=d["standards"],
                grades=d["grades"],
                notice_days=d["notice_days"],
                experts_per_project=d["experts_per_project"],
                standards_file=(d["standards_file"].name, d["standards_file"].read()) if d["standards_file"] else None,
            )
        except ServiceError as refusal:
            if "criteria" in refusal.errors:
                formset._non_form_errors = formset.error_class(refusal.errors.pop("criteria"))
            refusal.to_form(form)
        else:
            messages.success(request, f"评估批次已开启，{round_.entries.count()} 个项目参评。")
            return redirect("evaluation:round", round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "evaluation/round_form.html",
        {"form": form, "formset": formset, "summary": error_summary(form, formset) if request.method == "POST" else []},
        status=status,
    )


@login_required
@permission_required("evaluation.view_rounds", raise_exception=True)
def round_detail_view(request, pk):
    round_ = scope.get_visible_round(request.user, pk=pk)
    manager = scope.manages(request.user, round_)
    expert = getattr(request.user, "expert", None)
    leader = expert is not None and round_.leader_id == expert.pk
    entries = list(
        scope.visible_entries(request.user).filter(round=round_).select_related("project__application").order_by("pk")
    )
    results = {r.entry.pk: r for r in panel.results(round_)} if (manager or leader) else {}
    if not manager:  # blind: the leader sees a project's scores once all its sheets are in
        results = {pk: r for pk, r in results.items() if not r.pending}
    rows = [{"entry": e, "result": results.get(e.pk)} for e in entries]
    counts = {s: sum(1 for e in entries if e.status == s) for s in EntryStatus.values}
    outcome_counts = {o.label: sum(1 for e in entries if e.outcome == o) for o in Outcome if o in round_.outcomes}
    own_projects = []
    if round_.selection == "applied" and round_.status == RoundStatus.OPEN:
        from portal.projects.selectors import visible_projects

        own_projects = [
            p
            for p in visible_projects(request.user).filter(call=round_.call, organisation=request.user.organisation_id)
            if request.user.has_perm("projects.edit_project", p)
        ]
    return render(
        request,
        "evaluation/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "manager": manager,
            "leader": leader,
            "counts": counts,
            "distribution": _distribution(round_, entries) if manager else "",
            "outcome_counts": outcome_counts,
            "criteria": list(round_.criteria.all()),
            "own_projects": own_projects,
            "members": list(round_.members.select_related("user")) if (manager or leader) else [],
        },
    )


def _distribution(round_, entries) -> str:
    """The outcomes per city and per kind of applicant (实验区 / 实验校), as bars (projects.charts)."""
    from django.utils.safestring import mark_safe

    from portal.orgs.selectors import city_names, city_of
    from portal.programmes.choices import ApplicantKind
    from portal.projects import charts

    cities = city_names(round_.organisation.scope_path)
    counts: dict[str, int] = {}
    for e in entries:
        if not e.outcome:
            continue
        kind = "实验校" if e.project.application.applicant_kind == ApplicantKind.SCHOOL else "实验区"
        for group in (city_of(e.project.organisation.path, cities, "省直"), kind):
            label = f"{group}·{e.get_outcome_display()}"
            counts[label] = counts.get(label, 0) + 1
    css = {"通过": "chart-good", "限期整改": "chart-warn", "撤销": "chart-bad", "不通过": "chart-bad"}
    rows = [(label, n, css[label.split("·")[1]]) for label, n in sorted(counts.items())]
    return mark_safe(charts.bars(rows, unit="个", title="各市、各类别评估结论分布"))  # built from escaped text


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def round_assign_view(request, pk):
    round_ = scope.get_managed_round(request.user, pk=pk)
    try:
        result = panel.assign(actor=request.user, round_=round_)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        short = f"；{len(result['short'])} 个项目可回避后的专家不足，请增加专家" if result["short"] else ""
        messages.success(request, f"已分配 {result['made']} 份评估任务{short}。")
    return redirect("evaluation:round", round_.pk)


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def round_publish_view(request, pk):
    round_ = scope.get_managed_round(request.user, pk=pk)
    return done_or_refused(
        request,
        lambda: outcomes.publish(actor=request.user, round_=round_),
        "评估结果已公布。",
        "evaluation:round",
        round_.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.view_rounds", raise_exception=True)
def round_apply_view(request, pk):
    round_ = scope.get_visible_round(request.user, pk=pk)
    project_pk = request.POST.get("project", "")
    if (chosen := parse_id(project_pk)) is None:
        messages.error(request, "请选择申请验收的项目。")
        return redirect("evaluation:round", round_.pk)
    project = get_visible_project(request.user, pk=chosen)
    try:
        entry = outcomes.apply_for_acceptance(actor=request.user, round_=round_, project=project)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("evaluation:round", round_.pk)
    except PermissionError:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    messages.success(request, "已申请验收，请填写并提交自评报告。")
    return redirect("evaluation:entry", entry.pk)


@login_required
@permission_required("evaluation.view_rounds", raise_exception=True)
def standards_file_view(request, pk):
    """The round's standards document, for everyone the round reaches."""
    from django.http import Http404

    from portal.audit.services import log_action
    from portal.core import files

    round_ = scope.get_visible_round(request.user, pk=pk)
    if not round_.standards_stored:
        raise Http404("本批次没有评估标准文件。")
    log_action("evaluation.standards.download", actor=request.user, obj=round_)
    return files.file_response(round_.standards_stored, round_.standards_type, round_.standards_file_name)


@login_required
@permission_required("evaluation.score", raise_exception=True)
def task_list_view(request):
    return render(request, "evaluation/tasks.html", {"tasks": scope.expert_tasks(request.user)})
