"""A project's documents as the seeds lay them out — 用款方案 (附件1) with the approving level's seal,
任务清单 (附件2), 绩效目标表 (附件3) — as PDF and Excel; and the province's two summaries over all
projects of a call (budget execution, indicator attainment), streamed like the other summaries.

Each document has a state digest (reports/state.py's idea): a request after anything it shows has
changed renders again, never serves the earlier file."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from budgets import arithmetic
from budgets.models import BudgetLine, Expenditure, PlanDecision, SpendingPlan, Stage, Task
from budgets.services.schedule import TASK_COLUMNS
from evaluation.models import Indicator, PerformanceTable
from evaluation.selectors import indicator_rows
from portal.orgs.selectors import city_names, city_of
from portal.reports.pdf import chinese_date, render_pdf, seal_uri
from portal.reports.renderers.excel import SpecWriter
from portal.reports.renderers.streamed import SheetSpec, sheet_writer

NUMBER = "#,##0.0000"
PERCENT = "0.00"
CHUNK = 200


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- what each document shows, as plain rows (the state digests read the same) ----------------------


def _plan_rows(project):
    plan = (
        SpendingPlan.objects.filter(project=project)
        .values_list("pk", "grant", "source", "goal", "status", "lock_version")
        .first()
    )
    lines = list(
        BudgetLine.objects.filter(plan__project=project).values_list(
            "number", "category", "purpose", "explanation", "unit_cost", "quantity", "unit", "amount"
        )
    )
    decisions = list(
        PlanDecision.objects.filter(plan__project=project, adjustment__isnull=True).values_list(
            "pk", "approve", "text", "signer_name", "signed_on", "seal_id", "organisation__name"
        )
    )
    stages = list(Stage.objects.filter(project=project).values_list("name", "starts_on", "ends_on", "work"))
    return plan, lines, decisions, stages


def plan_state(user, project, base_url="") -> str:
    return _digest("plan", project.pk, project.title, _plan_rows(project))


def tasks_state(user, project, base_url="") -> str:
    return _digest("tasks", project.pk, list(Task.objects.filter(project=project).values_list()))


def indicators_state(user, project, base_url="") -> str:
    return _digest(
        "indicators",
        project.pk,
        list(PerformanceTable.objects.filter(project=project).values_list()),
        list(Indicator.objects.filter(table__project=project).values_list()),
    )


# --- the 用款方案 -----------------------------------------------------------------------------------------


def _plan(project):
    plan = SpendingPlan.objects.filter(project=project).first()
    if plan is None:
        raise ValueError("项目尚未编制用款方案。")
    return plan


def plan_boxes(plan) -> list[dict]:
    """The approving level's opinion, as the forms' opinion boxes print it (seal over the date)."""
    boxes = []
    for d in plan.decisions.filter(adjustment__isnull=True).select_related("seal", "organisation"):
        boxes.append(
            {
                "level": "plan",
                "label": f"{d.organisation.name}审批意见",
                "note": "（同意）" if d.approve else "（退回修改）",
                "text": d.text,
                "signer_label": "签字人：",
                "signer_name": d.signer_name,
                "seal_line": True,
                "date": chinese_date(d.signed_on),
                "seal_uri": seal_uri(d.seal) if d.approve and d.seal else "",
            }
        )
    return boxes


def _context(project, attachment_no: str, title: str, **extra) -> dict:
    return {
        "font": settings.PORTAL_PDF_FONT,
        "project": project,
        "attachment_no": attachment_no,
        "title": title,
        "title_lines": [project.title, title],
        "printed_at": timezone.localtime(),
        **extra,
    }


def plan_pdf(ctx, project, out) -> None:
    plan = _plan(project)
    lines = list(plan.lines.all())
    html = render_to_string(
        "budgets/pdf/plan.html",
        _context(
            project,
            "附件1",
            "用款方案",
            plan=plan,
            lines=lines,
            total=sum((x.amount for x in lines), Decimal(0)),
            stages=list(project.stages.all()),
            boxes=plan_boxes(plan),
        ),
    )
    out.write(render_pdf(html))


def _xlsx(out, name: str, caption: str, head: list[str], widths: list[float], rows, formats=None) -> None:
    writer = SpecWriter(
        {
            "name": name,
            "widths": widths,
            "caption": caption,
            "head": head,
            "freeze": "A3",
            "repeat_rows": "1:2",
            "auto_filter": None,
            "number_formats": formats or {},
        },
        out,
    )
    for row in rows:
        writer.append(row)
    writer.close()


def plan_xlsx(ctx, project, out) -> None:
    plan = _plan(project)
    rows = [
        [x.number, x.category, x.purpose, x.explanation, float(x.unit_cost), float(x.quantity), x.unit, float(x.amount)]
        for x in plan.lines.all()
    ]
    rows.append(["", "", "合计", f"资金来源：{plan.source}", None, None, "", float(plan.grant)])
    _xlsx(
        out,
        "用款方案",
        f"{project.title}用款方案（{plan.get_status_display()}）",
        ["序号", "资金投入方向", "项目", "说明", "单价（万元）", "数量", "单位", "金额（万元）"],
        [6, 16, 30, 48, 12, 8, 6, 12],
        rows,
        {4: NUMBER, 7: NUMBER},
    )


# --- the 任务清单 and the 绩效目标表 ----------------------------------------------------------------------


def _task_rows(project) -> list[list]:
    return [[t.number] + [getattr(t, field) for field, _, _ in TASK_COLUMNS] for t in project.tasks.all()]


def tasks_pdf(ctx, project, out) -> None:
    title = f"{project.call.title}项目任务清单"
    html = render_to_string(
        "budgets/pdf/tasks.html",
        {
            **_context(project, "附件2", "项目任务清单"),
            "title_lines": [title],
            "landscape": True,
            "columns": TASK_COLUMNS,
            "rows": _task_rows(project),
        },
    )
    out.write(render_pdf(html))


def tasks_xlsx(ctx, project, out) -> None:
    _xlsx(
        out,
        "任务清单",
        f"{project.title}任务清单",
        ["序号"] + [label for _, label, _ in TASK_COLUMNS],
        [6, 20, 24, 40, 10, 40, 40, 30, 10, 12, 12, 16],
        _task_rows(project),
    )


def _indicator_print_rows(project) -> list[dict]:
    """The tree as the paper prints it: a level's name only on its first row (the merged cell)."""
    out, last1, last2 = [], None, None
    table = PerformanceTable.objects.filter(project=project).first()
    for row in indicator_rows(table):
        i = row["indicator"]
        out.append(
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": row["target"],
                "actual": row["actual"],
                "verdict": {True: "达成", False: "未达成", None: "待判定"}[row["met"]],
                "show1": i.level1 != last1,
                "show2": (i.level1, i.level2) != last2,
            }
        )
        last1, last2 = i.level1, (i.level1, i.level2)
    return out


def _stamps(organisation) -> dict:
    """The county and city bureaus above (or at) the project's organisation, whose seals the table asks for."""
    from portal.orgs.models import Organisation

    codes = organisation.ancestor_codes() + [organisation.code]
    return {org.kind: org.name for org in Organisation.objects.filter(code__in=codes, kind__in=["county", "city"])}


def indicators_pdf(ctx, project, out) -> None:
    table = PerformanceTable.objects.filter(project=project).first()
    if table is None:
        raise ValueError("项目尚未填写绩效目标表。")
    stamps = _stamps(project.organisation)
    html = render_to_string(
        "budgets/pdf/indicators.html",
        {
            **_context(project, "附件3", "项目任务绩效目标表"),
            "title_lines": [f"{project.call.title}", "项目任务绩效目标表"],
            "table": table,
            "rows": _indicator_print_rows(project),
            "county_stamp": stamps.get("county", "县（市、区）教育局"),
            "city_stamp": stamps.get("city", "市教育局"),
        },
    )
    out.write(render_pdf(html))


def indicators_xlsx(ctx, project, out) -> None:
    rows = [
        [r["level1"], r["level2"], r["name"], r["target"], r["actual"], r["verdict"]]
        for r in _indicator_print_rows(project)
    ]
    _xlsx(
        out,
        "绩效目标表",
        f"{project.title}绩效目标表",
        ["一级指标", "二级指标", "三级指标", "三级指标目标值（实施周期）", "实际值", "判定"],
        [10, 14, 40, 24, 24, 8],
        rows,
    )


# --- the province's summaries over a call's projects ------------------------------------------------


def _pages(projects):
    """Keyset pages of plain rows: memory stays flat at 20,000 projects."""
    rows = projects.order_by("pk").values_list(
        "pk", "title", "organisation__name", "organisation__path", "contact_name", "contact_phone"
    )
    last = 0
    while True:
        page = list(rows.filter(pk__gt=last)[:CHUNK])
        if not page:
            return
        last = page[-1][0]
        yield page


def summaries_state(projects) -> str:
    ids = projects.order_by().values("pk")
    return _digest(
        list(projects.order_by("pk").values_list("pk", "title", "organisation__name", "status")),
        list(
            BudgetLine.objects.filter(plan__project__in=ids)
            .order_by("pk")
            .values_list("pk", "plan__project_id", "purpose", "amount", "plan__grant", "plan__status")
        ),
        list(
            Expenditure.objects.filter(line__plan__project__in=ids)
            .values("line")
            .annotate(s=Sum("amount"))
            .order_by("line")
            .values_list("line", "s")
        ),
        list(Indicator.objects.filter(table__project__in=ids).order_by("pk").values_list()),
    )


def execution_summary(call, projects, masker, out, progress) -> None:
    """One row per project: grant, its lines (amount / spent / rate), total spent, rate, lines over budget."""
    total = projects.count()
    cities = city_names(call.organisation.path)
    head = [
        "序号",
        "所在市",
        "承担单位",
        "项目名称",
        "方案状态",
        "下达资金（万元）",
        "各预算项目（预算/已支出/执行率）",
        "已支出（万元）",
        "结余（万元）",
        "总执行率（%）",
        "超预算项目数",
        "联系人",
        "联系电话",
    ]
    spec = SheetSpec(
        "经费执行",
        [6, 12, 24, 30, 8, 12, 60, 12, 12, 10, 8, 10, 14],
        caption=f"{call.title}经费执行汇总表",
        head=head,
        freeze="D3",
        repeat_rows="1:2",
        number_formats={5: NUMBER, 7: NUMBER, 8: NUMBER, 9: PERCENT},
    )
    statuses = dict(SpendingPlan._meta.get_field("status").choices)
    n = 0
    with sheet_writer(spec, out, rows=total) as sheet:
        for page in _pages(projects):
            ids = [row[0] for row in page]
            plans = dict(SpendingPlan.objects.filter(project_id__in=ids).values_list("project_id", "grant"))
            plan_status = dict(SpendingPlan.objects.filter(project_id__in=ids).values_list("project_id", "status"))
            spent = dict(
                Expenditure.objects.filter(line__plan__project_id__in=ids)
                .values("line")
                .annotate(s=Sum("amount"))
                .values_list("line", "s")
            )
            lines: dict[int, list] = {}
            for pk, project_id, purpose, amount in (
                BudgetLine.objects.filter(plan__project_id__in=ids)
                .order_by("plan__project_id", "number")
                .values_list("pk", "plan__project_id", "purpose", "amount")
            ):
                lines.setdefault(project_id, []).append((purpose, amount, spent.get(pk, Decimal(0))))
            for pk, title, org, path, contact, phone in page:
                n += 1
                own = lines.get(pk, [])
                used = sum((s for _, _, s in own), Decimal(0))
                grant = plans.get(pk)
                rate = arithmetic.execution_rate(used, grant) if grant else None
                text = "；".join(
                    f"{p}：{arithmetic.show(a)}/{arithmetic.show(s)}/"
                    f"{arithmetic.execution_rate(s, a) if a > 0 else '—'}%"
                    for p, a, s in own
                )
                sheet.append(
                    [
                        n,
                        city_of(path, cities),
                        org,
                        title,
                        statuses.get(plan_status.get(pk), "未编制"),
                        float(grant) if grant is not None else None,
                        text,
                        float(used),
                        float(grant - used) if grant is not None else None,
                        float(rate) if rate is not None else None,
                        sum(1 for _, a, s in own if s > a),
                        contact,
                        masker.phone(phone or ""),
                    ]
                )
            progress(min(95, int(n * 95 / max(total, 1))))


def attainment_summary(call, projects, masker, out, progress) -> None:
    """One row per project: indicators met, missed, pending, the rate, and the same per first-level category."""
    from evaluation.judgement import attainment
    from evaluation.selectors import verdict

    total = projects.count()
    cities = city_names(call.organisation.path)
    head = [
        "序号",
        "所在市",
        "承担单位",
        "项目名称",
        "指标数",
        "达成",
        "未达成",
        "待判定",
        "达成率（%）",
        "分类达成情况",
    ]
    spec = SheetSpec(
        "指标达成",
        [6, 12, 24, 30, 8, 8, 8, 8, 10, 50],
        caption=f"{call.title}绩效指标达成汇总表",
        head=head,
        freeze="D3",
        repeat_rows="1:2",
        number_formats={8: PERCENT},
    )
    n = 0
    with sheet_writer(spec, out, rows=total) as sheet:
        for page in _pages(projects):
            ids = [row[0] for row in page]
            by_project: dict[int, list] = {}
            for indicator in (
                Indicator.objects.filter(table__project_id__in=ids)
                .select_related("table")
                .order_by("table__project_id", "number")
            ):
                by_project.setdefault(indicator.table.project_id, []).append(indicator)
            for pk, title, org, path, _, _ in page:
                n += 1
                own = by_project.get(pk, [])
                verdicts = [(i.level1, verdict(i)) for i in own]
                counts = attainment([v for _, v in verdicts])
                categories: dict[str, list] = {}
                for level1, v in verdicts:
                    categories.setdefault(level1, []).append(v)
                text = "；".join(f"{c}：{sum(1 for v in vs if v is True)}/{len(vs)}" for c, vs in categories.items())
                sheet.append(
                    [
                        n,
                        city_of(path, cities),
                        org,
                        title,
                        counts["total"],
                        counts["met"],
                        counts["missed"],
                        counts["pending"],
                        float(counts["rate"]) if counts["rate"] is not None else None,
                        text,
                    ]
                )
            progress(min(95, int(n * 95 / max(total, 1))))
