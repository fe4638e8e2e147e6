"""Submitted applications at scale, for benchmarks and the worker tests (never for real data)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from portal.formspec.fields import form_class
from portal.formspec.registry import canonical_json, schema_for
from portal.formspec.sample import sample_post
from portal.formspec.values import compute, raw_from_post, typed_values
from portal.orgs.models import Organisation
from portal.programmes.choices import ApplicantKind, ReviewLevel, Status
from portal.programmes.forms_context import call_context
from portal.programmes.models import Application, ApplicationVersion


def seed_applications(call, count: int, *, prefix: str = "S") -> int:
    """Submits `count` school applications in `call` for the scale schools (codes starting with
    `prefix`) that have none yet, each waiting at the city. The form is filled and validated once."""
    form_key = next(f.form_key for f in call.forms.all() if f.applicant_kind == ApplicantKind.SCHOOL)
    schema = schema_for(form_key)
    definition = schema.definition
    context = call_context(call)
    post = sample_post(definition, multiple=call.multiple_categories)
    form = form_class(definition, context)(data=raw_from_post(definition, _as_querydict(post)), mode="submit")
    if not form.is_valid():
        raise ValueError(f"sample input does not validate: {form.errors.as_json()}")
    values = typed_values(definition, form.cleaned_data)
    computed = compute(definition, values)
    taken = Application.objects.filter(call=call).values("applicant_id")
    schools = list(
        Organisation.objects.filter(code__startswith=prefix, kind="school").exclude(pk__in=taken).order_by("pk")[:count]
    )
    now = timezone.now()
    with transaction.atomic():
        apps = Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    applicant=s,
                    applicant_path=s.path,
                    applicant_kind=ApplicantKind.SCHOOL,
                    schema=schema,
                    status=Status.SUBMITTED,
                    data={},
                    title=f"{s.name}实验",
                    submitted_at=now,
                    version_count=1,
                    stage=ReviewLevel.CITY,
                    stage_since=now,
                )
                for s in schools
            ],
            batch_size=2000,
        )
        versions = []
        for app, school in zip(apps, schools):
            content = {
                "form": {"key": schema.key, "version": schema.version, "sha256": schema.sha256},
                "applicant": {"code": school.code, "name": school.name},
                "call": {"id": call.pk, "title": call.title},
                "categories": context.categories,
                "values": {**values, "org_name": school.name},
                "computed": computed,
                "attachments": [],
            }
            versions.append(
                ApplicationVersion(
                    application=app,
                    number=1,
                    schema=schema,
                    content=content,
                    sha256=hashlib.sha256(canonical_json(content)).hexdigest(),
                    submitted_at=now,
                )
            )
        ApplicationVersion.objects.bulk_create(versions, batch_size=1000)
    return len(apps)


def _as_querydict(post: dict):
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for name, value in post.items():
        qd.setlist(name, value if isinstance(value, list) else [value])
    return qd
