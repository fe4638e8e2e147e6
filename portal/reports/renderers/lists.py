"""The city's 推荐汇总表 (附件3) and 联系人信息表 (附件4), laid out as in the seed."""

from __future__ import annotations

from portal.reports.renderers.excel import CENTRE, Sheet, workbook
from portal.review import summary as review_summary


def recommendation_summary(lst, contact_user, masker, out, progress) -> None:
    data = review_summary.build(lst, contact_user)
    wb = workbook()
    sheet = Sheet(wb, "推荐汇总表", [8, 8, 28, 12, 16, 16, 16], freeze="A2", repeat_rows="1:1")
    sheet.title("基础教育信息化融合创新实验区、实验校推荐汇总表", 7)
    c = data.contact
    sheet.merge(1, 2, rows=2)
    sheet.merge(3, 3, rows=2)
    sheet.append(
        [
            sheet.cell("市级教育行政部门(公章)", align=CENTRE),
            sheet.cell(None),
            sheet.cell(data.organisation),
            sheet.cell("联系人", align=CENTRE),
            sheet.cell(c["name"]),
            sheet.cell("手机号码", align=CENTRE),
            sheet.cell(masker.phone(c["mobile"])),
        ]
    )
    sheet.append(
        [
            sheet.cell(None),
            sheet.cell(None),
            sheet.cell(None),
            sheet.cell("职  务", align=CENTRE),
            sheet.cell(c["title"]),
            sheet.cell("电子邮箱", align=CENTRE),
            sheet.cell(masker.email(c["email"])),
        ]
    )
    for label, name_label, head_label, rows in (
        ("推荐实验区", "区域名称", "教育行政部门负责人信息", data.zones),
        ("推荐实验校", "学校名称", "学校负责人信息", data.schools),
    ):
        sheet.merge(1, 1, rows=len(rows) + 2)
        sheet.merge(2, 2, rows=2)
        sheet.merge(3, 3, rows=2)
        sheet.merge(4, 7)
        sheet.head([label, "序号", name_label, head_label, None, None, None])
        sheet.head([None, None, None, "姓  名", "职务", "手机号码", "办公电话"])
        for row in rows:
            sheet.append(
                [
                    sheet.cell(None),
                    sheet.cell(row["rank"], align=CENTRE),
                    sheet.cell(row["name"]),
                    sheet.cell(row["head_name"]),
                    sheet.cell(row["head_title"]),
                    sheet.cell(masker.phone(row["head_mobile"])),
                    sheet.cell(masker.phone(row["head_phone"])),
                ]
            )
    progress(90)
    wb.save(out)


def contact_table(lst, contact_user, masker, out, progress) -> None:
    data = review_summary.build(lst, contact_user)
    wb = workbook()
    sheet = Sheet(wb, "联系人信息表", [8, 14, 34, 20, 16], freeze="A3", repeat_rows="1:2")
    sheet.title("联系人信息表", 5)
    sheet.head(["序号", "姓名", "单位", "职务", "手机号码"])
    sheet.ws.auto_filter.ref = f"A2:E{len(data.contacts) + 2}"
    for c in data.contacts:
        sheet.append(
            [
                sheet.cell(c["number"], align=CENTRE),
                sheet.cell(c["name"]),
                sheet.cell(c["unit"]),
                sheet.cell(c["title"]),
                sheet.cell(masker.phone(c["mobile"])),
            ]
        )
    progress(90)
    wb.save(out)
