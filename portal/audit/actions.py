"""Chinese names of audit actions, shown in the audit log. Apps add theirs with register()."""

ACTION_LABELS: dict[str, str] = {
    "accounts.login.success": "登录成功",
    "accounts.login.failure": "登录失败",
    "accounts.login.locked": "账户锁定",
    "accounts.login.refused_locked": "锁定期间尝试登录",
    "accounts.logout": "退出登录",
    "accounts.session.idle_timeout": "空闲超时自动退出",
    "accounts.password.change": "修改密码",
    "accounts.token.issue": "签发 API 令牌",
    "orgs.organisation.create": "新建机构",
    "orgs.organisation.update": "修改机构",
    "orgs.user.create": "新建用户",
    "orgs.user.update": "修改用户",
    "orgs.user.unlock": "解除账户锁定",
    "orgs.user.reset_password": "重置密码",
    "orgs.user.deactivate": "停用账户",
    "orgs.user.reactivate": "恢复账户",
    "orgs.import.run": "批量导入",
    "orgs.import.rejected": "批量导入被拒绝",
    "orgs.export.organisations": "导出机构",
    "audit.export": "导出审计日志",
}


def register(actions: dict[str, str]) -> None:
    ACTION_LABELS.update(actions)


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
