"""Menu entries and audit labels of the review chain."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("审核推荐", "review:queue", "review.review", order=25))
register(NavEntry("推荐名单", "review:list_index", "review.view_lists", order=26))

register_actions(
    {
        "review.recommend": "推荐",
        "review.return": "退回修改",
        "review.not_recommend": "不予推荐",
        "review.approve": "同意立项",
        "review.reject": "不同意立项",
        "review.unlist": "移出名单",
        "review.forward": "上报至上一级",
        "review.approved": "公布立项",
        "review.list.rank": "调整名单排序",
        "review.list.notice": "公示名单",
        "review.list.notice_offline": "登记线下公示",
        "review.objection.remove": "异议成立，移出名单",
        "review.list.send": "上报名单",
        "review.list.publish": "公布立项名单",
        "review.objection.lodge": "提出异议",
        "review.objection.handle": "处理异议",
        "review.seal.replace": "更换公章",
    }
)
