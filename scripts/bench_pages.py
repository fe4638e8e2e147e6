"""Signed-in pages on one database of BENCH_APPLICATIONS applications: for the province and a city,
the median time of the dashboard, the application list, the review queue and the lists page, and
their query counts. Prints one JSON line; scripts/bench.py runs it on the 20,000 and the 200 databases
and prints the ratios (page_<name>_scale_ratio).

    DATABASE_URL=… BENCH_APPLICATIONS=200 python scripts/bench_pages.py"""

from __future__ import annotations

import gc
import io
import json
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
SIZE = int(os.environ.get("BENCH_APPLICATIONS", "20000"))
PAGES = {"dashboard": "/", "applications": "/applications/", "queue": "/review/queue/", "lists": "/review/lists/"}
READERS = {"province": "gx_province", "city": "gx_city"}
CITY = "450100"  # gx_city's 南宁
FULL_PAGES_AT = 2000  # from this size on, a province-wide set gives 南宁 more than a page
ROUNDS = 25
# The first requests of a process run slower (CPython specialises code as it goes; this machine's
# CPU is shared): a page's first fifteen requests are not counted, and the collector's pauses are
# kept out of the figures (gc.freeze after warming), or the same page measures 18 ms one run and
# 35 ms the next.
WARMUP = 15

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.orgs.models import User  # noqa: E402
from portal.programmes.models import Application, Call  # noqa: E402


def dataset() -> None:
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="gx_province").exists():
        call_command("load_demo", stdout=io.StringIO())
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    missing = SIZE - Application.objects.filter(call=call, applicant__code__startswith="S").count()
    if missing > 0:
        # The small set lies within the city (南宁), so that the city's pages, like the province's, show a
        # full page of rows at both sizes: otherwise the ratio measures 50 rows drawn against 20 (the
        # city holds a tenth of a province-wide set), not what 100 times the data costs a page.
        within = ["--within", CITY] if SIZE < FULL_PAGES_AT else []
        call_command(
            "seed_scale", "--schools", str(SIZE), "--applications", str(missing), *within, stdout=io.StringIO()
        )
    # Fresh statistics after the bulk inserts and after a migration's new index: SQLite plans with stale
    # statistics that lack an index as if it were useless (the list went from 1 ms to 72 ms).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, url: str) -> tuple[float, int]:
    assert client.get(url).status_code == 200, url
    for _ in range(WARMUP):
        client.get(url)
    gc.collect()
    gc.freeze()
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return median(times), len(queries)


if __name__ == "__main__":
    dataset()
    out = {}
    for reader, username in READERS.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        for page, url in PAGES.items():
            out[f"{page}_{reader}"] = measure(client, url)
    out["applications"] = Application.objects.count()
    print(json.dumps(out))
