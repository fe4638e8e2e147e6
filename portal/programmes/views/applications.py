"""Application pages: my applications, the form itself (with autosave), submission, withdrawal,
return for revision, the read-only view of each version, and the comparison of two versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec.autosave import autosave_answer, json_login_required
from portal.formspec.layout import layout
from portal.formspec.values import compute, raw_from_post, typed_values
from portal.programmes import selectors
from portal.programmes.choices import AttachmentPurpose, Status, Step
from portal.programmes.forms import AttachmentForm
from portal.programmes.forms_context import call_context
from portal.programmes.presentation import attachment_groups, version_changes, version_sections
from portal.programmes.services.applications import (
    bound_form,
    editor_of,
    save_draft,
    submit_application,
    withdraw_application,
)
from portal.review import selectors as review_selectors

PAGE_SIZE = 50


@login_required
@permission_required("programmes.view_application", raise_exception=True)
def application_list_view(request):
    # The list shows neither the draft's values nor anything of the form's definition (a large JSON
    # document parsed once per row): leave both unread.
    qs = (
        selectors.visible_applications(request.user)
        .select_related(None)
        .select_related("call", "applicant")
        .defer("data")
        .order_by("-updated_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/application_list.html",
        {
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "open_calls": selectors.open_calls_for(request.user) if request.user.has_perm("programmes.apply") else [],
        },
    )


def _attachments_by_field(application) -> dict:
    grouped: dict[str, list] = {}
    for a in selectors.live_attachments(application):
        grouped.setdefault(a.field or "", []).append(a)
    return grouped


def _draft_sections(application, form, *, editable: bool) -> list[dict]:
    """The draft's paper layout: with inputs when editable, else its values (computed cells filled)."""
    definition = application.definition
    values = typed_values(definition, form.cleaned_data) if hasattr(form, "cleaned_data") else {}
    return layout(
        definition,
        form=form if editable else None,
        values=values,
        computed=compute(definition, values),
        context=call_context(application.call),
    )


def _edit_context(request, application, form, *, conflict=None, submit_errors=None):
    definition = application.definition
    return {
        "application": application,
        "form": form,
        "definition": definition,
        "sections": _draft_sections(application, form, editable=True),
        "attachments": _attachments_by_field(application),
        "attachment_form": AttachmentForm(),
        "purposes": {"evidence": AttachmentPurpose.EVIDENCE, "continue": AttachmentPurpose.CONTINUATION},
        "conflict": conflict,
        "submit_errors": submit_errors,
        "deadline": selectors.submission_deadline(application.call),
    }


@login_required
@permission_required("programmes.apply", raise_exception=True)
def application_edit_view(request, pk):
    application = selectors.get_own_application(request.user, pk=pk)
    if not application.is_editable:
        return redirect("programmes:application_detail", pk=application.pk)
    if request.method != "POST":
        form = bound_form(application)
        form.is_valid()
        return render(request, "programmes/application_edit.html", _edit_context(request, application, form))
    raw = raw_from_post(application.definition, request.POST)
    expected = parse_id(request.POST.get("_lock_version", "0"), default=0)
    try:
        application = save_draft(
            actor=request.user, application=application, raw=raw, expected_version=expected, editor=editor_of(request)
        )
    except Conflict as conflict:
        # The user's input is shown again as typed; nothing they wrote is thrown away.
        form = bound_form(application, data=raw)
        form.is_valid()
        return render(
            request,
            "programmes/application_edit.html",
            _edit_context(request, application, form, conflict=conflict),
            status=409,
        )
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("programmes:application_detail", pk=application.pk)
    if request.POST.get("action") == "submit":
        try:
            version = submit_application(actor=request.user, application=application)
        except ServiceError as refusal:
            form = bound_form(application, mode="submit")
            form.is_valid()
            for name, errs in refusal.errors.items():
                for e in errs:
                    if name != "__all__" and e not in form.errors.get(name, []):
                        form.add_error(name if name in form.fields else None, e)
            messages.error(request, refusal.message)
            return render(
                request,
                "programmes/application_edit.html",
                _edit_context(request, application, form, submit_errors=refusal.errors),
                status=400,
            )
        messages.success(request, f"申请已提交（第 {version.number} 版，校验码 {version.sha256[:16]}…）。")
        return redirect("programmes:application_detail", pk=application.pk)
    form = bound_form(application)
    if form.is_valid():
        messages.success(request, f"草稿已保存（{timezone.localtime(application.updated_at):%H:%M}）。")
    else:
        messages.warning(request, "草稿已保存，但有内容需要修改，提交前请按提示修改。")
    return render(request, "programmes/application_edit.html", _edit_context(request, application, form))


@json_login_required
@require_POST
def application_autosave_view(request, pk):
    if not request.user.has_perm("programmes.apply"):
        return JsonResponse({"error": "您没有申报权限。"}, status=403)
    application = selectors.get_own_application(request.user, pk=pk)
    raw = raw_from_post(application.definition, request.POST)

    def errors_of(saved):
        form = bound_form(saved)
        form.is_valid()
        return {k: list(v) for k, v in form.errors.items()}

    return autosave_answer(
        request,
        lambda expected: save_draft(
            actor=request.user, application=application, raw=raw, expected_version=expected, editor=editor_of(request)
        ),
        errors_of,
    )


@login_required
@permission_required("programmes.apply", raise_exception=True)
def application_withdraw_view(request, pk):
    """Withdrawing takes the application off the reviewers' desks: it is asked for on a page of its
    own and done only on the explicit confirmation (works without scripts, so nothing to misclick)."""
    application = selectors.get_own_application(request.user, pk=pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        deadline = application.call.deadlines.filter(step=Step.SUBMIT).first()
        return render(
            request, "programmes/application_withdraw.html", {"application": application, "deadline": deadline}
        )
    try:
        withdraw_application(actor=request.user, application=application)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "申请已撤回。可以修改后在截止时间前重新提交。")
    return redirect("programmes:application_detail", pk=application.pk)


@login_required
@permission_required("programmes.view_application", raise_exception=True)
def application_detail_view(request, pk):
    application = selectors.get_visible_application(request.user, pk=pk)
    versions = list(application.versions.select_related("submitted_by", "schema").order_by("number"))
    number = request.GET.get("version")
    shown = next((v for v in versions if str(v.number) == number), versions[-1] if versions else None)
    own = application.applicant_id == request.user.organisation_id and request.user.has_perm("programmes.apply")
    if shown is None and not own:
        raise Http404("申请尚未提交。")
    changes = []
    if len(versions) >= 2:
        changes = version_changes(versions[-2], versions[-1])
    draft_sections = None
    if shown is None:
        form = bound_form(application)
        form.is_valid()
        draft_sections = _draft_sections(application, form, editable=False)
    groups = attachment_groups(shown.content["attachments"] if shown else selectors.live_attachments(application))
    rows = [row for group in groups.values() for row in group]
    return render(
        request,
        "programmes/application_detail.html",
        {
            "application": application,
            "versions": versions,
            "shown": shown,
            "own": own,
            "sections": version_sections(shown) if shown else draft_sections,
            "definition": (shown or application).definition,
            "attachment_rows": rows,
            "attachment_groups": groups,
            "latest": versions[-1] if versions else None,
            "changes": changes,
            "previous": versions[-2] if len(versions) >= 2 else None,
            "can_withdraw": own and application.status == Status.SUBMITTED and application.first_reviewed_at is None,
            "boxes": review_selectors.boxes(application, shown, request.user) if shown else [],
            "timeline": review_selectors.timeline(application, request.user),
            "can_review": shown is not None and review_selectors.can_act(request.user, application),
        },
    )


@login_required
@permission_required("programmes.view_application", raise_exception=True)
def application_compare_view(request, pk):
    application = selectors.get_visible_application(request.user, pk=pk)
    versions = {v.number: v for v in application.versions.select_related("schema")}
    if len(versions) < 2:
        raise Http404("只有一个版本，无可比较的内容。")
    numbers = sorted(versions)
    try:
        old = versions[parse_id(request.GET.get("from", numbers[-2]))]
        new = versions[parse_id(request.GET.get("to", numbers[-1]))]
    except KeyError:
        raise Http404("版本不存在。")
    return render(
        request,
        "programmes/application_compare.html",
        {"application": application, "old": old, "new": new, "changes": version_changes(old, new), "numbers": numbers},
    )
