from django.db.models import Q, QuerySet
from django.http import Http404

from portal.audit.models import AuditEntry
from portal.orgs.selectors import scope_paths


def visible_entries(user) -> QuerySet[AuditEntry]:
    """An audit administrator reads the entries of actors in its subtree; a ministry-level one
    also reads the entries with no acting organisation (failed logins of unknown names, the
    system's own loaders)."""
    if not user.has_perm("audit.view_auditentry"):
        return AuditEntry.objects.none()
    paths = scope_paths(user)
    if not paths:
        return AuditEntry.objects.none()
    condition = Q(org_path__under=paths[0])
    if user.organisation.parent_id is None:
        condition |= Q(org_path="")
    return AuditEntry.objects.filter(condition)


def get_visible_entry(user, *, pk: int) -> AuditEntry:
    try:
        return visible_entries(user).get(pk=pk)
    except AuditEntry.DoesNotExist:
        raise Http404("审计记录不存在或不在您的范围内。")
