"""Pages for administering single accounts (portal/orgs/accounts.py does the writing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core.exceptions import ServiceError
from portal.core.summary import error_summary
from portal.orgs import accounts
from portal.orgs.forms import AccountForm, DeactivateForm


def _issued(request, person, password: str, what: str):
    """The temporary password, shown once on the answer to the POST and never stored in clear."""
    response = render(
        request,
        "orgs/account_issued.html",
        {"person": person, "password": password, "what": what, "reset": what == "密码已重置"},
    )
    add_never_cache_headers(response)
    return response


def _input(form) -> accounts.AccountInput:
    return accounts.AccountInput(
        organisation=form.cleaned_data["organisation"], roles=form.cleaned_data["roles"], fields=form.contact_fields()
    )


@login_required
@permission_required("orgs.manage_user", raise_exception=True)
@sensitive_variables("password")
def user_create_view(request):
    grantable = accounts.actor_grantable(request.user)
    initial = {"organisation": request.GET.get("org", "")[:32]}
    form = AccountForm(request.POST or None, grantable=grantable, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = accounts.create_user(
                actor=request.user, username=form.cleaned_data["username"], data=_input(form)
            )
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            return _issued(request, person, password, "账户已创建")
    return render(request, "orgs/account_form.html", {"form": form, "creating": True, "summary": error_summary(form)})


@login_required
@permission_required("orgs.manage_user", raise_exception=True)
def user_edit_view(request, pk):
    person = accounts.get_manageable_user(request.user, pk=pk)
    initial = {
        "real_name": person.real_name,
        "organisation": person.organisation.code if person.organisation else "",
        "job_title": person.job_title,
        "phone": person.phone,
        "office_phone": person.office_phone,
        "email": person.email,
        "roles": sorted(accounts.granted_roles(person)),
    }
    form = AccountForm(
        request.POST or None, grantable=accounts.actor_grantable(request.user), creating=False, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.update_user(actor=request.user, user=person, data=_input(form))
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            messages.success(request, f"已保存 {person.display_name} 的账户信息。")
            return redirect("orgs:user_detail", pk=person.pk)
    return render(
        request,
        "orgs/account_form.html",
        {"form": form, "creating": False, "person": person, "summary": error_summary(form)},
    )


@login_required
@require_POST
@permission_required("orgs.manage_user", raise_exception=True)
@sensitive_variables("password")
def user_reset_password_view(request, pk):
    person = accounts.get_manageable_user(request.user, pk=pk)
    try:
        password = accounts.reset_password(actor=request.user, user=person)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("orgs:user_detail", pk=person.pk)
    return _issued(request, person, password, "密码已重置")


@login_required
@require_POST
@permission_required("orgs.manage_user", raise_exception=True)
def user_deactivate_view(request, pk):
    person = accounts.get_manageable_user(request.user, pk=pk)
    form = DeactivateForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(form.errors["reason"][0])
        accounts.deactivate(actor=request.user, user=person, reason=form.cleaned_data["reason"])
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"已停用 {person.display_name} 的账户，其登录会话和 API 令牌均已失效。")
    return redirect("orgs:user_detail", pk=person.pk)


@login_required
@require_POST
@permission_required("orgs.manage_user", raise_exception=True)
def user_reactivate_view(request, pk):
    person = accounts.get_manageable_user(request.user, pk=pk)
    try:
        accounts.reactivate(actor=request.user, user=person)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"已恢复 {person.display_name} 的账户。")
    return redirect("orgs:user_detail", pk=person.pk)
