"""The 校本研修与考核 tab of a pilot school's project, the two scoring sheets, the summary across
schools for the county, city and province, and the ability-point list a province extends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core.boundary import parse_id
from portal.orgs.choices import OrgKind
from portal.projects.pages import acting_on, attempt, done_or_refused, project_context
from portal.reports.masking import Masker
from schools import points as ability_points
from schools import selectors, services
from schools.models import AbilityPoint, CapRule, Sheet, SubjectGroup, Teacher, TrainingSession
from schools.scoring import AWARDS, load

FORMS = {  # the POST's `form` → (service, model of an edited row, success message)
    "group": (services.save_group, SubjectGroup, "科组已保存。"),
    "teacher": (services.save_teacher, Teacher, "教师已保存。"),
    "session": (services.save_session, TrainingSession, "研修安排已保存。"),
}


def _school_context(request, pk: int) -> dict:
    context = project_context(request, pk, "training")
    if context["project"].organisation.kind != OrgKind.SCHOOL:
        raise Http404("校本研修与考核方案只属于实验校项目。")
    return context


class _Shown:
    """A teacher as the reader may see it: phone and e-mail whole for the school that keeps them and for
    the levels that call people, masked for the rest."""

    def __init__(self, teacher, masker, whole: bool):
        self.teacher, self.pk, self.name, self.group = teacher, teacher.pk, teacher.name, teacher.group
        self.phone = teacher.phone if whole else masker.phone(teacher.phone)
        self.email = teacher.email if whole else masker.email(teacher.email)


@login_required
@permission_required("schools.view_training", raise_exception=True)
def training_view(request, pk):
    context = _school_context(request, pk)
    project = context["project"]
    errors, status, form_name = {}, 200, request.POST.get("form", "")
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        plan = services.plan_of(project)
        if form_name == "plan":
            version = request.POST.get("lock_version", "")
            action = lambda: services.save_plan(
                actor=request.user,
                project=project,
                data=request.POST,  # noqa: E731
                expected_version=parse_id(version, default=-1),
            )
            success = "方案已保存。"
        elif form_name in FORMS:
            service, model, success = FORMS[form_name]
            key = request.POST.get("row", "")
            row = get_object_or_404(model, plan=plan, pk=row_pk) if (row_pk := parse_id(key)) is not None else None
            keyword = {"group": "group", "teacher": "teacher", "session": "session"}[form_name]
            action = lambda: service(actor=request.user, plan=plan, data=request.POST, **{keyword: row})  # noqa: E731
        else:
            raise Http404
        refused = attempt(request, action, success)
        if refused is None:
            return redirect("schools:training", project.pk)
        errors, status = refused
    plan = selectors.plan_for_page(project)
    masker = Masker(request.user)
    whole = context["can_edit"] or not masker.on
    available = ability_points.available(project.organisation)
    context.update(
        {
            "plan": plan,
            "results": selectors.results(plan),
            "errors": errors,
            "form_name": form_name,
            "posted": request.POST,
            "cap_rules": CapRule.choices,
            "session_columns": services.SESSION_COLUMNS,
            "points": available,
            "teachers": [_Shown(t, masker, whole) for t in plan.teachers.all()],
            "group_points": {g.pk: [(c, available.get(c, c)) for c in g.points] for g in plan.groups.all()},
            "teacher_counts": _teacher_counts(plan),
            **_form_values(request, plan, form_name),
        }
    )
    return render(request, "schools/training.html", context, status=status)


def _teacher_counts(plan) -> dict[int, int]:
    counts: dict[int, int] = {}
    for teacher in plan.teachers.all():
        counts[teacher.group_id] = counts.get(teacher.group_id, 0) + 1
    return counts


def _form_values(request, plan, form_name: str) -> dict:
    """What each add/edit form shows: what was typed after a refusal, the row being edited (?edit=
    group-3), or nothing."""
    edit = request.GET.get("edit", "")
    kind, _, key = edit.partition("-")
    rows = {"group": {g.pk: g for g in plan.groups.all()}, "teacher": {t.pk: t for t in plan.teachers.all()}}
    editing = rows.get(kind, {}).get(parse_id(key))
    out = {}
    for name, fields in (
        ("group", ("name", "responsible")),
        ("teacher", ("name", "phone", "email", "group")),
        ("session", tuple(f for f, _, _ in services.SESSION_COLUMNS)),
    ):
        if form_name == name:
            values = {f: request.POST.get(f, "") for f in fields}
            values["row"] = request.POST.get("row", "")
            values["points"] = request.POST.getlist("points")
        elif editing is not None and kind == name:
            values = {f: getattr(editing, f) for f in fields if f != "group"}
            values["group"] = str(editing.group_id) if name == "teacher" else ""
            values["row"] = str(editing.pk)
            values["points"] = list(getattr(editing, "points", []))
        else:
            values = {"row": "", "points": []}
        out[f"{name}_form"] = values
    return out


@login_required
@require_POST
@permission_required("schools.view_training", raise_exception=True)
def remove_view(request, pk, kind, row_pk):
    project = acting_on(request, pk, "projects.edit_project")
    plan = services.plan_of(project)
    remove = {
        "group": (SubjectGroup, services.remove_group, "group"),
        "teacher": (Teacher, services.remove_teacher, "teacher"),
        "session": (TrainingSession, services.remove_session, "session"),
    }
    if kind not in remove:
        raise Http404
    model, service, keyword = remove[kind]
    row = get_object_or_404(model, plan=plan, pk=row_pk)
    return done_or_refused(
        request, lambda: service(actor=request.user, **{keyword: row}), "已删除。", "schools:training", project.pk
    )


def _rows_from(post, sheet) -> dict[int, dict]:
    return {
        item.number: {
            "self_score": post.get(f"item-{item.number}-self_score", ""),
            "score": post.get(f"item-{item.number}-score", ""),
            "missing": post.get(f"item-{item.number}-missing", ""),
            "extras": post.get(f"item-{item.number}-extras", ""),
            "awards": post.getlist(f"item-{item.number}-awards"),
        }
        for item in sheet.items
    }


def _sheet_lines(scored, posted, errors: dict) -> list[dict]:
    """Each item's inputs as shown: what was typed after a refusal, else what is stored; its results."""
    lines = []
    for line in scored.lines:
        key, row = f"item-{line.item.number}", line.row
        if posted is not None:
            values = {f: posted.get(f"{key}-{f}", "") for f in ("self_score", "score", "missing", "extras")}
            values["awards"] = posted.getlist(f"{key}-awards")
        else:
            values = {
                "self_score": "" if row is None or row.self_score is None else row.self_score,
                "score": "" if row is None or row.score is None else row.score,
                "missing": row.missing if row and row.missing else "",
                "extras": row.extras if row and row.extras else "",
                "awards": list(row.awards) if row else [],
            }
        lines.append(
            {
                "item": line.item,
                "key": key,
                "values": values,
                "self_result": line.self_result,
                "result": line.result,
                "errors": [
                    m
                    for f in ("self_score", "score", "missing", "extras", "awards")
                    for m in errors.get(f"{key}-{f}", [])
                ],
                "invalid": {
                    f for f in ("self_score", "score", "missing", "extras", "awards") if f"{key}-{f}" in errors
                },
            }
        )
    return lines


def _sheet_page(request, pk, subject_model, subject_pk, key):
    context = _school_context(request, pk)
    plan = services.plan_of(context["project"])
    subject = get_object_or_404(subject_model, plan=plan, pk=subject_pk)
    sheet = load(key)
    errors, status = {}, 200
    if request.method == "POST":
        acting_on(request, pk, "projects.edit_project")
        refused = attempt(
            request,
            lambda: services.record_scores(
                actor=request.user, plan=plan, subject=subject, rows=_rows_from(request.POST, sheet)
            ),
            f"{subject.name}的{sheet.title.split('：')[0]}已保存。",
        )
        if refused is None:
            return redirect(request.path)
        errors, status = refused
    scored = selectors.scored_subject(plan, subject)
    context.update(
        {
            "plan": plan,
            "subject": subject,
            "sheet": sheet,
            "scored": scored,
            "errors": errors,
            "lines": _sheet_lines(scored, request.POST if request.method == "POST" else None, errors),
            "awards": [(k, label, bonus) for k, (label, bonus) in AWARDS.items()],
            "cap_rule": CapRule(plan.cap_rule).label,
        }
    )
    return render(request, "schools/sheet.html", context, status=status)


@login_required
@permission_required("schools.view_training", raise_exception=True)
def group_sheet_view(request, pk, group_pk):
    return _sheet_page(request, pk, SubjectGroup, group_pk, Sheet.GROUP)


@login_required
@permission_required("schools.view_training", raise_exception=True)
def teacher_sheet_view(request, pk, teacher_pk):
    return _sheet_page(request, pk, Teacher, teacher_pk, Sheet.TEACHER)


@login_required
@permission_required("schools.view_training_summary", raise_exception=True)
def summary_view(request):
    return render(request, "schools/summary.html", {"rows": selectors.summaries(request.user)})


@login_required
def ability_points_view(request):
    org = request.user.organisation
    province = ability_points.province_of(org) if org else None
    may_add = province is not None and request.user.has_perm("schools.add_ability_point")
    errors = {}
    status = 200
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied("只有省级管理员可以增补本省的能力点。")
        code = request.POST.get("code", "").strip().upper()
        name = request.POST.get("name", "").strip()
        if not code or len(code) > 10 or not code.isalnum():
            errors["code"] = ["代码为 1–10 位字母或数字，如 B7。"]
        elif code in ability_points.available(province):
            errors["code"] = [f"能力点 {code} 已在清单中。"]
        if not name or len(name) > 60:
            errors["name"] = ["请填写能力点名称（不超过 60 个字）。"]
        if not errors:
            point = AbilityPoint.objects.create(province=province, code=code, name=name)
            log_action("schools.ability_point.add", actor=request.user, obj=point, data={"code": code, "name": name})
            messages.success(request, f"已增补能力点 {code} {name}。")
            return redirect("schools:ability_points")
        status = 400
    own = list(province.ability_points.all()) if province else []
    return render(
        request,
        "schools/ability_points.html",
        {
            "national": ability_points.national(),
            "own": own,
            "province": province,
            "may_add": may_add,
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )
