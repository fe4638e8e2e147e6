"""Public notices (公示): open to anyone without an account, with the objection form."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from portal.core.clients import client_ip
from portal.core.exceptions import ServiceError
from portal.programmes.choices import QuotaTarget
from portal.programmes.models import Call
from portal.review import selectors
from portal.review.forms import ObjectionForm
from portal.review.models import ListStatus
from portal.review.services.lists import list_kind
from portal.review.services.objections import lodge

OBJECTIONS_PER_HOUR = 10


def _too_many(what: str, who: str) -> bool:
    """The form is open to anyone: an address, and a contact, may lodge a few objections an hour,
    not a flood. Counted per real client (behind the proxy every citizen would otherwise share
    one bucket) and per contact (one person moving between addresses is still one person)."""
    key = "objections:" + hashlib.sha256(f"{what}:{who}".encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > OBJECTIONS_PER_HOUR


def notice_index_view(request):
    now = timezone.now()
    notices = list(selectors.public_lists()[:100])
    approved = Call.objects.filter(is_published=True, projects__isnull=False).distinct().order_by("-opens_at")[:50]
    return render(
        request,
        "review/public_index.html",
        {
            "approved": approved,
            "current": [
                n for n in notices if n.status == ListStatus.NOTICE and n.notice_starts <= now <= n.notice_ends
            ],
            "past": [
                n
                for n in notices
                if not (n.status == ListStatus.NOTICE and n.notice_starts <= now <= n.notice_ends)
                and n.notice_starts <= now
            ],
        },
    )


def notice_detail_view(request, token):
    lst = selectors.get_public_list(token)
    now = timezone.now()
    if lst.notice_starts > now:
        raise Http404("公示尚未开始。")
    entries = list(selectors.entries_of(lst))
    is_open = lst.status == ListStatus.NOTICE and lst.notice_starts <= now <= lst.notice_ends
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    ip = client_ip(request)
    if request.method == "POST" and _too_many("ip", ip or ""):
        form.is_valid()
        form.add_error(None, "提交过于频繁，请一小时后再试。")
    elif request.method == "POST" and form.is_valid() and _too_many("contact", form.cleaned_data["contact"].strip()):
        form.add_error("contact", "此联系方式一小时内提交的异议过多，请一小时后再试。")
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lodge(
                lst=lst,
                name=d["name"],
                contact=d["contact"],
                text=d["text"],
                application_id=d["application"] or None,
                upload=d.get("file"),
                ip=ip,
            )
        except ServiceError as refusal:
            refusal.to_form(form)
        else:
            messages.success(request, "您的异议已提交，我们将在核查后通过您留下的联系方式告知处理结果。")
            return redirect("public_notice", token=lst.token)
    return render(
        request,
        "review/public_notice.html",
        {
            "lst": lst,
            "entries": entries,
            "form": form,
            "is_open": is_open,
            "what": list_kind(lst),
            "groups": [(label, [e for e in entries if e.target == t]) for t, label in QuotaTarget.choices],
        },
    )
