"""The published outcomes of evaluation rounds: open to anyone, like the notices. Projects and their
organisations only — no person, no score, no expert."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from django.shortcuts import render

from evaluation.models import EvaluationRound, RoundStatus


def _published():
    return EvaluationRound.objects.filter(status=RoundStatus.PUBLISHED).select_related("call", "organisation")


def public_rounds_view(request):
    return render(request, "evaluation/public_rounds.html", {"rounds": _published().order_by("-published_at")})


def public_round_view(request, pk):
    round_ = _published().filter(pk=pk).first()
    if round_ is None:
        raise Http404("该评估结果尚未公布。")
    entries = list(
        round_.entries.select_related("project__organisation")
        .prefetch_related("decisions")
        .order_by("outcome", "project__organisation__path", "pk")
    )
    rows = [{"entry": e, "decision": max(e.decisions.all(), key=lambda d: d.number, default=None)} for e in entries]
    notice_until = round_.published_at + timedelta(days=round_.notice_days) if round_.notice_days else None
    return render(
        request, "evaluation/public_round.html", {"round": round_, "rows": rows, "notice_until": notice_until}
    )
