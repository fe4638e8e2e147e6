"""make bench: report figures on the scale dataset, one `name: value` line each (ratios as plain numbers).

  province_summary_time_ratio   the province summary of 20,000 applications ÷ the bare openpyxl
                                write-only writer on the same rows already in memory, with the same
                                number formats (goal ≤ 1.3); also printed against plain values
  province_summary_memory_ratio peak memory at 20,000 ÷ at 200 applications (goal ≤ 1.5: streamed)
  form_pdf_time_ratio           one stamped, signed form PDF ÷ bare WeasyPrint on the same HTML (goal ≤ 1.5)
  pdf_throughput_2v1            200 PDFs with 2 Celery workers ÷ with 1 (goal ≥ 1.8; needs Redis and PostgreSQL)
  budget_execution_time_ratio   the budget-execution summary of 20,000 projects ÷ bare openpyxl on the same
                                rows (goal ≤ 1.3)
  budget_execution_memory_ratio its peak memory at 20,000 ÷ at 200 projects (goal ≤ 1.5)
  project_list_time_ratio       the project list page's median time at 20,000 projects ÷ at 200 (goal ≤ 1.3;
                                its query count, printed beside it, is asserted constant in the tests)
  page_<name>_scale_ratio       the dashboard, application list, review queue and lists page, for the
                                province and a city: median time on a database of 20,000 applications
                                ÷ on one of 200 (goal ≤ 1.3 each; scripts/bench_pages.py; query counts
                                printed beside, asserted constant in the tests)

Without DATABASE_URL the dataset lives in var/bench.sqlite3 (made on the first run)."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from copy import copy
from pathlib import Path
from statistics import median
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
# Measured as the workers run in production: with DEBUG on, Django keeps every query's SQL in memory,
# which the memory figure would count as the renderer's.
os.environ.setdefault("DJANGO_DEBUG", "0")
SCALE = int(os.environ.get("BENCH_APPLICATIONS", "20000"))
SMALL = 200
PAGE_PAIRS = 3
PDFS = int(os.environ.get("BENCH_PDFS", "200"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import Cell, WriteOnlyCell  # noqa: E402

from portal.orgs.models import User  # noqa: E402
from portal.programmes.models import Application, Call  # noqa: E402
from portal.programmes.selectors import visible_applications  # noqa: E402
from portal.reports.masking import Masker  # noqa: E402
from portal.reports.renderers import excel, streamed  # noqa: E402
from portal.reports.renderers.province import province_summary  # noqa: E402


def say(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def dataset() -> tuple[Call, User]:
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="gx_province").exists():
        call_command("load_demo", stdout=io.StringIO())
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    missing = SCALE - Application.objects.filter(call=call, applicant__code__startswith="S").count()
    if missing > 0:
        call_command("seed_scale", "--schools", str(SCALE), "--applications", str(missing), stdout=io.StringIO())
    return call, User.objects.get(username="gx_province")


class Formatted(NamedTuple):
    value: object
    number_format: str


def streamed_figures(prefix: str, sheet_name: str, render, queryset) -> None:
    """Time and memory of a streamed summary `render(queryset, out)` against openpyxl alone writing the
    same rows; printed as <prefix>_time_ratio and <prefix>_memory_ratio (and the figures behind them)."""
    rows: list[list] = []
    original = excel.Sheet.append
    in_line, streamed.IN_LINE_MAX_ROWS = streamed.IN_LINE_MAX_ROWS, 10**9  # recorded in this process

    def recording(self, cells):
        rows.append(
            [
                Formatted(c.value, c.number_format) if isinstance(c, Cell) and c.has_style else getattr(c, "value", c)
                for c in cells
            ]
        )
        original(self, cells)

    # The rows are recorded in a run of their own: a list growing to 20,000 rows during the timed
    # run would make the garbage collector walk it again and again and slow the renderer unfairly.
    excel.Sheet.append = recording
    render(queryset, io.BytesIO())
    excel.Sheet.append = original
    streamed.IN_LINE_MAX_ROWS = in_line
    # Both write to a file, as the worker does: an in-memory buffer would hold the whole workbook.
    scratch = tempfile.TemporaryDirectory()
    target = Path(scratch.name) / "out.xlsx"

    def timed(run) -> float:
        gc.collect()
        started = time.perf_counter()
        run()
        return time.perf_counter() - started

    def ours():
        with target.open("wb") as out:
            render(queryset, out)

    def floor(with_formats: bool):
        """openpyxl alone writing the recorded rows: the same values and, with_formats, the same
        number formats (each format's style built once and copied, the cheapest way openpyxl allows)."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_name)
        styles: dict[str, object] = {}

        def formatted(item: Formatted):
            cell = WriteOnlyCell(sheet, value=item.value)
            if item.number_format not in styles:
                cell.number_format = item.number_format
                styles[item.number_format] = copy(cell._style)
            cell._style = copy(styles[item.number_format])
            return cell

        for row in rows:
            sheet.append([(formatted(v) if with_formats else v.value) if type(v) is Formatted else v for v in row])
        workbook.save(target)

    # Five rounds, each timing the renderer and the floor back to back; the figure is the median of the
    # rounds' ratios. Single runs of the same code vary by a third on this shared machine, and a
    # ratio taken within one round is spared most of that drift.
    rounds = [(timed(ours), timed(lambda: floor(True)), timed(lambda: floor(False))) for _ in range(5)]
    say(f"{prefix}_rounds", [(round(r, 2), round(f, 2)) for r, f, _ in rounds])
    say(f"{prefix}_rows", len(rows) - 2)
    say(f"{prefix}_seconds", round(median(r for r, _, _ in rounds), 2))
    say(f"{prefix}_bare_writer_seconds", round(median(f for _, f, _ in rounds), 2))
    say(f"{prefix}_time_ratio", round(median(r / f for r, f, _ in rounds), 2))
    # The same floor without the number formats, for comparison with runs before formats were counted.
    say(f"{prefix}_bare_writer_plain_values_seconds", round(median(p for _, _, p in rounds), 2))
    say(f"{prefix}_time_ratio_vs_plain_values", round(median(r / p for r, _, p in rounds), 2))

    def peak(subset) -> int:
        """The reading process's peak plus the writing child's (both traced by tracemalloc)."""
        tracemalloc.start()
        with target.open("wb") as out:
            render(subset, out)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top + (streamed.last_child_peak or 0)

    # Like against like: both sizes written by the child process (a small sheet is otherwise written
    # in line, which would compare two different ways of writing).
    os.environ[streamed.TRACE_ENV], in_line = "1", streamed.IN_LINE_MAX_ROWS
    streamed.IN_LINE_MAX_ROWS = 0
    small_ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:SMALL])
    small = peak(queryset.filter(pk__in=small_ids))
    large = peak(queryset)
    streamed.IN_LINE_MAX_ROWS = in_line
    del os.environ[streamed.TRACE_ENV]
    say(f"{prefix}_peak_mib_{SMALL}", round(small / 2**20, 1))
    say(f"{prefix}_peak_mib_{queryset.count()}", round(large / 2**20, 1))
    say(f"{prefix}_memory_ratio", round(large / small, 2))
    scratch.cleanup()


def province_figures(call, admin) -> None:
    streamed_figures(
        "province_summary",
        "申报汇总",
        lambda qs, out: province_summary(call, qs, Masker(admin), out, lambda p: None),
        visible_applications(admin).filter(call=call),
    )


def project_dataset(call) -> Call:
    """20,000 projects in the big call and 200 in a small one of their own (for the list-page ratio)."""
    from budgets.scale import seed_projects

    seed_projects(call, SCALE)
    small, _ = Call.objects.get_or_create(
        document_number="规模基准〔2026〕200号",
        defaults={
            "programme": call.programme,
            "organisation": call.organisation,
            "title": "规模基准（200个项目）",
            "issuing_authority": call.issuing_authority,
            "opens_at": call.opens_at,
            "is_published": True,
            "review_chain": call.review_chain,
        },
    )
    seed_projects(small, SMALL)
    from django.db import connection  # fresh statistics after the bulk inserts

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return small


def project_figures(call, admin) -> None:
    from budgets.documents import execution_summary
    from portal.projects.selectors import visible_projects

    small = project_dataset(call)
    streamed_figures(
        "budget_execution",
        "经费执行",
        lambda qs, out: execution_summary(call, qs, Masker(admin), out, lambda p: None),
        visible_projects(admin).filter(call=call),
    )
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)

    def page_median(call_pk: int) -> tuple[float, int]:
        client.get(f"/projects/?call={call_pk}")  # warm
        times = []
        for _ in range(11):
            started = time.perf_counter()
            assert client.get(f"/projects/?call={call_pk}").status_code == 200
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/projects/?call={call_pk}")
        return median(times), len(queries)

    at_small, q_small = page_median(small.pk)
    at_large, q_large = page_median(call.pk)
    say(f"project_list_median_ms_{SMALL}", round(at_small * 1000, 1))
    say(f"project_list_median_ms_{SCALE}", round(at_large * 1000, 1))
    say("project_list_queries", f"{q_small} / {q_large}")
    say("project_list_time_ratio", round(at_large / at_small, 2))


def pdf_figure(admin) -> None:
    from weasyprint import HTML

    from portal.reports.pdf import application_html, application_pdf, issue

    application = (
        Application.objects.filter(applicant__code="2450102003").first()
        or Application.objects.filter(version_count__gt=0).first()
    )
    version = application.versions.order_by("-number").first()
    application_pdf(application, admin)  # warm fonts and the key
    runs = 5
    started = time.perf_counter()
    for _ in range(runs):
        application_pdf(application, admin)
    full = (time.perf_counter() - started) / runs
    html = application_html(application, version, issue(application, version, admin))
    started = time.perf_counter()
    for _ in range(runs):
        HTML(string=html, base_url=str(ROOT)).write_pdf()
    bare = (time.perf_counter() - started) / runs
    say("form_pdf_seconds", round(full, 2))
    say("bare_weasyprint_seconds", round(bare, 2))
    say("form_pdf_time_ratio", round(full / bare, 2))


def throughput_figure(admin) -> None:
    if not os.environ.get("REDIS_URL") or not os.environ["DATABASE_URL"].startswith("postgres"):
        say("pdf_throughput_2v1", "skipped (needs REDIS_URL and a PostgreSQL DATABASE_URL)")
        return
    import uuid

    from portal.reports.models import ReportJob
    from portal.reports.tasks import render_report

    applications = list(Application.objects.filter(version_count__gt=0).order_by("pk")[:PDFS])

    def run(workers: int) -> float:
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        jobs = [
            ReportJob.objects.create(
                kind="application_pdf",
                params={"application": a.pk},
                request_key=f"bench-{queue}-{a.pk}",
                requested_by=admin,
                title="bench",
            )
            for a in applications
        ]
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=prefork",
                f"--concurrency={workers}",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)  # the worker is up before the clock starts
        started = time.perf_counter()
        for job in jobs:
            render_report.apply_async((job.pk,), queue=queue)
        ids = [j.pk for j in jobs]
        while ReportJob.objects.filter(pk__in=ids).exclude(status__in=["done", "failed"]).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        worker.terminate()
        worker.wait(timeout=60)
        return elapsed

    one, two = run(1), run(2)
    say("pdfs", len(applications))
    say("pdfs_seconds_1_worker", round(one, 1))
    say("pdfs_seconds_2_workers", round(two, 1))
    say("pdf_throughput_2v1", round(one / two, 2))


def small_database_url() -> str:
    """The 200-application database beside the 20,000 one: a file on SQLite, a sibling database on
    PostgreSQL (made here when missing; the owner role may create databases)."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        return f"sqlite:///{ROOT / 'var' / 'bench-200.sqlite3'}"
    from urllib.parse import urlparse, urlunparse

    import psycopg2

    parts = urlparse(url)
    name = f"{parts.path.lstrip('/')}_pages200"
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password or "",
        host=parts.hostname,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunparse(parts._replace(path=f"/{name}"))


def page_figures() -> None:
    """The pages are measured in alternating runs (small, large, small, large …) and the ratio is the
    median of the pairs' ratios: this machine's speed drifts over seconds, and a drift between one
    run of each would show as a ratio of its own."""
    import json
    from statistics import median

    def run(url: str, size: int) -> dict:
        env = {**os.environ, "DATABASE_URL": url, "BENCH_APPLICATIONS": str(size)}
        out = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_pages.py")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    large_url, small_url = os.environ["DATABASE_URL"], small_database_url()
    pairs = [(run(small_url, SMALL), run(large_url, SCALE)) for _ in range(PAGE_PAIRS)]
    small, large = pairs[0]
    say("page_applications", f"{small['applications']} / {large['applications']}")
    for name in large:
        if name == "applications":
            continue
        t_small = median(s[name][0] for s, _ in pairs)
        t_large = median(big[name][0] for _, big in pairs)
        say(f"page_{name}_median_ms", f"{round(t_small * 1000, 1)} / {round(t_large * 1000, 1)}")
        say(f"page_{name}_queries", f"{small[name][1]} / {large[name][1]}")
        say(f"page_{name}_scale_ratio", round(median(big[name][0] / s[name][0] for s, big in pairs), 2))


if __name__ == "__main__":
    call, admin = dataset()
    if os.environ.get("BENCH_ONLY") == "pages":
        page_figures()
        sys.exit(0)
    province_figures(call, admin)
    project_figures(call, admin)
    page_figures()
    pdf_figure(admin)
    throughput_figure(admin)
