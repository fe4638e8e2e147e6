"""Demo applications, so that every reviewer has something in front of them, read from
`fixtures/applications/demo-applications.json` (per call 文号: the school, the form's own field values
and, where the county has already recommended it, who and with which opinion). In the Guangxi call one
school waits at its county (gx_county), one has been recommended and waits at the city (gx_city), one
waits at another county (gx_county2); a Dongguan school in the Guangdong call waits at its city (no
county between). Idempotent."""

from __future__ import annotations

from django.db import transaction

from portal.core import fixtures
from portal.core.samples import blank_pdf
from portal.formspec.realistic import realistic_post
from portal.orgs.choices import Role
from portal.orgs.models import Organisation, RoleGrant, User
from portal.programmes.models import Application
from portal.programmes.services.applications import save_draft, start_application, submit_application
from portal.programmes.services.attachments import add_attachment
from portal.review.models import ListEntry
from portal.review.services import lists
from portal.review.services.decisions import Decision, decide

EVIDENCE = blank_pdf()
APPLICATIONS = "applications/demo-applications.json"


def _secretary(org: Organisation) -> User:
    """The school's own applicant account (no password: it exists so that the forms were filled by someone)."""
    user, created = User.objects.get_or_create(
        username=f"demo_{org.code}", defaults={"real_name": f"{org.name}申报员", "organisation": org}
    )
    if created:
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.SCHOOL_APPLICANT)
    return user


def load_demo_reviews(calls) -> list[Application]:
    made = []
    samples = fixtures.read_json(APPLICATIONS)
    for call in calls:
        for sample in samples.get(call.document_number, []):
            made += _apply(call, dict(sample))
    return made


def _apply(call, sample: dict) -> list[Application]:
    org = Organisation.objects.get(code=sample.pop("school"))
    recommended = sample.pop("recommended_by", None)
    if Application.objects.filter(call=call, applicant=org).exists():
        return []
    with transaction.atomic():
        actor = _secretary(org)
        application = start_application(actor=actor, call=call)
        definition = application.definition
        post = realistic_post(definition, multiple=False, org_name=org.name, org_code=org.code, overrides=sample)
        save_draft(actor=actor, application=application, raw=post, expected_version=application.lock_version)
        for field, spec in definition["fields"].items():
            if spec.get("attach") == "evidence":
                add_attachment(
                    actor=actor,
                    application=application,
                    name="支撑材料.pdf",
                    data=EVIDENCE,
                    purpose="evidence",
                    field=field,
                )
        submit_application(actor=actor, application=application)
        if recommended:
            reviewer = User.objects.get(username=recommended["reviewer"])
            decide(
                actor=reviewer,
                application=application,
                decision=Decision(outcome="recommend", text=recommended["opinion"]),
            )
            lists.send(actor=reviewer, lst=ListEntry.objects.get(application=application).list)
    return [application]
