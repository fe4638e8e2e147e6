"""The province's summary of all applications in a call: one row per application with applicant,
region, kind, category, the form's key figures (its computed cells and its 万元 amounts, read from
the definitions), each level's conclusion, the panel score and rank."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl.utils import get_column_letter

from portal.core.json_paths import JSONPick
from portal.core.prefetch import read_ahead
from portal.orgs.selectors import city_names, city_of
from portal.programmes.choices import ApplicantKind, ReviewLevel, Status
from portal.programmes.models import ApplicationVersion
from portal.reports.renderers.streamed import SheetSpec, sheet_writer
from portal.review.models import Opinion

LEVELS = [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.EXPERT, ReviewLevel.PROVINCE, ReviewLevel.MINISTRY]
NUMBER = "#,##0.00"
WAN_UNIT = "万元"  # the unit of the forms' money fields
CATEGORY_FIELDS = ["category", "categories"]  # the Guangxi forms' one category, the national form's several
HEAD_FIELDS = ["head_name", "head_mobile"]
CHUNK = 100


def key_figures(call) -> list[tuple[str, str, str]]:
    """(source, name, label) for the computed cells and 万元 fields of every form the call uses, in form order."""
    from portal.formspec.registry import schema_for
    from portal.formspec.resolve import for_call

    seen, out = set(), []
    for form in call.forms.all():
        definition = for_call(schema_for(form.form_key), call)
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


def _picked(figures) -> list[tuple[str, str]]:
    """The (part, key) pairs of the snapshot the table reads, in the order _summary returns them."""
    return [("values", name) for name in HEAD_FIELDS + CATEGORY_FIELDS] + [
        (source, name) for source, name, _ in figures
    ]


def _summary(figures):
    """The few keys the table reads from the latest snapshot, picked by the database: the forms' long
    texts run to thousands of characters, and decoding them on every row cost more than writing it."""
    # order_by(): the versions' default order goes through the application's and would join it again.
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk"), number=OuterRef("version_count")).order_by()
    return Subquery(latest.values(summary=JSONPick("content", _picked(figures)))[:1])


def _pages(applications, figures):
    """(page of row tuples, {application: {level: conclusion}}) in keyset pages of plain values: no model
    instances, so each page is freed at once and memory stays flat; a page is one indexed range plus
    its opinions."""
    from portal.review.chain import Outcome

    labels = dict(Outcome.choices)
    pages = (
        applications.order_by("pk")
        .annotate(summary=_summary(figures))
        .values_list(
            "pk",
            "title",
            "applicant_kind",
            "status",
            "stage",
            "version_count",
            "submitted_at",
            "applicant__name",
            "applicant__code",
            "applicant__path",
            "summary",
        )
    )
    last = 0
    while True:
        page = list(pages.filter(pk__gt=last)[:CHUNK])
        if not page:
            return
        last = page[-1][0]
        levels: dict[int, dict] = {}
        for pk, level, outcome in (
            Opinion.objects.filter(application_id__in=[row[0] for row in page])
            .order_by("created_at", "pk")
            .values_list("application_id", "level", "outcome")
        ):
            levels.setdefault(pk, {})[level] = labels[outcome]  # the latest at a level wins
        yield page, levels
        del page, levels  # freed before the next page arrives, not after


def _rows(applications, figures):
    """(row tuple, {level: conclusion}), the next pages read while this one is written (read_ahead)."""
    for page, levels in read_ahead(_pages(applications, figures), depth=1):
        for row in page:
            yield row, levels.get(row[0], {})


def _money(raw):
    """A 万元 amount as a number (the column carries the money format); a blank or a stray text as it is."""
    if raw is None or raw == "":
        return raw
    try:
        return float(raw)
    except (TypeError, ValueError):
        return raw


def province_summary(call, applications, masker, out, progress) -> None:
    figures = key_figures(call)
    cities = city_names(call.organisation.path)
    categories_named = {
        str(number): f"{number}. {name}" for number, name in call.categories.values_list("number", "name")
    }
    scores = _scores(call)
    # Only the levels of this call's chain: a Guangxi call has no 教育部 column to leave empty.
    levels = [level for level in LEVELS if level in (call.review_chain or [])]
    heads = (
        ["序号", "申报单位", "机构代码", "所在市", "申报类别", "实验名称", "实验类别", "状态", "当前环节"]
        + [f"{ReviewLevel(level).label}结论" for level in levels]
        + ["专家评分（去极值平均）", "专家排名"]
        + [label for _, _, label in figures]
        + ["负责人", "负责人手机", "版本", "提交时间"]
    )
    total = applications.count()
    # The columns with the money format: the panel score and the forms' 万元 amounts (not the computed
    # counts and ratios, which go in as they are).
    score_column = 9 + len(levels)
    first_figure = score_column + 2
    formats = {score_column: NUMBER} | {
        first_figure + j: NUMBER for j, (source, _, _) in enumerate(figures) if source == "values"
    }
    spec = SheetSpec(
        "申报汇总",
        [6, 30, 14, 12, 16, 30, 16, 10, 14] + [14] * len(levels) + [12, 8] + [14] * len(figures) + [10, 14, 6, 18],
        caption=f"{call.title}申报汇总表",
        head=heads,
        freeze="C3",
        repeat_rows="1:2",
        auto_filter=f"A2:{get_column_letter(len(heads))}{total + 2}",
        number_formats=formats,
    )
    with sheet_writer(spec, out, rows=total) as sheet:
        _write_rows(
            sheet,
            _rows(applications, figures),
            figures=figures,
            cities=cities,
            levels=levels,
            scores=scores,
            categories_named=categories_named,
            masker=masker,
            progress=progress,
            total=total,
        )


def _write_rows(sheet, rows, *, figures, cities, levels, scores, categories_named, masker, progress, total) -> None:
    # Plain dicts: get_FOO_display() costs more than the cell it fills, 20,000 times over.
    kinds, statuses, stages = dict(ApplicantKind.choices), dict(Status.choices), dict(ReviewLevel.choices)
    # Positions in the picked array (see _picked): the head's fields, the category, then the figures.
    head_name, head_mobile, category, categories = range(4)
    # 万元 amounts get the money format; computed cells (counts, "1:5" ratios) go in as they are.
    money = [4 + j for j, (source, _, _) in enumerate(figures) if source == "values"]
    local = timezone.get_current_timezone()
    for i, (row, by_level) in enumerate(rows, 1):
        pk, title, kind, status, stage, version_count, submitted_at, name, code, path, picked = row
        picked = picked or [None] * (4 + len(figures))
        chosen = picked[category] or picked[categories] or []
        chosen = chosen if isinstance(chosen, list) else [chosen]
        city = city_of(path, cities)
        score, rank = scores.get(pk, (None, None))
        for j in money:
            picked[j] = _money(picked[j])
        # Plain values (the spec gives the money columns their format); the time keeps openpyxl's own
        # date format, which costs nothing extra.
        sheet.append(
            [
                i,
                name,
                code,
                city,
                kinds[kind],
                title,
                "、".join(categories_named.get(str(c), str(c)) for c in chosen),
                statuses[status],
                stages.get(stage, ""),
            ]
            + [by_level.get(level, "") for level in levels]
            + [float(score) if score is not None else None, rank]
            + picked[4:]
            + [
                picked[head_name] or "",
                masker.phone(picked[head_mobile] or ""),
                version_count,
                submitted_at.astimezone(local).replace(tzinfo=None) if submitted_at else None,
            ]
        )
        if i % 500 == 0:
            progress(min(95, int(i * 95 / max(total, 1))))
