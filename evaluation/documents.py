"""The evaluation cycle's documents: a project's self-evaluation report (自评报告) with the levels'
sealed opinions, its evaluation result sheet (评估结果表) with the panel's opinion and the decision
under the organiser's seal, the round's results and the acceptance list as Excel, and the showcase
catalogue as Excel. Each has a state digest: a new version, opinion, decision or selection renders
again; nothing earlier is handed back."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from evaluation import dossier, panel, selfeval
from evaluation.models import Outcome, ShowcaseItem, ShowcaseStatus
from portal.orgs.selectors import city_names, city_of
from portal.reports.pdf import chinese_date, render_pdf, seal_uri
from portal.reports.renderers.excel import SpecWriter


def _seal(org):
    from portal.review.services.seals import current_seal

    return current_seal(org)


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _day(iso: str) -> str:
    from datetime import datetime

    return chinese_date(datetime.fromisoformat(iso).date()) if iso else ""


# ---- 自评报告 ----


def selfeval_state(user, entry, base_url="") -> str:
    version = entry.versions.values_list("number", "sha256").first()
    seals = [_seal(o).pk for o in [entry.project.organisation, *selfeval.levels(entry)]]
    return _digest("selfeval", entry.pk, version, sorted(entry.opinions.items()), seals)


def selfeval_pdf(ctx, entry, out) -> None:
    version = entry.versions.first()
    if version is None:
        raise ValueError("项目尚未提交自评报告。")
    org = entry.project.organisation
    round_ = entry.round
    boxes = [
        {
            "level": "project",
            "label": f"{org.name}（盖章）",
            "note": "",
            "text": "",
            "signer_label": "负责人（签字）：",
            "signer_name": "",
            "seal_line": True,
            "date": chinese_date(timezone.localtime(version.submitted_at).date()),
            "seal_uri": seal_uri(_seal(org)),
        }
    ]
    for level in selfeval.levels(entry):
        opinion = entry.opinions.get(level.kind)
        boxes.append(
            {
                "level": level.kind,
                "label": f"{level.name}意见",
                "note": "",
                "text": opinion["text"] if opinion else "",
                "signer_label": "",
                "signer_name": "",
                "seal_line": True,
                "date": _day(opinion["at"]) if opinion else "",
                "seal_uri": seal_uri(_seal(level)) if opinion else "",
            }
        )
    scores = version.content.get("self_scores", {})
    html = render_to_string(
        "evaluation/pdf/selfeval.html",
        {
            "font": settings.PORTAL_PDF_FONT,
            "title": f"{round_.get_kind_display()}自评报告",
            "attachment_no": "",
            "title_lines": [f"{round_.title}", f"{entry.project.title}自评报告"],
            "printed_at": timezone.localtime(),
            "entry": entry,
            "version": version,
            "figures": version.content["figures"],
            "sections": [(label, version.content["sections"].get(key, "")) for key, label, _, _ in dossier.SECTIONS],
            "criteria": [{"c": c, "self": scores.get(str(c.number), "")} for c in round_.criteria.all()],
            "self_total": version.content.get("self_total", ""),
            "boxes": boxes,
        },
    )
    out.write(render_pdf(html))


# ---- 评估结果表 ----


def result_state(user, entry, base_url="") -> str:
    decisions = list(
        entry.decisions.values_list("number", "outcome", "grade", "reasons", "rectify_by", "change_reason")
    )
    result = _result(entry)
    return _digest(
        "result",
        entry.pk,
        entry.panel_opinion,
        entry.opinion_signed_at,
        decisions,
        result.trimmed if result else None,
        result.rank if result else None,
        entry.round.status,
        _seal(entry.round.organisation).pk,
    )


def _result(entry):
    return next((r for r in panel.results(entry.round) if r.entry.pk == entry.pk), None)


def result_pdf(ctx, entry, out) -> None:
    decision = entry.decisions.first()
    if decision is None:
        raise ValueError("尚未作出评估结论。")
    round_ = entry.round
    result = _result(entry)
    organiser = round_.organisation
    text = f"结论：{decision.get_outcome_display()}" + (f"（{decision.grade}）" if decision.grade else "")
    if decision.reasons:
        text += f"\n理由：{decision.reasons}"
    if decision.outcome == Outcome.RECTIFY:
        text += f"\n整改期限：{decision.rectify_by:%Y年%m月%d日}\n整改事项：" + "；".join(decision.rectify_items)
    if decision.frozen_amount is not None:
        text += f"\n冻结剩余资金：{decision.frozen_amount.normalize():f} 万元"
    boxes = [
        {
            "level": "panel",
            "label": "专家组意见",
            "note": "",
            "text": entry.panel_opinion,
            "signer_label": "专家组组长（签字）：",
            "signer_name": "",
            "seal_line": False,
            "date": chinese_date(timezone.localtime(entry.opinion_signed_at).date()) if entry.opinion_signed_at else "",
            "seal_uri": "",
        },
        {
            "level": "organiser",
            "label": f"{organiser.name}意见",
            "note": "",
            "text": text,
            "signer_label": "",
            "signer_name": "",
            "seal_line": True,
            "date": chinese_date(timezone.localtime(decision.decided_at).date()),
            "seal_uri": seal_uri(_seal(organiser)),
        },
    ]
    html = render_to_string(
        "evaluation/pdf/result.html",
        {
            "font": settings.PORTAL_PDF_FONT,
            "title": f"{round_.title}评估结果表",
            "attachment_no": "",
            "title_lines": [round_.title, "评估结果表"],
            "printed_at": timezone.localtime(),
            "entry": entry,
            "round": round_,
            "result": result,
            "decisions": list(entry.decisions.all()),
            "boxes": boxes,
        },
    )
    out.write(render_pdf(html))


# ---- Excel: the round's results, the acceptance list, the showcase catalogue ----

RESULT_HEAD = [
    "序号",
    "地市",
    "承担单位",
    "项目名称",
    "状态",
    "自评得分",
    "专家评分（截尾均分）",
    "排名",
    "结论",
    "等级",
    "整改期限",
    "理由",
]


def round_state(user, round_, base_url="") -> str:
    rows = [
        (r.entry.pk, r.entry.status, r.entry.outcome, r.entry.grade, r.trimmed, r.rank) for r in panel.results(round_)
    ]
    decisions = sorted(round_.entries.values_list("decisions__pk", "decisions__reasons"), key=repr)
    return _digest("round", round_.pk, round_.status, rows, decisions)


def _rows(round_, *, accepted_only: bool):
    cities = city_names(round_.organisation.scope_path)
    latest = {}
    for entry in round_.entries.prefetch_related("decisions", "versions"):
        decision = max(entry.decisions.all(), key=lambda d: d.number, default=None)
        version = max(entry.versions.all(), key=lambda v: v.number, default=None)
        latest[entry.pk] = (decision, version)
    for r in panel.results(round_):
        e = r.entry
        if accepted_only and e.outcome != Outcome.PASS:
            continue
        decision, version = latest[e.pk]
        yield [
            city_of(e.project.organisation.path, cities, "省直"),
            e.project.organisation.name,
            e.project.title,
            e.get_status_display(),
            float(version.content["self_total"]) if version else None,
            float(r.trimmed) if r.trimmed is not None else None,
            r.rank,
            e.get_outcome_display(),
            e.grade,
            f"{decision.rectify_by:%Y-%m-%d}" if decision and decision.rectify_by else "",
            decision.reasons if decision else "",
        ]


def round_xlsx(ctx, round_, out, *, accepted_only: bool = False) -> None:
    caption = f"{round_.title}{'验收通过名单' if accepted_only else '结果'}"
    writer = SpecWriter(
        {
            "name": "验收通过名单" if accepted_only else "评估结果",
            "caption": caption,
            "widths": [6, 12, 24, 30, 14, 10, 12, 6, 10, 6, 12, 30],
            "head": RESULT_HEAD,
            "freeze": "A3",
            "repeat_rows": "1:2",
            "auto_filter": None,
            "number_formats": {5: "0.00", 6: "0.00"},
        },
        out,
    )
    for i, row in enumerate(_rows(round_, accepted_only=accepted_only), 1):
        writer.append([i, *row])
    writer.close()


def acceptance_xlsx(ctx, round_, out) -> None:
    round_xlsx(ctx, round_, out, accepted_only=True)


SHOWCASE_HEAD = ["序号", "标题", "类别", "学段", "学科", "地市", "承担单位", "项目名称", "项目状态", "简介", "视频链接"]


def showcase_state(user, call, base_url="") -> str:
    return _digest(
        "showcase",
        call.pk,
        list(_showcase(call).values_list("pk", "title", "summary", "selected_at", "project__status")),
    )


def _showcase(call):
    return (
        ShowcaseItem.objects.filter(project__call=call, status=ShowcaseStatus.SELECTED)
        .select_related("project__organisation")
        .order_by("project__organisation__path", "pk")
    )


def showcase_xlsx(ctx, call, out) -> None:
    cities = city_names(call.organisation.scope_path)
    writer = SpecWriter(
        {
            "name": "示范推广",
            "caption": f"{call.title}示范推广案例目录",
            "widths": [6, 30, 10, 8, 8, 12, 24, 30, 10, 50, 30],
            "head": SHOWCASE_HEAD,
            "freeze": "A3",
            "repeat_rows": "1:2",
            "auto_filter": None,
        },
        out,
    )
    for i, item in enumerate(_showcase(call), 1):
        writer.append(
            [
                i,
                item.title,
                item.get_category_display(),
                item.stage,
                item.subject,
                city_of(item.project.organisation.path, cities, "省直"),
                item.project.organisation.name,
                item.project.title,
                item.project.get_status_display(),
                item.summary,
                item.video_url,
            ]
        )
    writer.close()
