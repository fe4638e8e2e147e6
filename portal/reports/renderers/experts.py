"""The expert score sheet (per expert × criterion) and the panel's ranking."""

from __future__ import annotations

from portal.experts import results, selectors
from portal.experts.models import AssignmentStatus
from portal.formspec.values import plain_number
from portal.reports.renderers.excel import CENTRE, Sheet, workbook

NUMBER = "0.00"


def expert_scores(panel, masker, out, progress) -> None:
    wb = workbook()
    rubrics = {}
    assignments = (
        panel.assignments.exclude(status=AssignmentStatus.CONFLICT)
        .select_related("expert__user", "application__applicant")
        .order_by("application_id", "pk")
    )
    criteria = []
    for a in assignments:
        key = a.application.applicant_kind
        if key not in rubrics:
            rubric = selectors.rubric_for(panel.call, key)
            rubrics[key] = list(rubric.criteria.all()) if rubric else []
            criteria = criteria or rubrics[key]
    heads = (
        ["序号", "申报单位", "评审专家"]
        + [f"{c.number}. {c.title}（{plain_number(c.max_points)}分）" for c in criteria]
        + ["总分", "状态", "总体意见"]
    )
    sheet = Sheet(wb, "评分明细", [6, 30, 12] + [14] * len(criteria) + [10, 10, 40], freeze="D3", repeat_rows="1:2")
    sheet.title(f"{panel.name}专家评分表", len(heads))
    sheet.head(heads)
    for i, a in enumerate(assignments, 1):
        points = [a.scores.get(str(c.number), {}).get("points", "") for c in criteria]
        sheet.append(
            [sheet.cell(i, align=CENTRE), sheet.cell(a.application.applicant.name), sheet.cell(str(a.expert))]
            + [sheet.cell(float(p) if p not in ("", None) else None, number_format=NUMBER) for p in points]
            + [
                sheet.cell(float(a.total) if a.total is not None else None, number_format=NUMBER),
                sheet.cell(a.get_status_display()),
                sheet.cell(a.comment),
            ]
        )
    progress(60)
    rows = results.against_targets(results.panel_results(panel), panel.call)
    ranking = Sheet(wb, "排名", [8, 10, 30, 28, 12, 14, 10, 30], freeze="A3", repeat_rows="1:2")
    categories = {
        str(number): f"{number}. {name}" for number, name in panel.call.categories.values_list("number", "name")
    }
    ranking.title(f"{panel.name}评审排名", 8)
    ranking.head(["总排名", "类别内排名", "申报单位", "实验类别", "平均分", "去极值平均分", "极差", "离群提示"])
    for r in rows:
        ranking.append(
            [
                ranking.cell(r.rank, align=CENTRE),
                ranking.cell(r.category_rank, align=CENTRE),
                ranking.cell(r.application.applicant.name),
                ranking.cell(categories.get(str(r.category), r.category)),
            ]
            + [
                ranking.cell(float(v) if v is not None else None, number_format=NUMBER)
                for v in (r.mean, r.trimmed, r.spread)
            ]
            + [ranking.cell("；".join(f"{e} 偏离 {d}" for e, d in r.outliers.items()))]
        )
    wb.save(out)
