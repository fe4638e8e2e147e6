from rest_framework.permissions import BasePermission


class HasRulePermission(BasePermission):
    """Names a django-rules permission on the view (`required_permission`), so the API and the
    pages share one permission system."""

    message = "您没有执行此操作的权限。"

    def has_permission(self, request, view):
        permission = getattr(view, "required_permission", None)
        return bool(
            request.user and request.user.is_authenticated and (permission is None or request.user.has_perm(permission))
        )
