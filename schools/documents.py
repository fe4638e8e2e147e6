"""A pilot school's two scoring sheets as documents: the 考核方案 part of its 校本研修与考核方案 as a PDF
laid out as the seed (per 科组 and per teacher the table 序号 · 内容 · 评分要点 · 分值 · 自评 · 得分, the
two rankings, the school's seal under its opinion), and the results as Excel. Each has a state digest:
a request after a score, a name or the rule changed renders again, never serves the earlier file."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal.reports.pdf import chinese_date, render_pdf, seal_uri
from portal.reports.renderers.excel import SpecWriter
from schools.models import ItemScore, Sheet
from schools.scoring import load, show
from schools.selectors import plan_for_page, results, with_people


def _seal(project):
    from portal.review.services.seals import current_seal

    return current_seal(project.organisation)


def sheets_state(user, project, base_url="") -> str:
    plan = plan_for_page(project)
    parts = (
        "training",
        project.pk,
        project.organisation.name,
        plan.cap_rule,
        [(g.pk, g.name) for g in plan.groups.all()],
        [(t.pk, t.name, t.group_id) for t in plan.teachers.all()],
        sorted(
            ItemScore.objects.filter(plan=plan).values_list(
                "sheet", "group_id", "teacher_id", "item", "self_score", "score", "missing", "extras", "awards"
            )
        ),
        _seal(project).pk,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _tables(scored_list) -> list[dict]:
    return [
        {
            "name": s.subject.name,
            "group": getattr(getattr(s.subject, "group", None), "name", ""),
            "rank": s.rank,
            "self_total": show(s.self_total),
            "total": show(s.total),
            "complete": s.complete,
            "rows": [
                {
                    "number": line.item.number,
                    "content": line.item.content,
                    "points_text": line.item.points_text,
                    "max": show(line.item.max),
                    "self": show(line.self_result.total) if line.row and line.row.self_score is not None else "",
                    "score": show(line.result.total) if line.row and line.row.score is not None else "",
                }
                for line in s.lines
            ],
        }
        for s in scored_list
    ]


def sheets_pdf(ctx, project, out) -> None:
    plan = plan_for_page(project)
    scored = results(plan)
    school = project.organisation
    today = timezone.localdate()
    box = {
        "level": "school",
        "label": f"{school.name}意见",
        "note": "",
        "text": "以上考核结果经学校能力提升工程2.0考核小组评定。",
        "signer_label": "考核小组组长（签字）：",
        "signer_name": "",
        "seal_line": True,
        "date": chinese_date(today),
        "seal_uri": seal_uri(_seal(project)),
    }
    html = render_to_string(
        "schools/pdf/sheets.html",
        {
            "font": settings.PORTAL_PDF_FONT,
            "title": f"{school.name}考核方案",
            "attachment_no": "附件2",
            "title_lines": [f"{school.name}学校校本研修与考核方案", "考核方案"],
            "printed_at": timezone.localtime(),
            "rule": plan.get_cap_rule_display(),
            "group_sheet": load(Sheet.GROUP),
            "teacher_sheet": load(Sheet.TEACHER),
            "groups": _tables(scored[Sheet.GROUP]),
            "teachers": _tables(scored[Sheet.TEACHER]),
            "boxes": [box],
        },
    )
    out.write(render_pdf(html))


HEAD = ["考核表", "名次", "科组或教师", "所在科组", "自评合计", "得分合计", "是否评完"]


def results_xlsx(ctx, project, out) -> None:
    plan = plan_for_page(project)
    scored = results(plan)
    group_items = [i.number for i in load(Sheet.GROUP).items]
    teacher_items = [i.number for i in load(Sheet.TEACHER).items]
    width = max(len(group_items), len(teacher_items))
    head = HEAD + [f"第{n}项得分" for n in range(1, width + 1)]
    writer = SpecWriter(
        {
            "name": "考核结果",
            "widths": [10, 6, 16, 12, 10, 10, 8] + [9] * width,
            "caption": f"{project.organisation.name}校本研修考核结果（{plan.get_cap_rule_display()}）",
            "head": head,
            "freeze": "A3",
            "repeat_rows": "1:2",
            "auto_filter": None,
            "number_formats": dict.fromkeys([4, 5] + list(range(7, 7 + width)), "0.0"),
        },
        out,
    )
    for label, key in (("科组考核", Sheet.GROUP), ("个人考核", Sheet.TEACHER)):
        for s in scored[key]:
            items = [float(line.result.total) if line.row and line.row.score is not None else None for line in s.lines]
            writer.append(
                [
                    label,
                    s.rank,
                    s.subject.name,
                    getattr(getattr(s.subject, "group", None), "name", ""),
                    float(s.self_total),
                    float(s.total),
                    "是" if s.complete else "否",
                    *items,
                    *[None] * (width - len(items)),
                ]
            )
    writer.close()


# ---- 学校信息化教育教学发展规划 with its 专家指导意见建议表 ----


def _plan_whole(user, project) -> bool:
    from portal.reports.masking import needs_masking

    return user.has_perm("projects.edit_project", project) or not needs_masking(user)


def _printed_guidance(plan, user):
    """The tables a reader of the plan may see: signed (or answered) ones."""
    from schools.models import GuidanceStatus

    return [
        g
        for g in with_people(plan.guidance.select_related("version", "answer")).order_by("pk")
        if g.status != GuidanceStatus.WRITING
    ]


def devplan_state(user, project, base_url="") -> str:
    from schools.devplans import plan_of

    plan = plan_of(project)
    latest = plan.versions.order_by("-number").values_list("number", "sha256").first()
    guidance = [
        (g.pk, g.status, g.summary, g.signed_at, g.leader_id, sorted(g.members.values_list("pk", flat=True)))
        for g in _printed_guidance(plan, user)
    ]
    people = sorted(set().union(*[[g[4], *g[5]] for g in guidance])) if guidance else []
    from portal.experts.models import Expert

    shown = list(
        Expert.objects.filter(pk__in=people).values_list(
            "pk", "gender", "user__real_name", "user__phone", "user__office_phone"
        )
    )
    parts = ("devplan", project.pk, latest, guidance, shown, _plan_whole(user, project), _seal(project).pk)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def devplan_pdf(ctx, project, out) -> None:
    from portal.programmes.presentation import version_sections
    from schools.devplans import plan_of
    from schools.selectors import guidance_people, mode_of

    plan = plan_of(project)
    version = plan.versions.select_related("schema").order_by("-number").first()
    if version is None:
        raise ValueError("学校尚未提交发展规划。")
    whole = _plan_whole(ctx.user, project)
    definition = version.definition
    sections = version_sections(version, redact=not whole, printing=True)
    school = project.organisation
    tables = [
        {
            "people": guidance_people(g, whole=whole, masker=ctx.masker),
            "summary": g.summary,
            "signed_at": chinese_date(timezone.localtime(g.signed_at).date()) if g.signed_at else "",
            "version": g.version.number,
            "mode": mode_of(g.version),
        }
        for g in _printed_guidance(plan, ctx.user)
    ]
    box = {
        "level": "school",
        "label": f"{school.name}（盖章）",
        "note": "",
        "text": "",
        "signer_label": "校长（签字）：",
        "signer_name": version.content["values"].get("principal") or "",
        "seal_line": True,
        "date": chinese_date(timezone.localtime(version.submitted_at).date()),
        "seal_uri": seal_uri(_seal(project)),
    }
    html = render_to_string(
        "schools/pdf/devplan.html",
        {
            "font": settings.PORTAL_PDF_FONT,
            "title": definition["title"],
            "attachment_no": "附件1",
            "title_lines": [definition["title"]],
            "printed_at": timezone.localtime(),
            "sections": sections,
            "version": version,
            "school": school,
            "tables": tables,
            "boxes": [box],
            "attachments": version.content.get("attachments", []),
        },
    )
    out.write(render_pdf(html))
