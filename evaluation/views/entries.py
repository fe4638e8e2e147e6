"""One project in a round: its self-evaluation (drafted with autosave, submitted as a version), the
levels' opinions, an expert's blind score sheet, the leader's signature, the organiser's decision and
the rectification. What each reader sees follows the role: the project never sees who scored it."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluation import dossier, outcomes, panel, scope, selfeval
from evaluation.models import (
    EntryStatus,
    EvaluationFile,
    Grade,
    Outcome,
    Rectification,
    RectificationStatus,
    ScoreStatus,
)
from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec.autosave import autosave_answer, json_login_required
from portal.programmes.choices import ProjectStatus
from portal.programmes.services.applications import editor_of
from portal.projects.pages import done_or_refused


def _roles(user, entry) -> dict:
    return {
        "manager": scope.manages(user, entry.round),
        "leader": scope.leads(user, entry.round),
        "runs": user.has_perm("projects.edit_project", entry.project)
        and entry.project.status != ProjectStatus.TERMINATED,
        "opinion": selfeval.gives_opinion(user, entry),
    }


def _context(request, entry, *, errors=None, draft=None) -> dict:
    roles = _roles(request.user, entry)
    version = entry.versions.first()
    editable = roles["runs"] and entry.status == EntryStatus.DUE
    criteria = list(entry.round.criteria.all())
    sheet = None
    if request.user.has_perm("evaluation.score"):
        sheet = entry.scores.filter(expert__user=request.user).exclude(status=ScoreStatus.CONFLICT).first()
    decisions = list(entry.decisions.select_related("decided_by"))
    show_outcome = scope.sees_outcome(request.user, entry)
    result = scope.entry_result(request.user, entry)
    values = draft if draft is not None else entry.draft
    return {
        "entry": entry,
        "round": entry.round,
        "project": entry.project,
        "roles": roles,
        "version": version,
        "editable": editable,
        "criteria": criteria,
        "sections": dossier.SECTIONS,
        "values": values,
        "figures": version.content["figures"] if version and not editable else dossier.figures(entry.project),
        "errors": errors or {},
        "levels": selfeval.levels(entry),
        "sheet": sheet,
        "result": result,
        "decisions": decisions if show_outcome else [],
        "show_outcome": show_outcome,
        "rectifications": list(entry.rectifications.order_by("-pk")) if show_outcome else [],
        "outcomes": [Outcome(o) for o in entry.round.outcomes],
        "grades": Grade.choices,
        "files": list(selfeval.live_files(entry)) if editable else [],
        "changes": selfeval.changes(entry) if version and version.number > 1 else [],
        "members": list(entry.round.members.select_related("user")) if roles["manager"] else [],
        "criterion_rows": [
            {
                "c": c,
                "value": values.get(f"self_{c.number}", ""),
                "errors": (errors or {}).get(f"self_{c.number}", []),
                "self": (version.content.get("self_scores", {}) if version else {}).get(str(c.number), ""),
            }
            for c in criteria
        ],
    }


@login_required
@permission_required("evaluation.view_rounds", raise_exception=True)
def entry_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    errors, status, draft = {}, 200, None
    if request.method == "POST":
        if not _roles(request.user, entry)["runs"]:
            raise PermissionDenied
        action = request.POST.get("action", "save")
        version = request.POST.get("_lock_version", "")
        expected = parse_id(version, default=-1)
        draft = {**entry.draft, **selfeval.clean_draft(entry, request.POST)}
        try:
            saved = selfeval.save_draft(
                actor=request.user, entry=entry, raw=request.POST, expected_version=expected, editor=editor_of(request)
            )
            if action == "submit":
                selfeval.submit(actor=request.user, entry=saved)
                messages.success(request, "自评报告已提交。")
                return redirect("evaluation:entry", entry.pk)
            messages.success(request, "草稿已保存。")
            return redirect("evaluation:entry", entry.pk)
        except Conflict as conflict:
            messages.error(request, conflict.message + "您填写的内容仍在下方，请核对后再保存。")
            status = 409
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
        entry.refresh_from_db()
    return render(request, "evaluation/entry.html", _context(request, entry, errors=errors, draft=draft), status=status)


@json_login_required
@require_POST
def entry_autosave_view(request, pk):
    if not request.user.has_perm("evaluation.view_rounds"):
        return JsonResponse({"error": "您没有修改此自评报告的权限。"}, status=403)
    entry = scope.get_visible_entry(request.user, pk=pk)
    if not _roles(request.user, entry)["runs"]:
        return JsonResponse({"error": "您没有修改此自评报告的权限。"}, status=403)
    return autosave_answer(
        request,
        lambda expected: selfeval.save_draft(
            actor=request.user, entry=entry, raw=request.POST, expected_version=expected, editor=editor_of(request)
        ),
        lambda saved: dict(selfeval.draft_errors(saved, submit=False)[0].items()),
    )


@login_required
@require_POST
@permission_required("evaluation.view_rounds", raise_exception=True)
def file_upload_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    if not _roles(request.user, entry)["runs"]:
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect("evaluation:entry", entry.pk)
    if upload.size > 20 * 1024 * 1024:
        messages.error(request, f"“{upload.name}”超过 20 MB。")
        return redirect("evaluation:entry", entry.pk)
    data = upload.read()
    return done_or_refused(
        request,
        lambda: selfeval.attach(actor=request.user, entry=entry, name=upload.name, data=data),
        f"已上传“{upload.name}”。",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.view_rounds", raise_exception=True)
def file_remove_view(request, pk, file_pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    file = get_object_or_404(EvaluationFile, entry=entry, pk=file_pk, removed_at__isnull=True)
    return done_or_refused(
        request,
        lambda: selfeval.detach(actor=request.user, entry=entry, file=file),
        f"已删除“{file.original_name}”。",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@permission_required("evaluation.view_rounds", raise_exception=True)
def file_view(request, pk, file_pk):
    """A self-evaluation's attachment, for whoever reaches the entry (its experts included)."""
    from portal.audit.services import log_action
    from portal.core import files

    entry = scope.get_visible_entry(request.user, pk=pk)
    file = get_object_or_404(EvaluationFile, entry=entry, pk=file_pk)
    log_action("evaluation.selfeval.download", actor=request.user, obj=entry.project, data={"file": file.pk})
    return files.file_response(file.stored_name, file.content_type, file.original_name)


@login_required
@require_POST
@permission_required("evaluation.view_rounds", raise_exception=True)
def opinion_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    agree = request.POST.get("action") != "return"
    return done_or_refused(
        request,
        lambda: selfeval.give_opinion(
            actor=request.user, entry=entry, agree=agree, text=request.POST.get("opinion", "")
        ),
        "意见已签署，自评报告已报送上级。" if agree else "已退回项目修改。",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@permission_required("evaluation.score", raise_exception=True)
def score_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    sheet = scope.own_sheet(request.user, entry=entry)
    errors, status = {}, 200
    if request.method == "POST":
        criteria = list(entry.round.criteria.all())
        points = {str(c.number): request.POST.get(f"points_{c.number}", "") for c in criteria}
        comments = {str(c.number): request.POST.get(f"comment_{c.number}", "") for c in criteria}
        submit = request.POST.get("action") == "submit"
        try:
            panel.save_sheet(
                actor=request.user,
                sheet=sheet,
                points=points,
                comments=comments,
                comment=request.POST.get("comment", ""),
                submit=submit,
            )
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
            sheet.points = {k: {"points": points[k], "comment": comments[k]} for k in points}
            sheet.comment = request.POST.get("comment", "")
        else:
            messages.success(request, "评分已提交。" if submit else "评分草稿已保存。")
            return redirect("evaluation:score", entry.pk)
    version = entry.versions.first()
    criteria = list(entry.round.criteria.all())
    for c in criteria:  # what the expert typed last, beside each criterion
        typed = sheet.points.get(str(c.number), {})
        c.typed_points, c.typed_comment = typed.get("points", ""), typed.get("comment", "")
    return render(
        request,
        "evaluation/score.html",
        {
            "entry": entry,
            "round": entry.round,
            "sheet": sheet,
            "version": version,
            "errors": errors,
            "criteria": criteria,
            "sections": dossier.SECTIONS,
            "figures": version.content["figures"] if version else None,
            "locked": entry.status != EntryStatus.FILED,
        },
        status=status,
    )


@login_required
@require_POST
@permission_required("evaluation.score", raise_exception=True)
def conflict_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    sheet = scope.own_sheet(request.user, entry=entry)
    try:
        panel.declare_conflict(actor=request.user, sheet=sheet, reason=request.POST.get("reason", ""))
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("evaluation:score", entry.pk)
    messages.success(request, "已申请回避，该项目已交由其他专家评审。")
    return redirect("evaluation:tasks")


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def assign_one_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    raw = request.POST.get("expert", "")
    expert = entry.round.members.filter(pk=expert_pk).first() if (expert_pk := parse_id(raw)) is not None else None
    return done_or_refused(
        request,
        lambda: panel.assign_one(actor=request.user, entry=entry, expert=expert),
        f"已分配给{expert}。" if expert else "",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.score", raise_exception=True)
def sign_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    return done_or_refused(
        request,
        lambda: panel.sign_opinion(actor=request.user, entry=entry, text=request.POST.get("panel_opinion", "")),
        "专家组意见已签署。",
        "evaluation:entry",
        entry.pk,
    )


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        return None


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def decide_view(request, pk):
    entry = scope.get_visible_entry(request.user, pk=pk)
    if not scope.manages(request.user, entry.round):
        raise PermissionDenied
    p = request.POST
    return done_or_refused(
        request,
        lambda: outcomes.decide(
            actor=request.user,
            entry=entry,
            outcome=p.get("outcome", ""),
            grade=p.get("grade", ""),
            reasons=p.get("reasons", ""),
            rectify_by=_date(p.get("rectify_by", "")),
            rectify_items=p.get("rectify_items", ""),
            change_reason=p.get("change_reason", ""),
        ),
        "结论已作出。",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.view_rounds", raise_exception=True)
def rectification_file_view(request, pk):
    rectification = get_object_or_404(Rectification, pk=pk)
    entry = scope.get_visible_entry(request.user, pk=rectification.entry_id)
    return done_or_refused(
        request,
        lambda: outcomes.file_rectification(
            actor=request.user, rectification=rectification, report=request.POST.get("report", "")
        ),
        "整改报告已提交，等待复核。",
        "evaluation:entry",
        entry.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def rectification_review_view(request, pk):
    rectification = get_object_or_404(Rectification, pk=pk, status=RectificationStatus.FILED)
    entry = scope.get_visible_entry(request.user, pk=rectification.entry_id)
    passed = request.POST.get("action") == "pass"
    return done_or_refused(
        request,
        lambda: outcomes.review_rectification(
            actor=request.user,
            rectification=rectification,
            passed=passed,
            grade=request.POST.get("grade", ""),
            reasons=request.POST.get("reasons", ""),
        ),
        "整改复核通过。" if passed else "整改复核不通过，项目已撤销。",
        "evaluation:entry",
        entry.pk,
    )
