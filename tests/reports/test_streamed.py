"""Large sheets: written by a child process while the rows are read ahead in a thread. The file is the
same, cell for cell and format for format, as when written in line; failures surface as errors."""

import io
import threading
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.core.prefetch import read_ahead
from portal.orgs.choices import Role
from portal.reports.masking import Masker
from portal.reports.renderers import streamed
from portal.reports.renderers.province import province_summary
from tests.factories import make_user


def _cells(data: bytes):
    ws = load_workbook(io.BytesIO(data))["申报汇总"]
    return (
        [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()],
        (
            ws.freeze_panes,
            ws.print_title_rows,
            ws.auto_filter.ref,
            sorted(map(str, ws.merged_cells.ranges)),
            ws.page_setup.orientation,
            ws.column_dimensions["B"].width,
        ),
    )


def _summary(call, user, *, child: bool, monkeypatch) -> bytes:
    from portal.programmes.selectors import visible_applications

    monkeypatch.setattr(streamed, "IN_LINE_MAX_ROWS", 0 if child else 10**9)
    out = io.BytesIO()
    province_summary(call, visible_applications(user).filter(call=call), Masker(user), out, lambda p: None)
    return out.getvalue()


def test_the_child_writes_the_same_sheet_as_in_line(calls, tree, reviewers, submitted, monkeypatch):
    for org in (tree.school_a1, tree.school_a2, tree.school_c1):
        submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi)
    in_line = _cells(_summary(calls.guangxi, reviewers.province, child=False, monkeypatch=monkeypatch))
    child = _cells(_summary(calls.guangxi, reviewers.province, child=True, monkeypatch=monkeypatch))
    assert child == in_line
    rows, _ = child
    heads = [v for v, _ in rows[1]]
    money = heads.index("2020年投入经费（万元）")
    assert len(rows) == 5 and all(row[money][1] == "#,##0.00" and isinstance(row[money][0], float) for row in rows[2:])


def test_a_failing_child_is_an_error_and_leaves_no_file(monkeypatch, tmp_path):
    monkeypatch.setattr(streamed, "IN_LINE_MAX_ROWS", 0)
    monkeypatch.setattr(streamed, "CHILD", str(tmp_path / "missing_child.py"))
    monkeypatch.setattr(streamed.tempfile, "tempdir", str(tmp_path))
    spec = streamed.SheetSpec("表", [10], caption="标题", head=["列"])
    with pytest.raises(RuntimeError, match="Excel 写入进程异常退出"):
        with streamed.sheet_writer(spec, io.BytesIO(), rows=10) as sheet:
            for i in range(500):
                sheet.append([f"行{i}"])
    assert not list(tmp_path.glob("portal-xlsx-*"))


def test_a_refused_row_stops_the_child(monkeypatch, tmp_path):
    monkeypatch.setattr(streamed, "IN_LINE_MAX_ROWS", 0)
    monkeypatch.setattr(streamed.tempfile, "tempdir", str(tmp_path))
    spec = streamed.SheetSpec("表", [10, 10], caption="标题", head=["列", "时间"], number_formats={0: "0.00"})
    out = io.BytesIO()
    with pytest.raises(ValueError):
        with streamed.sheet_writer(spec, out, rows=10) as sheet:
            sheet.append([1.5, datetime(2026, 1, 2, 3, 4)])
            raise ValueError("a renderer's own error")
    assert out.getvalue() == b"" and not list(tmp_path.glob("portal-xlsx-*"))
    with streamed.sheet_writer(spec, out, rows=10) as sheet:
        sheet.append([1.5, datetime(2026, 1, 2, 3, 4)])
        sheet.append(["未填", None])
    ws = load_workbook(io.BytesIO(out.getvalue()))["表"]
    assert [(c.value, c.number_format) for c in ws[3]] == [
        (1.5, "0.00"),
        (datetime(2026, 1, 2, 3, 4), "yyyy-mm-dd h:mm:ss"),
    ]
    assert ws["A4"].value == "未填" and ws["A4"].number_format == "General"


def test_reading_ahead_keeps_order_and_hands_over_errors(transactional_db):
    assert list(read_ahead(iter(range(50)), depth=1)) == list(range(50))

    def failing():
        yield 1
        raise LookupError("读取失败")

    with pytest.raises(LookupError, match="读取失败"):
        list(read_ahead(failing()))
    started = threading.active_count()
    pages = read_ahead(iter(range(1000)), depth=1)
    assert next(pages) == 0
    pages.close()  # a consumer that stops early ends the reader
    assert threading.active_count() == started


def test_inside_a_transaction_pages_are_read_in_line(db):
    seen = []

    def pages():
        seen.append(threading.current_thread().name)
        yield 1

    assert list(read_ahead(pages())) == [1] and seen == [threading.main_thread().name]


def test_reading_ahead_on_its_own_connection_gives_the_same_summary(
    transactional_db, calls, tree, reviewers, submitted, monkeypatch
):
    """Outside a transaction (as a worker renders) the pages come from the reading thread's own
    connection; the sheet is the same as when read in line."""
    from portal.reports.renderers import province

    for org in (tree.school_a1, tree.school_b1):
        submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi)
    monkeypatch.setattr(province, "CHUNK", 1)  # several pages, read ahead one by one
    readers = []
    real = province._pages

    def watched(applications, figures):
        for page in real(applications, figures):
            readers.append(threading.current_thread().name)
            yield page

    monkeypatch.setattr(province, "_pages", watched)
    ahead = _cells(_summary(calls.guangxi, reviewers.province, child=True, monkeypatch=monkeypatch))
    assert readers == ["read-ahead"] * 2
    monkeypatch.setattr(province, "read_ahead", lambda pages, depth=2: pages)
    in_line = _cells(_summary(calls.guangxi, reviewers.province, child=False, monkeypatch=monkeypatch))
    assert readers[2:] == [threading.main_thread().name] * 2
    assert ahead == in_line and len(ahead[0]) == 4
