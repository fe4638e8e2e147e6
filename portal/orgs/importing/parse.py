"""Reading an import file (xlsx or csv) into rows of {field: text, "_row": n}."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from portal.core.filechecks import Refused, check_zip
from portal.orgs.importing.columns import ORG_COLUMNS, ORG_SHEET, USER_COLUMNS, USER_SHEET


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class ImportTables:
    orgs: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 450102 as 450102.0
    return str(value).strip()


def _rows(header: list[str], body, columns: dict[str, str], first_row: int) -> list[dict]:
    header = [_cell(h).lstrip("*").strip() for h in header]
    unknown = [h for h in header if h and h not in columns]
    if unknown:
        raise ImportFileError(f"无法识别的列：{'、'.join(unknown)}。请使用平台提供的导入模板。")
    rows = []
    for offset, values in enumerate(body):
        values = [_cell(v) for v in values]
        if not any(values):
            continue
        row = {columns[h]: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}
        row["_row"] = first_row + offset
        rows.append(row)
    return rows


def _kind_of(header: list[str]) -> str | None:
    names = {_cell(h).lstrip("*").strip() for h in header}
    if "用户名" in names:
        return "users"
    if "机构代码" in names:
        return "orgs"
    return None


def read_xlsx(data: bytes) -> ImportTables:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError("无法读取 Excel 文件，请确认文件为 .xlsx 格式且未损坏。") from exc
    tables = ImportTables()
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            continue
        kind = {ORG_SHEET: "orgs", USER_SHEET: "users"}.get(sheet.title) or _kind_of(list(header))
        if kind == "orgs":
            tables.orgs += _rows(list(header), rows, ORG_COLUMNS, 2)
        elif kind == "users":
            tables.users += _rows(list(header), rows, USER_COLUMNS, 2)
    workbook.close()
    return tables


def read_csv(data: bytes) -> ImportTables:
    # Excel in Chinese Windows saves CSV as GB18030; others send UTF-8 with or without BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GBK 编码。")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ImportFileError("文件为空。")
    kind = _kind_of(header)
    if kind is None:
        raise ImportFileError("CSV 文件首行须为列名，且包含“机构代码”或“用户名”列。")
    columns = ORG_COLUMNS if kind == "orgs" else USER_COLUMNS
    rows = _rows(header, reader, columns, 2)
    return ImportTables(orgs=rows) if kind == "orgs" else ImportTables(users=rows)


def read_import_file(name: str, data: bytes) -> ImportTables:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise ImportFileError("文件扩展名为 .xlsx，但内容不是 Excel 文件。")
        try:
            check_zip(data, name)  # openpyxl would unpack a bomb into memory
        except Refused as refusal:
            raise ImportFileError(str(refusal))
        return read_xlsx(data)
    if lowered.endswith(".csv"):
        return read_csv(data)
    raise ImportFileError("仅支持 .xlsx 或 .csv 文件。")
