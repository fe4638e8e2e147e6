"""Excel helpers on openpyxl's write-only workbook (streamed: memory does not grow with the rows)."""

from __future__ import annotations

from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEAD_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


# A text beginning with one of these is a formula to a spreadsheet (OWASP, "CSV injection"): openpyxl
# turns "=…" into a live formula, and Excel revives "+…", "-…", "@…" as one when the cell is edited.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_text(ws, value: str, cell: Cell | None = None) -> Cell:
    """The cell holds `value` as a string, never a formula, and carries Excel's quote prefix (the
    hidden apostrophe Excel itself sets for typed text like '=1), so editing it keeps it text.
    The text is unchanged: what the user wrote is what the reader sees."""
    cell = cell if cell is not None else WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def neutralised(ws, item):
    """A row item made safe: risky text (raw or in a cell) as text; numbers and the rest untouched."""
    if type(item) is str:
        return as_text(ws, item) if item.startswith(FORMULA_TRIGGERS) else item
    if isinstance(item, Cell) and type(item.value) is str and item.value.startswith(FORMULA_TRIGGERS):
        return as_text(ws, item.value, item)
    return item


# Column widths (in Excel's character units) that still print legibly on A4 portrait at fit-to-width;
# wider tables turn to landscape.
PORTRAIT_MAX_WIDTH = 110


def print_as_a4(ws, widths: list[float], repeat_rows: str | None) -> None:
    """A4, the orientation the width needs, one page wide (as long as it takes), modest margins,
    centred, and the title and head rows repeated on every page: a sheet prints as the paper table."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > PORTRAIT_MAX_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if repeat_rows:
        ws.print_title_rows = repeat_rows


class Sheet:
    """A write-only sheet: widths, merges, freeze and print settings set before the first row, as
    openpyxl requires. `repeat_rows` ("1:2") are printed at the top of every page."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        widths: list[float],
        *,
        freeze: str | None = None,
        repeat_rows: str | None = None,
    ):
        self.ws = workbook.create_sheet(title)
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        print_as_a4(self.ws, widths, repeat_rows)
        self.row = 0
        self._number_styles: dict = {}

    def merge(self, first_col: int, last_col: int, rows: int = 1) -> None:
        """Merges the next `rows` rows from first_col to last_col (1-based)."""
        start = self.row + 1
        self.ws.merged_cells.add(
            f"{get_column_letter(first_col)}{start}:{get_column_letter(last_col)}{start + rows - 1}"
        )

    def cell(self, value, *, font=BODY_FONT, align=LEFT, border=True, fill=None, number_format=None):
        cell = WriteOnlyCell(self.ws, value=value)
        cell.font, cell.alignment = font, align
        if border:
            cell.border = BOX
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        return cell

    def number(self, value, number_format: str):
        """A body cell carrying only a number format: cheap, unlike fonts and borders, whose hashing
        dominates a large sheet. Big tables style their head and leave the body plain."""
        if value is None:
            return None
        cell = WriteOnlyCell(self.ws, value=value)
        style = self._number_styles.get(number_format)
        if style is None:
            cell.number_format = number_format
            self._number_styles[number_format] = copy(cell._style)
        else:
            # Setting number_format looks the format up and rebuilds the style each time; copying the
            # style array built for the first such cell gives the same result at a fraction of the cost.
            cell._style = copy(style)
        return cell

    def title(self, text: str, columns: int) -> None:
        self.merge(1, columns)
        self.append([self.cell(text, font=TITLE_FONT, align=CENTRE, border=False)])

    def head(self, values: list) -> None:
        self.append(
            [
                self.cell(v, font=HEAD_FONT, align=CENTRE, fill=HEAD_FILL)
                if v is not None
                else self.cell(None, fill=HEAD_FILL)
                for v in values
            ]
        )

    def append(self, cells: list) -> None:
        # Every row of every export passes here: the one place text is kept from becoming a formula.
        self.ws.append([neutralised(self.ws, item) for item in cells])
        self.row += 1


def workbook() -> Workbook:
    wb = Workbook(write_only=True)
    return wb


class SpecWriter:
    """A sheet described as plain data (name, widths, caption, head, freeze, repeated rows, filter, and
    the number format of some columns) and written row by row from plain values. Plain data on both
    sides, so that the writing can run in another process (see streamed.py)."""

    def __init__(self, spec: dict, out) -> None:
        self.out = out
        self.wb = workbook()
        self.sheet = Sheet(
            self.wb, spec["name"], spec["widths"], freeze=spec.get("freeze"), repeat_rows=spec.get("repeat_rows")
        )
        self.sheet.title(spec["caption"], len(spec["head"]))
        self.sheet.head(spec["head"])
        if spec.get("auto_filter"):
            self.sheet.ws.auto_filter.ref = spec["auto_filter"]
        self.formats = [(int(column), fmt) for column, fmt in spec.get("number_formats", {}).items()]

    def append(self, values: list) -> None:
        for column, fmt in self.formats:
            value = values[column]
            # Numbers get the column's format; a blank or a stray text stays as it is.
            if type(value) in (int, float):
                values[column] = self.sheet.number(value, fmt)
        self.sheet.append(values)

    def close(self) -> None:
        self.wb.save(self.out)
