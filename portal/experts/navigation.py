"""Menu entries and audit labels of expert review; the review chain's gate at the expert level."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register
from portal.experts.selectors import leader_may_sign
from portal.programmes.choices import ReviewLevel
from portal.review.chain import register_gate

register(NavEntry("专家评审", "experts:panel_list", "experts.manage", order=27))
register(NavEntry("评审任务", "experts:task_list", "experts.score", order=15))

# Only the leader of the panel that reviewed an application signs its 专家组评审意见, after the close.
register_gate(ReviewLevel.EXPERT, leader_may_sign)

register_actions(
    {
        "experts.expert.register": "登记专家",
        "experts.expert.update": "修改专家信息",
        "experts.panel.create": "建立专家组",
        "experts.panel.update": "修改专家组",
        "experts.panel.close": "结束专家评审",
        "experts.rubric.save": "保存评分表",
        "experts.assign": "分配评审任务",
        "experts.conflict": "专家申请回避",
        "experts.score.submit": "提交评分",
        "experts.score.change": "修改已提交的评分",
        "experts.list.order": "按专家组排名排列名单",
        "experts.attachment.download": "专家查看附件",
    }
)
