"""Menu entry and audit labels of the forms' definitions."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

# For those who set calls up: which form a call uses is their choice.
register(NavEntry("表单定义", "formspec:list", "programmes.manage_call", order=12))

register_actions({"formspec.definition.export": "导出表单定义", "formspec.definition.publish": "发布表单定义"})
