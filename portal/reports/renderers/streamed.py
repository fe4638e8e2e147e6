"""One large sheet written by a process of its own. A summary of 20,000 rows spends most of its time
in openpyxl building and serialising cells — pure Python, holding the interpreter lock — and the rest
reading and shaping rows from the database. In one process the two take turns; with the writing in a
child process (xlsx_child.py) they run side by side on two cores, and the export takes about as long
as openpyxl alone writing the same rows.

The parent sends the sheet's description, then batches of plain rows (str, int, float, datetime,
None; the description names the number format of some columns) through a pipe; the child writes
them with the same SpecWriter as the in-line path and saves to a temporary file, which the parent
copies to its output. The pipe's buffer bounds what is in flight, so memory stays flat on both sides.
Small sheets are written in line: starting a process costs more than it saves."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from portal.reports.renderers.excel import SpecWriter
from portal.reports.renderers.xlsx_child import TRACE_ENV  # noqa: F401 (the benchmark sets it through this module)

BATCH = 100
# Sheets with more rows than this are written by the child (set to 0 in tests to exercise it).
IN_LINE_MAX_ROWS = int(os.environ.get("PORTAL_EXCEL_IN_LINE_MAX_ROWS", "5000"))
CHILD = str(Path(__file__).with_name("xlsx_child.py"))
# For the benchmark: the child's own peak memory (traced when TRACE_ENV is set).
last_child_peak: int | None = None


@dataclass
class SheetSpec:
    name: str
    widths: list[float]
    caption: str  # the title row, merged across the columns
    head: list[str]
    freeze: str | None = None
    repeat_rows: str | None = None
    auto_filter: str | None = None
    number_formats: dict[int, str] = field(default_factory=dict)  # column index (0-based) → format


class _Child:
    """The sheet written by a child process; rows go down a pipe in batches."""

    def __init__(self, spec: SheetSpec, out) -> None:
        self.out = out
        self.folder = tempfile.TemporaryDirectory(prefix="portal-xlsx-")
        self.path = os.path.join(self.folder.name, "sheet.xlsx")
        self.process = subprocess.Popen(
            [sys.executable, CHILD, self.path], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.batch: list[list] = []
        self._send(asdict(spec))

    def _send(self, message) -> None:
        try:
            pickle.dump(message, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            self._failed()

    def _failed(self, report: str | None = None):
        self.process.kill()
        if report is None:
            report = self.process.stderr.read().decode(errors="replace")
        self.process.wait()
        self.folder.cleanup()
        lines = report.strip().splitlines()
        raise RuntimeError(f"Excel 写入进程异常退出：{lines[-1] if lines else self.process.returncode}")

    def append(self, values: list) -> None:
        self.batch.append(values)
        if len(self.batch) >= BATCH:
            self._send(self.batch)
            self.batch = []

    def close(self) -> None:
        global last_child_peak
        if self.batch:
            self._send(self.batch)
        self._send(None)
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            self._failed()
        report = self.process.stderr.read().decode(errors="replace")
        if self.process.wait() != 0:
            self._failed(report)
        peaks = [line for line in report.splitlines() if line.startswith("peak=")]
        last_child_peak = int(peaks[-1][5:]) if peaks else None
        with open(self.path, "rb") as written:
            shutil.copyfileobj(written, self.out, 1 << 16)  # a small buffer: memory stays flat
        self.folder.cleanup()

    def abort(self) -> None:
        self.process.kill()
        self.process.wait()
        self.folder.cleanup()


@contextmanager
def sheet_writer(spec: SheetSpec, out, *, rows: int):
    """A sink with .append(values) for one sheet of about `rows` rows; saved to `out` on leaving."""
    sink = _Child(spec, out) if rows > IN_LINE_MAX_ROWS else SpecWriter(asdict(spec), out)
    try:
        yield sink
    except BaseException:
        if isinstance(sink, _Child):
            sink.abort()
        raise
    sink.close()
