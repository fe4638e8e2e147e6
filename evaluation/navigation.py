"""Menu entries and audit labels of the evaluation cycle."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("评估验收", "evaluation:rounds", "evaluation.view_rounds", order=29))
register(NavEntry("试点月报", "evaluation:monthly", "projects.export_projects", order=30))
register(NavEntry("评估任务", "evaluation:tasks", "evaluation.score", order=16))

register_actions(
    {
        "evaluation.round.open": "开启评估批次",
        "evaluation.round.publish": "公布评估结果",
        "evaluation.standards.download": "下载评估标准文件",
        "evaluation.selfeval.submit": "提交自评报告",
        "evaluation.selfeval.opinion": "签署自评报告意见",
        "evaluation.selfeval.return": "退回自评报告",
        "evaluation.selfeval.attach": "上传自评报告附件",
        "evaluation.selfeval.detach": "删除自评报告附件",
        "evaluation.selfeval.download": "下载自评报告附件",
        "evaluation.assign": "分配评估任务",
        "evaluation.conflict": "评估专家申请回避",
        "evaluation.score.submit": "提交评估评分",
        "evaluation.score.change": "修改评估评分",
        "evaluation.panel.sign": "签署专家组评估意见",
        "evaluation.decide": "作出评估结论",
        "evaluation.decide.change": "变更评估结论",
        "evaluation.rectification.file": "提交整改报告",
        "evaluation.rectification.review": "复核整改报告",
        "evaluation.rectification.escalate": "整改逾期上报",
        "evaluation.acceptance.apply": "申请验收",
        "evaluation.extension.request": "申请延期",
        "evaluation.extension.recommend": "推荐延期申请",
        "evaluation.extension.decide": "决定延期申请",
        "evaluation.monthly.file": "报送试点月报",
        "evaluation.showcase.submit": "提交示范推广案例",
        "evaluation.showcase.select": "遴选示范推广案例",
        "projects.status": "变更项目状态",
        "projects.extend": "延长实施周期",
    }
)
