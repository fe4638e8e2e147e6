from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from rules.contrib.views import permission_required

from portal.audit import selectors
from portal.audit.actions import label
from portal.audit.forms import AuditFilterForm


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_list_view(request):
    form = AuditFilterForm(request.GET or None)
    qs = selectors.visible_entries(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            qs = qs.filter(actor_username=data["actor"].strip())
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"].strip())
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"].strip())
        if data["date_from"]:
            qs = qs.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            qs = qs.filter(created_at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = label(entry.action)
    return render(request, "audit/entry_list.html", {"form": form, "page": page})


@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_detail_view(request, pk):
    entry = selectors.get_visible_entry(request.user, pk=pk)
    entry.action_label = label(entry.action)
    return render(request, "audit/entry_detail.html", {"entry": entry})
