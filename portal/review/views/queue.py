"""The reviewer's queue (with bulk actions) and the review page of one application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from rules.contrib.views import permission_required

from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.programmes.choices import ReviewLevel
from portal.programmes.presentation import attachment_groups, version_changes, version_sections
from portal.programmes.selectors import deadline
from portal.review import chain, selectors
from portal.review.forms import ASSIGN, BulkForm, OpinionForm
from portal.review.services.decisions import Decision, check_turn, decide

PAGE_SIZE = 50


class Counted:
    """One set of rows for the paginator, read by two plans: counted by `counter`, a page read from
    `rows` (pending_applications' in_queue_order)."""

    ordered = True

    def __init__(self, *, rows, counter):
        self.rows, self.counter = rows, counter

    def count(self) -> int:
        return self.counter.count()

    def __getitem__(self, item):
        return self.rows[item]


def _row(application, now):
    due = deadline(application.call, chain.LEVELS[application.stage].step)
    return {
        "application": application,
        "level": ReviewLevel(application.stage).label,
        "due": due,
        "overdue": bool(due and now > due),
        "outcomes": chain.outcomes_at(application.call, application.applicant_kind, application.stage),
    }


def _open_panels(user):
    if not user.has_perm("experts.manage"):
        return None
    from portal.experts.models import PanelStatus
    from portal.experts.selectors import manageable_panels

    return manageable_panels(user).filter(status=PanelStatus.OPEN)


def _bulk(user, applications, data) -> list[dict]:
    """Each selected application on its own: one failing never stops the others."""
    if data["action"] == ASSIGN:
        from portal.experts.services.assignment import auto_assign

        panel = data["panel"]
        try:
            outcome = auto_assign(actor=user, panel=panel, applications=applications)
        except ServiceError as refusal:
            return [{"name": a.applicant.name, "ok": False, "message": refusal.message} for a in applications]
        return [
            {
                "name": a.applicant.name,
                "ok": a.pk not in outcome["short"],
                "message": f"分配给{panel.name}"
                if a.pk not in outcome["short"]
                else f"缺少 {outcome['short'][a.pk]} 位可分配的专家（回避），请手工分配",
            }
            for a in applications
        ]
    out = []
    for application in applications:
        decision = Decision(outcome=data["action"], text=data["text"], reasons=data["reasons"])
        try:
            decide(actor=user, application=application, decision=decision)
        except ServiceError as refusal:
            out.append({"name": application.applicant.name, "ok": False, "message": refusal.message})
        else:
            out.append({"name": application.applicant.name, "ok": True, "message": chain.Outcome(data["action"]).label})
    return out


@login_required
@permission_required("review.review", raise_exception=True)
def queue_view(request):
    pending = selectors.pending_applications(request.user)
    in_order = selectors.pending_applications(request.user, in_queue_order=True)
    call = request.GET.get("call", "")
    if (call_pk := parse_id(call)) is not None:
        pending, in_order = pending.filter(call_id=call_pk), in_order.filter(call_id=call_pk)
    results, bulk = (
        [],
        BulkForm(
            request.POST or None, panels=_open_panels(request.user), outcomes=selectors.offered_outcomes(request.user)
        ),
    )
    if request.method == "POST" and bulk.is_valid():
        ids = [i for i in map(parse_id, request.POST.getlist("selected")) if i is not None]
        if not ids:
            messages.error(request, "请至少选择一份申请。")
        results = _bulk(request.user, list(pending.filter(pk__in=ids)), bulk.cleaned_data)
        pending = pending.all()
    now = timezone.now()
    page = Paginator(Counted(rows=in_order, counter=pending), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/queue.html",
        {
            "page": page,
            "rows": [_row(a, now) for a in page.object_list],
            "bulk": bulk,
            "results": results,
            "call": call,
            "panel_lists": selectors.panel_lists_to_send(request.user),
        },
    )


@login_required
@permission_required("review.review", raise_exception=True)
def review_view(request, pk):
    application = selectors.get_reviewable(request.user, pk=pk)
    versions = list(application.versions.select_related("schema").order_by("number"))
    if not versions:
        raise Http404("申请尚未提交。")
    version = versions[-1]
    definition = version.definition
    form = None
    try:
        level = check_turn(request.user, application)
    except ServiceError as why:
        level, not_turn = None, why.message
    else:
        not_turn = ""
        box = chain.box_label(definition, level)
        form = OpinionForm(
            request.POST or None,
            outcomes=chain.outcomes_at(application.call, application.applicant_kind, level),
            box=box,
            initial={"signer_name": request.user.real_name},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                decide(
                    actor=request.user,
                    application=application,
                    decision=Decision(
                        outcome=data["outcome"],
                        text=data["text"],
                        reasons=data["reasons"],
                        signer_name=data["signer_name"],
                        signed_on=data["signed_on"],
                    ),
                )
            except ServiceError as refusal:
                refusal.to_form(form)
            else:
                messages.success(request, f"已签署{box}：{chain.Outcome(data['outcome']).label}。")
                return redirect("review:queue")
    if request.method == "POST" and form is None:
        messages.error(request, not_turn)
    return render(
        request,
        "review/review.html",
        {
            "application": application,
            "version": version,
            "sections": version_sections(version),
            "definition": definition,
            "changes": version_changes(versions[-2], version) if len(versions) > 1 else [],
            "previous": versions[-2] if len(versions) > 1 else None,
            "form": form,
            "not_turn": not_turn,
            "level": ReviewLevel(level).label if level else "",
            "boxes": selectors.boxes(application, version, request.user),
            "attachments": attachment_groups(version.content["attachments"]),
            "timeline": selectors.timeline(application, request.user),
        },
    )
