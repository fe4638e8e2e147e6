"""Menu entries and audit labels of calls and applications."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("申报批次", "programmes:call_list", "programmes.view_call", order=10))
register(NavEntry("申请", "programmes:application_list", "programmes.view_application", order=20))

register_actions(
    {
        "programmes.call.create": "新建申报批次",
        "programmes.call.update": "修改申报批次",
        "programmes.application.create": "新建申请草稿",
        "programmes.application.save": "保存申请草稿",
        "programmes.application.submit": "提交申请",
        "programmes.application.withdraw": "撤回申请",
        "programmes.attachment.add": "上传附件",
        "programmes.attachment.remove": "删除附件",
        "programmes.attachment.download": "下载附件",
    }
)
