"""Call pages: the list, the notice's key facts, and the administrator's configuration page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core.exceptions import ServiceError
from portal.core.summary import error_summary
from portal.formspec import registry
from portal.orgs.selectors import visible_organisations
from portal.programmes import selectors
from portal.programmes.choices import ApplicantKind, QuotaTarget, ReviewLevel, Step
from portal.programmes.eligibility import refusals
from portal.programmes.forms import CallForm, CategoryFormSet, NewCategoryFormSet, categories_from, category_initial
from portal.programmes.models import Application, Programme
from portal.programmes.rules import CALL_OPENERS_TEXT
from portal.programmes.services.applications import start_application
from portal.programmes.services.calls import save_call


@login_required
@permission_required("programmes.view_call", raise_exception=True)
def call_list_view(request):
    calls = selectors.visible_calls(request.user).prefetch_related("deadlines", "forms").order_by("-opens_at", "-pk")
    rows = [{"call": c, "open": selectors.is_open(c), "due": selectors.submission_deadline(c)} for c in calls]
    return render(
        request,
        "programmes/call_list.html",
        {"rows": rows, "can_manage": request.user.has_perm("programmes.manage_call")},
    )


@login_required
@permission_required("programmes.view_call", raise_exception=True)
def call_detail_view(request, pk):
    call = selectors.get_visible_call(request.user, pk=pk)
    call = (
        type(call)
        .objects.prefetch_related(
            "forms", "categories", "quotas", "deadlines", "excluded_calls", "excluded_organisations"
        )
        .get(pk=call.pk)
    )
    own = None
    reasons = []
    can_apply = request.user.has_perm("programmes.apply")
    if can_apply:
        own = Application.objects.filter(call=call, applicant_id=request.user.organisation_id).first()
        reasons = refusals(call, request.user.organisation, check_existing=False) if own is None else []
    return render(
        request,
        "programmes/call_detail.html",
        {
            "call": call,
            "open": selectors.is_open(call),
            "can_apply": can_apply,
            "own": own,
            "reasons": reasons,
            "forms": [(ApplicantKind(f.applicant_kind).label, f.form_key) for f in call.forms.all()],
            "quotas": [
                (ReviewLevel(q.level).label, QuotaTarget(q.target).label, q.max_count) for q in call.quotas.all()
            ],
            "deadlines": [(Step(d.step).label, d.due_at, d.note) for d in call.deadlines.all()],
            "can_manage": selectors.manageable_calls(request.user).filter(pk=call.pk).exists(),
            "can_export": selectors.exportable_calls(request.user).filter(pk=call.pk).exists(),
        },
    )


@login_required
@require_POST
@permission_required("programmes.apply", raise_exception=True)
def call_apply_view(request, pk):
    call = selectors.get_visible_call(request.user, pk=pk)
    try:
        application = start_application(actor=request.user, call=call)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("programmes:call_detail", pk=call.pk)
    messages.success(request, "已建立申请草稿。填写过程中会自动保存。")
    return redirect("programmes:application_edit", pk=application.pk)


def _call_form_page(request, call=None):
    user = request.user
    other_calls = selectors.manageable_calls(user)
    if call is not None:
        other_calls = other_calls.exclude(pk=call.pk)
    kwargs = {
        "programmes": Programme.objects.all(),
        "other_calls": other_calls,
        "scope_orgs": visible_organisations(user),
        "published_forms": registry.published_in_scope(user),
    }
    form = CallForm(request.POST or None, instance=call, **kwargs)
    # A new call starts with one row numbered 1 (the page adds more); an existing one with its own
    # categories and a blank row.
    formset = CategoryFormSet if call else NewCategoryFormSet
    initial = None if request.POST else (category_initial(call) if call else [{"number": 1}])
    categories = formset(request.POST or None, prefix="cat", initial=initial)
    if request.method == "POST" and form.is_valid() and categories.is_valid():
        chosen = categories_from(categories)
        if not chosen:
            form.add_error(None, "请至少设置一个实验类别。")
        else:
            try:
                with transaction.atomic():
                    saved = save_call(actor=user, config=form.config(chosen), call=call)
            except ServiceError as refusal:
                refusal.to_form(form)
            else:
                messages.success(request, "申报批次已保存。")
                return redirect("programmes:call_detail", pk=saved.pk)
    return render(
        request,
        "programmes/call_form.html",
        {
            "form": form,
            "categories": categories,
            "call": call,
            "summary": error_summary(form, categories) if request.method == "POST" else [],
        },
    )


@login_required
def call_create_view(request):
    if not request.user.has_perm("programmes.manage_call"):
        raise PermissionDenied(CALL_OPENERS_TEXT)
    return _call_form_page(request)


@login_required
@permission_required("programmes.manage_call", raise_exception=True)
def call_edit_view(request, pk):
    return _call_form_page(request, selectors.get_manageable_call(request.user, pk=pk))
