"""The entry point used by the UI, the management command and the demo loaders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from portal.audit.services import log_action
from portal.orgs.importing.parse import ImportFileError, ImportTables, read_import_file
from portal.orgs.importing.validate import RowError, plan_import
from portal.orgs.importing.write import ImportResult, apply_plan


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    result: ImportResult | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def actor_scope(actor) -> str | None:
    """The subtree an actor may import into; None (everything) for the system itself."""
    if actor is None:
        return None
    if not actor.has_perm("orgs.import_organisations") or actor.organisation is None:
        raise PermissionDenied("您没有批量导入机构与账户的权限。")
    return actor.organisation.scope_path


def import_tables(
    tables: ImportTables, *, actor, source: str, dry_run: bool = False, force_password_change: bool = True
) -> ImportReport:
    """Check all rows; write them only if every row is valid (nothing half-imported)."""
    scope = actor_scope(actor)
    plan = plan_import(tables, scope_path=scope, actor_roles=actor.role_set if actor is not None else frozenset())
    report = ImportReport(rows=len(tables.orgs) + len(tables.users), errors=plan.errors, dry_run=dry_run)
    if plan.errors:
        log_action("orgs.import.rejected", actor=actor, data={"source": source, "errors": len(plan.errors)})
        return report
    if not dry_run:
        report.result = apply_plan(plan, actor=actor, source=source, force_password_change=force_password_change)
    return report


def import_file(*, actor, name: str, data: bytes, dry_run: bool = False) -> ImportReport:
    digest = hashlib.sha256(data).hexdigest()
    try:
        tables = read_import_file(name, data)
    except ImportFileError as exc:
        log_action("orgs.import.rejected", actor=actor, data={"source": name, "sha256": digest, "reason": str(exc)})
        return ImportReport(errors=[RowError("", 0, "", str(exc))])
    if not tables.orgs and not tables.users:
        return ImportReport(errors=[RowError("", 0, "", "文件中没有数据行。")])
    return import_tables(tables, actor=actor, source=f"{name} sha256:{digest[:16]}", dry_run=dry_run)
