"""Who may apply in a call: each refusal is a reason in Chinese, shown to the applicant as is."""

from __future__ import annotations

from django.utils import timezone

from portal.orgs.models import Organisation
from portal.programmes.choices import APPLICANT_ORG_KIND, ApplicantKind, Status
from portal.programmes.models import Application, Call


def applicant_kind_for(call: Call, organisation: Organisation) -> str | None:
    kinds = {f.applicant_kind for f in call.forms.all()}
    for kind, org_kind in APPLICANT_ORG_KIND.items():
        if kind in kinds and organisation.kind == org_kind:
            return kind
    return None


def refusals(
    call: Call, organisation: Organisation, *, now=None, check_existing: bool = True, ignore: Application | None = None
) -> list[str]:
    """Why `organisation` may not apply (or submit) in `call` now; empty when it may."""
    from portal.programmes.selectors import submission_deadline

    now = now or timezone.now()
    reasons = []
    if not call.is_published:
        reasons.append("该申报批次尚未发布。")
    if call.opens_at > now:
        reasons.append(f"该批次自 {timezone.localtime(call.opens_at):%Y年%m月%d日 %H:%M} 起开始申报。")
    due = submission_deadline(call)
    if due is not None and now > due:
        reasons.append(f"该批次申报已于 {timezone.localtime(due):%Y年%m月%d日 %H:%M} 截止。")
    if not organisation.path.startswith(call.organisation.path):
        reasons.append(f"本单位不在“{call.organisation.name}”组织的申报范围内。")
    if applicant_kind_for(call, organisation) is None:
        allowed = "、".join(ApplicantKind(f.applicant_kind).label for f in call.forms.all())
        reasons.append(f"本批次只接受以下单位申报：{allowed}。")
    if call.excluded_organisations.filter(pk=organisation.pk).exists():
        reasons.append(f"本单位不得申报本批次：{call.exclusion_note or '已承担同类项目。'}")
    earlier = (
        Application.objects.filter(applicant=organisation, status=Status.APPROVED, call__in=call.excluded_calls.all())
        .select_related("call")
        .first()
    )
    if earlier:
        reasons.append(f"本单位已在“{earlier.call.title}”中立项，不再申报本批次。")
    if check_existing:
        existing = Application.objects.filter(call=call, applicant=organisation)
        if ignore is not None:
            existing = existing.exclude(pk=ignore.pk)
        if existing.exists():
            reasons.append("本单位已在本批次建立申请，每个单位只能申报一份。")
    return reasons
