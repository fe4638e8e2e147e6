"""The provincial administrator's pages: the expert pool, panels, rubrics, assignment, results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core.exceptions import ServiceError
from portal.core.summary import error_summary
from portal.experts import results, selectors
from portal.experts.forms import CriterionFormSet, ExpertForm, PanelForm
from portal.experts.models import Assignment
from portal.experts.services import assignment as assigning
from portal.experts.services import pool, sheets
from portal.orgs.choices import OrgKind, Role
from portal.orgs.models import Organisation
from portal.orgs.selectors import visible_users
from portal.programmes.choices import ApplicantKind
from portal.programmes.selectors import get_manageable_call, manageable_calls
from portal.review.selectors import acting_org


@login_required
@permission_required("experts.manage", raise_exception=True)
def pool_view(request):
    province = acting_org(request.user)
    users = visible_users(request.user).filter(role_grants__role=Role.EXPERT, is_active=True).distinct()
    cities = Organisation.objects.filter(kind=OrgKind.CITY, path__under=province.path).order_by("code")
    form = ExpertForm(request.POST or None, users=users, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            pool.register_expert(
                actor=request.user,
                user=form.cleaned_data["user"],
                field=form.cleaned_data["field"],
                region=form.cleaned_data["region"],
                gender=form.cleaned_data["gender"],
            )
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            messages.success(request, "专家已登记入库。")
            return redirect("experts:pool")
    return render(request, "experts/pool.html", {"experts": selectors.manageable_experts(request.user), "form": form})


@login_required
@permission_required("experts.manage", raise_exception=True)
def panel_list_view(request):
    experts = selectors.manageable_experts(request.user).filter(is_active=True)
    form = PanelForm(request.POST or None, calls=manageable_calls(request.user), experts=experts)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            panel = pool.save_panel(
                actor=request.user,
                call=d["call"],
                name=d["name"],
                leader=d["leader"],
                members=list(d["members"]),
                category=d["category"],
                applicant_kind=d["applicant_kind"],
                experts_per_application=d["experts_per_application"],
                outlier_margin=d["outlier_margin"],
            )
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            messages.success(request, "专家组已建立。")
            return redirect("experts:panel_detail", pk=panel.pk)
    return render(
        request, "experts/panel_list.html", {"panels": selectors.manageable_panels(request.user), "form": form}
    )


@login_required
@permission_required("experts.manage", raise_exception=True)
def panel_edit_view(request, pk):
    panel = selectors.get_manageable_panel(request.user, pk=pk)
    experts = selectors.manageable_experts(request.user).filter(is_active=True)
    initial = {
        "call": panel.call,
        "name": panel.name,
        "applicant_kind": panel.applicant_kind,
        "category": panel.category,
        "leader": panel.leader,
        "members": list(panel.members.all()),
        "experts_per_application": panel.experts_per_application,
        "outlier_margin": panel.outlier_margin,
    }
    form = PanelForm(
        request.POST or None,
        initial=initial,
        calls=manageable_calls(request.user).filter(pk=panel.call_id),
        experts=experts,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pool.save_panel(
                actor=request.user,
                call=panel.call,
                name=d["name"],
                leader=d["leader"],
                members=list(d["members"]),
                category=d["category"],
                applicant_kind=d["applicant_kind"],
                experts_per_application=d["experts_per_application"],
                outlier_margin=d["outlier_margin"],
                panel=panel,
            )
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            messages.success(request, "专家组已修改。")
            return redirect("experts:panel_detail", pk=panel.pk)
    return render(request, "experts/panel_edit.html", {"panel": panel, "form": form})


@login_required
@permission_required("experts.manage", raise_exception=True)
def panel_detail_view(request, pk):
    panel = selectors.get_manageable_panel(request.user, pk=pk)
    rows = results.against_targets(results.panel_results(panel), panel.call)
    assignments = (
        Assignment.objects.filter(panel=panel)
        .select_related("expert__user", "application__applicant")
        .order_by("application_id", "pk")
    )
    waiting = [a for a in selectors.panel_applications(panel) if not any(x.application_id == a.pk for x in assignments)]
    return render(
        request,
        "experts/panel_detail.html",
        {
            "panel": panel,
            "members": panel.members.select_related("user__organisation", "region"),
            "assignments": assignments,
            "rows": rows,
            "waiting": waiting,
            "by_city": results.by_group(rows, results.city_key(panel.call)),
            "by_category": results.by_group(rows, lambda r: f"类别{r.category}" if r.category else "未选类别"),
            "rubrics": [
                (kind, label, selectors.rubric_for(panel.call, kind))
                for kind, label in ApplicantKind.choices
                if not panel.applicant_kind or panel.applicant_kind == kind
            ],
        },
    )


def _done(request, panel, action, success):
    try:
        outcome = action()
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success(outcome) if callable(success) else success)
    return redirect("experts:panel_detail", pk=panel.pk)


def _short_text(outcome) -> str:
    text = f"已新分配 {outcome['made']} 份评审任务。"
    if outcome["short"]:
        text += f"{len(outcome['short'])} 份申请因回避缺少可分配的专家，请手工调整。"
    return text


@login_required
@require_POST
@permission_required("experts.manage", raise_exception=True)
def panel_auto_assign_view(request, pk):
    panel = selectors.get_manageable_panel(request.user, pk=pk)
    return _done(request, panel, lambda: assigning.auto_assign(actor=request.user, panel=panel), _short_text)


@login_required
@require_POST
@permission_required("experts.manage", raise_exception=True)
def panel_assign_view(request, pk):
    panel = selectors.get_manageable_panel(request.user, pk=pk)
    application = next(
        (a for a in selectors.panel_applications(panel) if str(a.pk) == request.POST.get("application")), None
    )
    expert = panel.members.filter(pk=request.POST.get("expert") or 0).first()
    if application is None or expert is None:
        messages.error(request, "请选择申请和专家。")
        return redirect("experts:panel_detail", pk=panel.pk)
    return _done(
        request,
        panel,
        lambda: assigning.assign(actor=request.user, panel=panel, application=application, expert=expert),
        f"已将 {application.applicant.name} 分配给 {expert}。",
    )


@login_required
@require_POST
@permission_required("experts.manage", raise_exception=True)
def panel_close_view(request, pk):
    panel = selectors.get_manageable_panel(request.user, pk=pk)
    return _done(
        request,
        panel,
        lambda: sheets.close_panel(actor=request.user, panel=panel),
        "评审已结束，组长现在可以查看全部评分并签署专家组评审意见。",
    )


@login_required
@permission_required("experts.manage", raise_exception=True)
def rubric_view(request, call_pk, kind):
    call = get_manageable_call(request.user, pk=call_pk)
    if kind not in ApplicantKind.values:
        from django.http import Http404

        raise Http404("申报类别不存在。")
    rubric = selectors.rubric_for(call, kind)
    initial = (
        [
            {
                "number": c.number,
                "title": c.title,
                "guidance": c.guidance,
                "max_points": c.max_points,
                "weight": c.weight,
            }
            for c in rubric.criteria.all()
        ]
        if rubric
        else None
    )
    formset = CriterionFormSet(request.POST or None, prefix="c", initial=None if request.POST else initial)
    name = request.POST.get("name") or (rubric.name if rubric else f"{ApplicantKind(kind).label}评分表")
    if request.method == "POST" and formset.is_valid():
        criteria = sorted(
            (
                {k: f.cleaned_data[k] for k in ("number", "title", "guidance", "max_points", "weight")}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ),
            key=lambda c: c["number"],
        )
        try:
            pool.save_rubric(actor=request.user, call=call, applicant_kind=kind, name=name, criteria=criteria)
        except ServiceError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "评分表已保存。")
            return redirect("experts:rubric", call_pk=call.pk, kind=kind)
    total = sum((c.max_points * c.weight for c in rubric.criteria.all()), 0) if rubric else 0
    return render(
        request,
        "experts/rubric.html",
        {
            "call": call,
            "kind": ApplicantKind(kind).label,
            "formset": formset,
            "name": name,
            "total": total,
            "summary": error_summary(formset) if request.POST else [],
        },
    )
