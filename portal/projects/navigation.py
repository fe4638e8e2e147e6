"""Menu entry and audit labels of projects, plans, money, schedule, indicators and reports."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("实验项目", "projects:list", "projects.view_project", order=25))

register_actions(
    {
        "budgets.plan.save": "保存用款方案",
        "budgets.plan.submit": "提交用款方案",
        "budgets.plan.approve": "批复用款方案",
        "budgets.plan.return": "退回用款方案",
        "budgets.adjustment.request": "申请预算调整",
        "budgets.adjustment.approve": "批准预算调整",
        "budgets.adjustment.refuse": "不予批准预算调整",
        "budgets.expenditure.record": "登记支出",
        "budgets.voucher.download": "下载支出凭证",
        "budgets.stage.add": "添加实施阶段",
        "budgets.milestone.add": "添加里程碑",
        "budgets.milestone.complete": "完成里程碑",
        "budgets.task.save": "保存工作任务",
        "budgets.task.complete": "记录任务完成情况",
        "budgets.task.remove": "删除工作任务",
        "budgets.stage.remove": "删除实施阶段",
        "budgets.milestone.remove": "删除里程碑",
        "evaluation.table.save": "保存绩效目标表",
        "evaluation.indicator.add": "添加绩效指标",
        "evaluation.indicator.actual": "记录指标实际值",
        "evaluation.indicator.verdict": "判定定性指标",
        "projects.implementation.file": "报备实施方案",
        "projects.implementation.acknowledge": "实施方案备案",
        "projects.implementation.return": "退回实施方案",
        "projects.file.download": "下载项目文件",
        "projects.report.file": "报送进展报告",
        "projects.report.read": "审阅进展报告",
        "projects.report.return": "退回进展报告",
        "projects.report.waive": "进展报告无需报送",
    }
)
