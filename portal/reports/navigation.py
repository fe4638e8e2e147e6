"""Menu entry and audit labels of reports."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("下载中心", "reports:centre", "reports.use_centre", order=90))

register_actions(
    {
        "reports.request": "申请生成报表",
        "reports.export": "导出报表",
        "reports.download": "下载报表",
        "reports.failed": "报表生成失败",
    }
)
