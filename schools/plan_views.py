"""The 发展规划 tab of a pilot school's project (the school fills the plan with autosave and submits
versions; the levels above read it and form a guiding panel), a version with its changes, the plan's
files, and the experts' 专家指导意见建议表 pages (notes, the leader's summary and signature)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core import files as stored_files
from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.experts.models import Expert
from portal.formspec.autosave import autosave_answer, json_login_required
from portal.formspec.fields import CallContext
from portal.formspec.layout import layout
from portal.formspec.values import compute, raw_from_post, typed_values
from portal.orgs.choices import OrgKind
from portal.programmes.presentation import attachment_groups, version_changes, version_sections
from portal.programmes.services.applications import editor_of
from portal.projects.pages import acting_on, project_context
from portal.reports.masking import Masker
from schools import devplans, selectors
from schools import guidance as guidance_services
from schools.models import DevelopmentPlanFile, GuidanceStatus


def _plan_context(request, pk):
    context = project_context(request, pk, "devplan")
    if context["project"].organisation.kind != OrgKind.SCHOOL:
        raise Http404("发展规划只属于实验校项目。")
    return context


def _draft_sections(plan, form, *, editable: bool):
    definition = plan.schema.definition
    values = typed_values(definition, form.cleaned_data)
    return layout(
        definition,
        form=form if editable else None,
        values=values,
        computed=compute(definition, values),
        context=CallContext(),
    )


def _guidance_rows(plan, user, *, whole: bool):
    """The plan's guidance as the reader may see it: the school sees signed tables only."""
    masker = Masker(user)
    rows = []
    for g in selectors.with_people(plan.guidance.select_related("version", "answer")).order_by("pk"):
        if g.status == GuidanceStatus.WRITING and user.has_perm("projects.edit_project", plan.project):
            continue
        rows.append(
            {
                "guidance": g,
                "people": selectors.guidance_people(g, whole=whole, masker=masker),
                "mode": selectors.mode_of(g.version),
                "changes": version_changes(g.version, g.answer) if g.answer else [],
            }
        )
    return rows


@login_required
@permission_required("schools.view_devplan", raise_exception=True)
def devplan_view(request, pk):
    context = _plan_context(request, pk)
    project = context["project"]
    plan = devplans.plan_of(project)
    status, conflict, submit_errors = 200, None, None
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        raw = raw_from_post(plan.schema.definition, request.POST)
        expected = request.POST.get("_lock_version", "")
        try:
            plan = devplans.save_draft(
                actor=request.user,
                plan=plan,
                raw=raw,
                expected_version=parse_id(expected, default=-1),
                editor=editor_of(request),
            )
        except Conflict as refusal:
            conflict, status = refusal, 409
            form = devplans.bound_form(plan, data=raw)
        else:
            if request.POST.get("action") == "submit":
                try:
                    version = devplans.submit(actor=request.user, plan=plan)
                except ServiceError as refusal:
                    messages.error(request, refusal.message)
                    submit_errors, status = refusal.errors, 400
                else:
                    messages.success(
                        request, f"发展规划已提交（第 {version.number} 版，校验码 {version.sha256[:16]}…）。"
                    )
                    return redirect("schools:devplan", project.pk)
            else:
                messages.success(request, f"草稿已保存（{timezone.localtime(plan.updated_at):%H:%M}）。")
                return redirect("schools:devplan", project.pk)
            form = devplans.bound_form(plan, mode="submit")
    else:
        form = devplans.bound_form(plan)
    versions = list(plan.versions.select_related("schema", "submitted_by").order_by("number"))
    latest = versions[-1] if versions else None
    whole = context["can_edit"] or not Masker(request.user).on
    editable = context["can_edit"]
    if editable:
        sections = _draft_sections(plan, form, editable=True)
    else:
        sections = version_sections(latest, redact=not whole) if latest else None
    context.update(
        {
            "plan": plan,
            "form": form,
            "sections": sections,
            "editable": editable,
            "versions": versions,
            "latest": latest,
            "conflict": conflict,
            "submit_errors": submit_errors,
            "definition": plan.schema.definition,
            "files": list(devplans.live_files(plan)),
            "guidance_rows": _guidance_rows(plan, request.user, whole=whole),
            "can_assign": request.user.has_perm("schools.assign_guidance") and latest is not None,
            "candidates": guidance_services.candidates(project)
            if request.user.has_perm("schools.assign_guidance")
            else [],
        }
    )
    return render(request, "schools/devplan.html", context, status=status)


@json_login_required
@require_POST
def devplan_autosave_view(request, pk):
    if not request.user.has_perm("schools.view_devplan"):
        return JsonResponse({"error": "您没有修改此发展规划的权限。"}, status=403)
    context = _plan_context(request, pk)
    if not context["can_edit"]:
        return JsonResponse({"error": "您没有修改此发展规划的权限。"}, status=403)
    plan = devplans.plan_of(context["project"])
    raw = raw_from_post(plan.schema.definition, request.POST)
    return autosave_answer(
        request,
        lambda expected: devplans.save_draft(
            actor=request.user, plan=plan, raw=raw, expected_version=expected, editor=editor_of(request)
        ),
        lambda saved: {k: list(v) for k, v in devplans.bound_form(saved).errors.items()},
    )


@login_required
@permission_required("schools.view_devplan", raise_exception=True)
def devplan_version_view(request, pk, number):
    context = _plan_context(request, pk)
    plan = devplans.plan_of(context["project"])
    versions = {v.number: v for v in plan.versions.select_related("schema", "submitted_by")}
    if number not in versions:
        raise Http404("该版本不存在。")
    version = versions[number]
    whole = context["can_edit"] or not Masker(request.user).on
    previous = versions.get(number - 1)
    context.update(
        {
            "plan": plan,
            "version": version,
            "sections": version_sections(version, redact=not whole),
            "definition": version.definition,
            "numbers": sorted(versions),
            "previous": previous,
            "changes": version_changes(previous, version) if previous else [],
            "attachment_groups": attachment_groups(
                version.content["attachments"], url=lambda i: _file_url(context["project"].pk, i)
            ),
        }
    )
    return render(request, "schools/devplan_version.html", context)


def _file_url(project_pk, file_pk):
    from django.urls import reverse

    return reverse("schools:devplan_file", args=[project_pk, file_pk])


@login_required
@require_POST
@permission_required("schools.view_devplan", raise_exception=True)
def devplan_upload_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    plan = devplans.plan_of(project)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect("schools:devplan", project.pk)
    if upload.size > devplans.FILE_MAX_MB * devplans.MB:
        messages.error(request, f"“{upload.name}”超过单个附件 {devplans.FILE_MAX_MB} MB 的上限。")
        return redirect("schools:devplan", project.pk)
    try:
        devplans.add_file(actor=request.user, plan=plan, name=upload.name, data=upload.read())
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "附件已上传。")
    return redirect("schools:devplan", project.pk)


@login_required
@require_POST
@permission_required("schools.view_devplan", raise_exception=True)
def devplan_file_remove_view(request, pk, file_pk):
    project = acting_on(request, pk, "projects.edit_project")
    file = get_object_or_404(DevelopmentPlanFile, plan__project=project, pk=file_pk, removed_at__isnull=True)
    devplans.remove_file(actor=request.user, file=file)
    messages.success(request, f"已删除附件“{file.original_name}”。")
    return redirect("schools:devplan", project.pk)


@login_required
def devplan_file_view(request, pk, file_pk):
    """A plan's file, for whoever may read the plan: the project's readers and the experts guiding it."""
    if not (request.user.has_perm("schools.view_devplan") or request.user.has_perm("schools.view_guidance")):
        raise PermissionDenied
    file = get_object_or_404(
        DevelopmentPlanFile.objects.select_related("plan__project"), plan__project_id=pk, pk=file_pk
    )
    readable = (
        request.user.has_perm("schools.view_devplan")
        and selectors.visible_projects(request.user).filter(pk=pk).exists()
    )
    guiding = selectors.visible_guidance(request.user).filter(plan=file.plan).exists()
    if not (readable or guiding):
        raise Http404("文件不存在或不在您的范围内。")
    return stored_files.file_response(file.stored_name, file.content_type, file.original_name)


@login_required
@require_POST
@permission_required("schools.assign_guidance", raise_exception=True)
def guidance_assign_view(request, pk):
    context = _plan_context(request, pk)
    project = context["project"]
    plan = devplans.plan_of(project)
    pool = {str(e.pk): e for e, _ in guidance_services.candidates(project)}
    leader = pool.get(request.POST.get("leader", ""))
    members = [pool[k] for k in request.POST.getlist("members") if k in pool]
    unknown = [k for k in request.POST.getlist("members") if k not in pool]
    try:
        if unknown or (request.POST.get("leader") and leader is None):
            raise ServiceError("所选专家不在本省专家库中。")
        guidance_services.assign(actor=request.user, plan=plan, leader=leader, members=members)
    except ServiceError as refusal:
        details = [m for msgs in refusal.errors.values() for m in msgs]
        messages.error(request, " ".join([refusal.message, *details]))
    else:
        messages.success(request, "已安排专家指导，专家可在“专家指导”中查看发展规划并填写意见。")
    return redirect("schools:devplan", project.pk)


@login_required
@permission_required("schools.view_guidance", raise_exception=True)
def guidance_list_view(request):
    items = list(selectors.visible_guidance(request.user).order_by("-created_at", "-pk")[:200])
    return render(request, "schools/guidance_list.html", {"items": items})


@login_required
@permission_required("schools.view_guidance", raise_exception=True)
def guidance_view(request, gpk):
    guidance = selectors.get_visible_guidance(request.user, pk=gpk)
    expert = getattr(request.user, "expert", None)
    is_leader = expert is not None and expert.pk == guidance.leader_id
    is_member = expert is not None and (is_leader or guidance.members.filter(pk=expert.pk).exists())
    errors, status = {}, 200
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "note":
                guidance_services.write_note(actor=request.user, guidance=guidance, text=request.POST.get("note", ""))
                messages.success(request, "您的意见已保存。")
            elif action in ("summary", "sign") and is_leader:
                expected = request.POST.get("lock_version", "")
                guidance = guidance_services.save_summary(
                    actor=request.user,
                    guidance=guidance,
                    summary=request.POST.get("summary", ""),
                    expected_version=parse_id(expected, default=-1),
                )
                if action == "sign":
                    guidance_services.sign(actor=request.user, guidance=guidance)
                    messages.success(request, "指导意见建议表已签署，学校可以看到并据此修改发展规划。")
                else:
                    messages.success(request, "汇总已保存。")
            else:
                raise PermissionDenied
        except Conflict as refusal:
            messages.error(request, refusal.message)
            errors, status = {"summary": [refusal.message]}, 409
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
        else:
            return redirect("schools:guidance", guidance.pk)
        guidance = selectors.get_visible_guidance(request.user, pk=gpk)
    # Experts read phones and e-mails masked, as they read applications.
    masker = Masker(request.user)
    whole = not masker.on
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=[int(k) for k in guidance.notes]).select_related("user")}
    notes = [{"expert": experts.get(int(k)), "text": v} for k, v in guidance.notes.items() if v]
    version = guidance.version
    return render(
        request,
        "schools/guidance.html",
        {
            "guidance": guidance,
            "people": selectors.guidance_people(guidance, whole=whole, masker=masker),
            "sections": version_sections(version, redact=not whole),
            "definition": version.definition,
            "version": version,
            "project": guidance.plan.project,
            "mode": selectors.mode_of(version),
            "is_leader": is_leader,
            "is_member": is_member,
            "my_note": guidance.notes.get(str(expert.pk), "") if expert else "",
            "notes": notes,
            "errors": errors,
            "posted": request.POST,
            "attachment_groups": attachment_groups(
                version.content["attachments"], url=lambda i: _file_url(guidance.plan.project_id, i)
            ),
        },
        status=status,
    )
