"""The published list of approved projects of a call (立项名单): open to anyone, like the notices."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from portal.programmes.models import Call, Project


def approved_list_view(request, call_pk):
    call = Call.objects.filter(pk=call_pk, is_published=True).select_related("organisation").first()
    projects = (
        list(
            Project.objects.filter(call_id=call_pk)
            .select_related("organisation", "application")
            .order_by("application__applicant_kind", "organisation__path")
        )
        if call
        else []
    )
    if not projects:
        raise Http404("该批次尚未公布立项名单。")
    return render(request, "projects/public_approved.html", {"call": call, "projects": projects})
