"""What every write of a project's records needs: the permission check, the state check, the date
inside the project's cycle, and the audit of old → new values."""

from __future__ import annotations

from datetime import date

from django.forms.models import model_to_dict

from portal.audit.services import diff, log_action
from portal.core.exceptions import ServiceError


def require(actor, permission: str, project) -> None:
    if not actor.has_perm(permission, project):
        raise PermissionError(permission)
    if permission == "projects.edit_project":
        require_live(project)


def require_live(project) -> None:
    """A project removed by 动态调整 (撤销) neither spends nor reports nor files anything more: every
    write of the project's own records passes through here."""
    from portal.programmes.choices import ProjectStatus
    from portal.programmes.models import Project

    # Read from the database, not the object handed in: a page or a line loaded before the decision
    # still carries the old status.
    if Project.objects.filter(pk=project.pk, status=ProjectStatus.TERMINATED).exists():
        raise ServiceError(
            "该项目已被撤销（动态调整），不能再支出、报送或修改项目材料。",
            errors={"__all__": ["项目已撤销，剩余资金已冻结。"]},
        )


def in_cycle(project, day: date, field: str) -> None:
    if not project.starts_on <= day <= project.ends:
        raise ServiceError(
            f"日期须在项目实施周期内（{project.starts_on:%Y年%m月%d日}至{project.ends:%Y年%m月%d日}）。",
            errors={field: [f"日期须在项目实施周期内（{project.starts_on:%Y-%m-%d} 至 {project.ends:%Y-%m-%d}）。"]},
        )


def text(data: dict, field: str, label: str, errors: dict, *, required=True, limit: int | None = None) -> str:
    """A text field, stripped; a missing or overlong one puts its reason at the field in `errors`."""
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors[field] = [f"请填写{label}。"]
    elif limit and len(value) > limit:
        errors[field] = [f"{label}不能超过 {limit} 个字（现为 {len(value)} 个）。"]
    return value


def snapshot(obj, fields=None) -> dict:
    return model_to_dict(obj, fields=fields)


def audit_change(action: str, *, actor, obj, before: dict, after: dict | None = None, data: dict | None = None):
    after = snapshot(obj, list(before)) if after is None else after
    return log_action(action, actor=actor, obj=obj, changes=diff(before, after), data=data)
