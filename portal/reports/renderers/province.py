"""The province's summary of all applications in a call: one row per application with applicant,
region, kind, category, the form's key figures (its computed cells and its 万元 amounts, read from
the definitions), each level's conclusion, the panel score and rank."""
from __future__ import annotations

from django.utils import timezone
from openpyxl.utils import get_column_letter


from portal.orgs.models import Organisation
from portal.programmes.choices import ApplicantKind, ReviewLevel, Status
from portal.programmes.models import Application, ApplicationVersion
from portal.reports.renderers.excel import Sheet, workbook
from portal.review.models import Opinion

LEVELS = [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.EXPERT, ReviewLevel.PROVINCE, ReviewLevel.MINISTRY]
NUMBER = "#,##0.00"
WAN_UNIT = "万元"         # the unit of the forms' money fields


def key_figures(call) -> list[tuple[str, str, str]]:
    """(source, name, label) for the computed cells and 万元 fields of every form the call uses, in form order."""
    from portal.formspec.registry import schema_for
    seen, out = set(), []
    for form in call.forms.all():
        definition = schema_for(form.form_key).definition
        for name, spec in definition["fields"].items():
            if spec.get("unit") == WAN_UNIT and name not in seen:
                seen.add(name)
                out.append(("values", name, f"{spec.get('title') or spec['label']}（万元）"))
        for name, spec in definition.get("computed", {}).items():
            if name not in seen:
                seen.add(name)
                out.append(("computed", name, spec["label"]))
    return out


def _scores(call) -> dict:
    from portal.experts.results import panel_results
    scores = {}
    for panel in call.panels.all():
        for row in panel_results(panel):
            scores[row.application.pk] = (row.trimmed, row.rank)
    return scores


CHUNK = 200


def _rows(applications):
    """(application, latest content, {level: conclusion}) in chunks of plain values: no model
    objects pointing at each other, so each chunk is freed at once and memory stays flat."""
    from portal.review.chain import Outcome
    labels = dict(Outcome.choices)
    last = 0
    while True:
        # Keyset pages: no list of every id held in memory, and each page is an indexed range.
        chunk = list(applications.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]
        apps = (Application.objects.filter(pk__in=chunk).select_related("applicant").order_by("pk")
                .only("pk", "title", "applicant_kind", "status", "stage", "version_count", "submitted_at",
                      "applicant__name", "applicant__code", "applicant__path"))
        contents = {}
        # Only the two parts of the snapshot the table reads: the database extracts them.
        for row in (ApplicationVersion.objects.filter(application_id__in=chunk).order_by("application_id", "number")
                    .values("application_id", "content__values", "content__computed")):
            contents[row["application_id"]] = {"values": row["content__values"] or {},
                                               "computed": row["content__computed"] or {}}   # the latest wins
        levels: dict[int, dict] = {}
        for row in (Opinion.objects.filter(application_id__in=chunk).order_by("created_at", "pk")
                    .values("application_id", "level", "outcome")):
            levels.setdefault(row["application_id"], {})[row["level"]] = labels[row["outcome"]]
        for application in apps:
            yield application, contents.get(application.pk, {}), levels.get(application.pk, {})


def province_summary(call, applications, masker, out, progress) -> None:
    figures = key_figures(call)
    cities = dict(Organisation.objects.filter(kind="city", path__startswith=call.organisation.path)
                  .values_list("code", "name"))
    scores = _scores(call)
    # Plain dicts: get_FOO_display() costs more than the cell it fills, 20,000 times over.
    kinds, statuses, stages = dict(ApplicantKind.choices), dict(Status.choices), dict(ReviewLevel.choices)
    heads = (["序号", "申报单位", "机构代码", "所在市", "申报类别", "实验名称", "实验类别", "状态", "当前环节"]
             + [f"{ReviewLevel(level).label}结论" for level in LEVELS] + ["专家评分（去极值平均）", "专家排名"]
             + [label for _, _, label in figures] + ["负责人", "负责人手机", "版本", "提交时间"])
    wb = workbook()
    sheet = Sheet(wb, "申报汇总", [6, 30, 14, 12, 16, 30, 10, 10, 14] + [14] * len(LEVELS) + [12, 8]
                  + [14] * len(figures) + [10, 14, 6, 18], freeze="C3")
    sheet.title(f"{call.title}申报汇总表", len(heads))
    sheet.head(heads)
    total = applications.count()
    sheet.ws.auto_filter.ref = f"A2:{get_column_letter(len(heads))}{total + 2}"
    for i, (application, content, by_level) in enumerate(_rows(applications), 1):
        values, computed = content.get("values", {}), content.get("computed", {})
        category = values.get("category") or values.get("categories") or ""
        city = next((cities[c] for c in application.applicant.ancestor_codes() + [application.applicant.code]
                     if c in cities), "")
        score, rank = scores.get(application.pk, (None, None))
        figure_cells = []
        for source, name, _ in figures:
            raw = (values if source == "values" else computed).get(name)
            try:
                number = float(raw) if raw not in (None, "") and ":" not in str(raw) else None
            except (TypeError, ValueError):
                number = None
            figure_cells.append(sheet.number(number, NUMBER) if number is not None else raw)
        # 20,000 rows: plain values in the body (see Sheet.number).
        sheet.append([i, application.applicant.name, application.applicant.code, city,
                      kinds[application.applicant_kind], application.title,
                      "、".join(category) if isinstance(category, list) else category,
                      statuses[application.status], stages.get(application.stage, "")]
                     + [by_level.get(level, "") for level in LEVELS]
                     + [sheet.number(float(score), NUMBER) if score is not None else None, rank]
                     + figure_cells
                     + [values.get("head_name", ""), masker.phone(values.get("head_mobile", "")),
                        application.version_count,
                        sheet.number(timezone.localtime(application.submitted_at).replace(tzinfo=None),
                                     "yyyy-mm-dd hh:mm") if application.submitted_at else None])
        if i % 500 == 0:
            progress(min(95, int(i * 95 / max(total, 1))))
    wb.save(out)
