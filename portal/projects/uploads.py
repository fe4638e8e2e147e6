"""Files a project files with its 实施方案 or a progress report: checked by content (files.sniff, the
same checks as application attachments), bounded in number and size, stored outside the web root."""

from __future__ import annotations

from portal.core import files
from portal.projects.models import ProjectFile

FILE_MAX_MB = 20
FILES_MAX = 10


def checked(uploads) -> tuple[list[tuple[str, bytes, str]], list[str]]:
    """(files that pass as (name, data, content type), a refusal per file that does not)."""
    passed, refusals = [], []
    if len(uploads) > FILES_MAX:
        return [], [f"附件最多 {FILES_MAX} 个。"]
    for name, data in uploads:
        name = files.clean_name(name)
        try:
            if not data:
                raise files.FileRefused(f"“{name}”是空文件。")
            if len(data) > FILE_MAX_MB * 1024 * 1024:
                raise files.FileRefused(f"“{name}”超过 {FILE_MAX_MB} MB。")
            kind = files.sniff(data, name)
        except files.FileRefused as refusal:
            refusals.append(str(refusal))
            continue
        passed.append((name, data, kind.content_type))
    return passed, refusals


def store(passed, **owner) -> list[ProjectFile]:
    """Stores checked files for their owner (plan= or report=); call inside the owner's transaction."""
    made = []
    for name, data, content_type in passed:
        stored, digest = files.store(data)
        made.append(
            ProjectFile.objects.create(
                original_name=name,
                stored_name=stored,
                content_type=content_type,
                size=len(data),
                sha256=digest,
                **owner,
            )
        )
    return made
