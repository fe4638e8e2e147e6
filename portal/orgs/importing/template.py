"""The downloadable import template: both sheets with their headers and one example row each."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from portal.orgs.importing.columns import ORG_COLUMNS, ORG_REQUIRED, ORG_SHEET, USER_COLUMNS, USER_REQUIRED, USER_SHEET
from portal.reports.renderers.excel import print_as_a4

EXAMPLES = {
    ORG_SHEET: [
        "2450102009",
        "南宁市兴宁区示例小学",
        "学校",
        "450102",
        "450102",
        "小学",
        "公办",
        "南宁市兴宁区示例路1号",
        "530012",
    ],
    USER_SHEET: [
        "xn_sl_xx",
        "李示例",
        "2450102009",
        "学校申报人",
        "教务主任",
        "13877100000",
        "0771-5800000",
        "example@school.cn",
        "Init@2026x",
    ],
}


def template_workbook() -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, required in ((ORG_SHEET, ORG_COLUMNS, ORG_REQUIRED), (USER_SHEET, USER_COLUMNS, USER_REQUIRED)):
        sheet = workbook.create_sheet(title)
        sheet.append([f"*{h}" if h in required else h for h in columns])
        sheet.append(EXAMPLES[title])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for index in range(1, len(columns) + 1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 18
        sheet.freeze_panes = "A2"
        print_as_a4(sheet, [18] * len(columns), "1:1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
