"""Excel helpers on openpyxl's write-only workbook (streamed: memory does not grow with the rows)."""
from __future__ import annotations

from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEAD_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


class Sheet:
    """A write-only sheet: widths, merges and freeze set before the first row, as openpyxl requires."""

    def __init__(self, workbook: Workbook, title: str, widths: list[float], *, freeze: str | None = None):
        self.ws = workbook.create_sheet(title)
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        self.row = 0
        self._number_styles: dict = {}

    def merge(self, first_col: int, last_col: int, rows: int = 1) -> None:
        """Merges the next `rows` rows from first_col to last_col (1-based)."""
        start = self.row + 1
        self.ws.merged_cells.add(f"{get_column_letter(first_col)}{start}:{get_column_letter(last_col)}{start + rows - 1}")

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
        self.append([self.cell(v, font=HEAD_FONT, align=CENTRE, fill=HEAD_FILL) if v is not None else
                     self.cell(None, fill=HEAD_FILL) for v in values])

    def append(self, cells: list) -> None:
        self.ws.append(cells)
        self.row += 1


def workbook() -> Workbook:
    wb = Workbook(write_only=True)
    return wb
