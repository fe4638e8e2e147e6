"""The expert's pages: my assignments, the frozen form beside the score sheet, conflicts; and the
group leader's page, where all scores are seen after the close and the panel opinion is signed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.experts import results, selectors
from portal.experts.models import AssignmentStatus, PanelStatus
from portal.experts.services.assignment import declare_conflict
from portal.experts.services.sheets import order_list_by_panel, save_sheet
from portal.programmes.models import Attachment
from portal.programmes.presentation import attachment_groups, version_sections
from portal.review import chain
from portal.review.forms import OpinionForm
from portal.review.services.decisions import Decision, decide


@login_required
@permission_required("experts.score", raise_exception=True)
def task_list_view(request):
    return render(
        request,
        "experts/task_list.html",
        {"assignments": selectors.my_assignments(request.user), "led": selectors.led_panels(request.user)},
    )


@login_required
@permission_required("experts.score", raise_exception=True)
def task_view(request, pk):
    assignment = selectors.get_my_assignment(request.user, pk=pk)
    application = assignment.application
    version = application.versions.select_related("schema").order_by("-number").first()
    rubric = selectors.rubric_for(assignment.panel.call, application.applicant_kind)
    errors = {}
    if request.method == "POST":
        points = {k[len("points_") :]: v for k, v in request.POST.items() if k.startswith("points_")}
        comments = {k[len("comment_") :]: v for k, v in request.POST.items() if k.startswith("comment_")}
        try:
            save_sheet(
                actor=request.user,
                assignment=assignment,
                points=points,
                comments=comments,
                comment=request.POST.get("comment", ""),
                submit="submit" in request.POST,
            )
        except ServiceError as refusal:
            errors = refusal.errors or {"__all__": [refusal.message]}
            messages.error(request, refusal.message)
            assignment.scores = {k: {"points": points.get(k, ""), "comment": comments.get(k, "")} for k in points}
            assignment.comment = request.POST.get("comment", "")
        else:
            messages.success(request, "评分已提交。" if "submit" in request.POST else "评分草稿已保存。")
            return redirect("experts:task", pk=assignment.pk)
    others = []
    if selectors.others_visible(request.user, assignment):
        others = (
            assignment.panel.assignments.filter(application=application, status=AssignmentStatus.SUBMITTED)
            .exclude(pk=assignment.pk)
            .select_related("expert__user")
        )
    criteria = [
        {
            "c": c,
            "points": assignment.scores.get(str(c.number), {}).get("points", ""),
            "comment": assignment.scores.get(str(c.number), {}).get("comment", ""),
            "error": (errors.get(f"points_{c.number}") or [""])[0],
        }
        for c in (rubric.criteria.all() if rubric else [])
    ]
    return render(
        request,
        "experts/task.html",
        {
            "assignment": assignment,
            "application": application,
            "version": version,
            "rubric": rubric,
            "criteria": criteria,
            "others": others,
            "errors": errors,
            # Experts never see the applicant's phone numbers or e-mail addresses.
            "sections": version_sections(version, redact=True) if version else [],
            "definition": version.definition if version else {},
            "attachments": _attachment_groups(assignment, version),
            "editable": assignment.panel.status == PanelStatus.OPEN and assignment.status != AssignmentStatus.CONFLICT,
        },
    )


@login_required
@require_POST
@permission_required("experts.score", raise_exception=True)
def task_conflict_view(request, pk):
    assignment = selectors.get_my_assignment(request.user, pk=pk)
    try:
        declare_conflict(actor=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("experts:task", pk=assignment.pk)
    messages.success(request, "已申请回避，该申请已另行分配。")
    return redirect("experts:task_list")


@login_required
@permission_required("experts.score", raise_exception=True)
def leader_view(request, pk):
    panel = selectors.get_led_panel(request.user, pk=pk)
    rows = results.panel_results(panel) if panel.status == PanelStatus.CLOSED else []
    signing = None
    if request.method == "POST" and panel.status == PanelStatus.CLOSED:
        row = next((r for r in rows if str(r.application.pk) == request.POST.get("application")), None)
        if row is not None:
            form = OpinionForm(
                request.POST, outcomes=chain.PANEL, box="专家组评审意见", auto_id=f"id_%s_{row.application.pk}"
            )
            if form.is_valid():
                d = form.cleaned_data
                try:
                    decide(
                        actor=request.user,
                        application=row.application,
                        decision=Decision(
                            outcome=d["outcome"], text=d["text"], signer_name=d["signer_name"], signed_on=d["signed_on"]
                        ),
                    )
                except ServiceError as refusal:
                    form.add_error(None, refusal.message)
                else:
                    order_list_by_panel(actor=request.user, panel=panel)
                    messages.success(request, f"已签署 {row.application.applicant.name} 的专家组评审意见。")
                    return redirect("experts:leader", pk=panel.pk)
            signing = (row.application.pk, form)
    signed = {o.application_id: o for o in selectors.panel_opinions(panel)}
    forms = []
    for row in rows:
        if signing and signing[0] == row.application.pk:
            form = signing[1]
        else:
            # One form per application on the page: ids carry the application so that no two
            # labels point at the same element (the 推荐 of item 2 ticked item 1's radio).
            form = OpinionForm(
                outcomes=chain.PANEL,
                box="专家组评审意见",
                auto_id=f"id_%s_{row.application.pk}",
                initial={"signer_name": request.user.real_name},
            )
        forms.append(
            {
                "row": row,
                "form": form,
                "opinion": signed.get(row.application.pk),
                "can_sign": row.application.stage == "expert" and row.application.status == "submitted",
            }
        )
    return render(request, "experts/leader.html", {"panel": panel, "items": forms})


def _attachment_groups(assignment, version) -> dict:
    return attachment_groups(
        version.content["attachments"] if version else [],
        url=lambda pk: reverse("experts:task_attachment", args=[assignment.pk, pk]),
    )


@login_required
@permission_required("experts.score", raise_exception=True)
def task_attachment_view(request, pk, attachment_pk):
    """A file of the reviewed version, for the expert it was assigned to."""
    assignment = selectors.get_my_assignment(request.user, pk=pk)
    version = assignment.application.versions.order_by("-number").first()
    if version is None or attachment_pk not in {a["id"] for a in version.content["attachments"]}:
        raise Http404("附件不存在。")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=assignment.application)
    log_action(
        "experts.attachment.download",
        actor=request.user,
        obj=assignment.application,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return files.file_response(attachment.stored_name, attachment.content_type, attachment.original_name)
