from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.orgs import selectors, services
from portal.orgs.choices import OrgKind
from portal.orgs.forms import ImportForm, OrganisationFilterForm, UserFilterForm
from portal.orgs.importing.service import import_file
from portal.orgs.importing.template import template_workbook

PAGE_SIZE = 50


@login_required
@permission_required("orgs.view_organisation", raise_exception=True)
def organisation_list_view(request):
    form = OrganisationFilterForm(request.GET or None)
    qs = selectors.visible_organisations(request.user).select_related("parent")
    if form.is_valid():
        if form.cleaned_data["q"]:
            term = form.cleaned_data["q"].strip()
            qs = qs.filter(Q(name__contains=term) | Q(code__startswith=term) | Q(region_name__contains=term))
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
    page = Paginator(qs.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/organisation_list.html", {"form": form, "page": page})


@login_required
@permission_required("orgs.view_organisation", raise_exception=True)
def organisation_detail_view(request, code):
    org = selectors.get_visible_organisation(request.user, code=code)
    children = Paginator(org.children.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    users = (
        selectors.visible_users(request.user).filter(organisation=org)
        if request.user.has_perm("orgs.view_user")
        else []
    )
    ancestors = selectors.visible_organisations(request.user).filter(code__in=org.ancestor_codes()).order_by("path")
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "children": children,
            "users": users,
            "ancestors": ancestors,
            "summary": [(OrgKind(k).label, n) for k, n in selectors.children_summary(org).items()],
        },
    )


@login_required
@permission_required("orgs.view_user", raise_exception=True)
def user_list_view(request):
    form = UserFilterForm(request.GET or None)
    qs = selectors.visible_users(request.user)
    if form.is_valid():
        term = form.cleaned_data["q"].strip()
        if term:
            qs = qs.filter(
                Q(real_name__contains=term) | Q(username__startswith=term) | Q(organisation__name__contains=term)
            )
        if form.cleaned_data["locked"]:
            qs = qs.filter(locked_until__gt=timezone.now())
    page = Paginator(qs.order_by("organisation__path", "username"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/user_list.html",
        {"form": form, "page": page, "now": timezone.now(), "can_create": request.user.has_perm("orgs.manage_user")},
    )


@login_required
@permission_required("orgs.view_user", raise_exception=True)
def user_detail_view(request, pk):
    person = selectors.get_visible_user(request.user, pk=pk)
    from portal.orgs.accounts import may_manage
    from portal.orgs.forms import DeactivateForm

    return render(
        request,
        "orgs/user_detail.html",
        {
            "person": person,
            "now": timezone.now(),
            "can_unlock": request.user.has_perm("orgs.unlock_user"),
            "can_manage": may_manage(request.user, person),
            "deactivate_form": DeactivateForm(),
        },
    )


@login_required
@require_POST
@permission_required("orgs.unlock_user", raise_exception=True)
def user_unlock_view(request, pk):
    person = selectors.get_visible_user(request.user, pk=pk)
    services.unlock_user(actor=request.user, user=person)
    messages.success(request, f"已解除 {person.display_name} 的登录锁定。")
    return redirect("orgs:user_detail", pk=person.pk)


@login_required
@permission_required("orgs.import_organisations", raise_exception=True)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            actor=request.user, name=upload.name, data=upload.read(), dry_run=form.cleaned_data["dry_run"]
        )
        if report.ok and not report.dry_run:
            messages.success(request, "导入完成。")
    return render(request, "orgs/import.html", {"form": form, "report": report})


@login_required
@permission_required("orgs.import_organisations", raise_exception=True)
def import_template_view(request):
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%9C%BA%E6%9E%84%E4%B8%8E%E8%B4%A6%E6%88%B7%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
