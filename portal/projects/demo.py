"""Demo projects, from `fixtures/projects/demo-projects.json`: a national call whose list was published
(教基厅函〔2020〕24号), with the Dongguan zone exactly as in its 2021 spending plan, task list and
indicator table (`fixtures/projects/dongguan-2021.json`, dates moved to this year, as the demo calls'
dates are), and zones at other points: one on time with an adjustment awaiting approval, one with an
overdue milestone and a missing progress report. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portal.core import fixtures
from portal.formspec.realistic import realistic_post
from portal.formspec.registry import schema_for
from portal.orgs.models import Organisation, User
from portal.programmes import callfiles
from portal.programmes.choices import ApplicantKind, Status
from portal.programmes.models import Application, ApplicationVersion, Call, Project
from portal.programmes.services.applications import bound_form, snapshot

PROJECTS = "projects/demo-projects.json"


def _published_call(spec: dict, name: str, loaded_by: str = "moe_reviewer") -> Call:
    """The call as its organiser set it up: the ministry's national calls, a province's own calls."""
    data = callfiles.read(name)
    existing = Call.objects.filter(document_number=data["call"]["document_number"]).first()
    if existing:
        return existing
    opened = timezone.now() - timedelta(days=spec["call_opened_days_ago"])
    return callfiles.load_call(actor=User.objects.get(username=loaded_by), data=data, opens_at=opened)


def _approved(call: Call, zone: dict, starts: date) -> Project:
    org = Organisation.objects.get(code=zone["organisation"])
    project = Project.objects.filter(call=call, organisation=org).first()
    if project:
        return project
    title = zone["title"]
    kind = {"city": ApplicantKind.ZONE_CITY, "school": ApplicantKind.SCHOOL}.get(org.kind, ApplicantKind.ZONE_COUNTY)
    schema = schema_for(zone.get("form", "national_zone"))
    post = realistic_post(
        schema.definition,
        multiple=call.multiple_categories,
        org_name=org.name,
        org_code=org.code,
        overrides={"experiment_name": title, "address": zone["address"], "postcode": zone["postcode"]},
    )
    for name, spec in schema.definition["fields"].items():  # the zone's own telephone area code
        if spec.get("format") in ("phone", "fax") and isinstance(post.get(name), str):
            post[name] = zone["area_code"] + post[name][4:]
    now = timezone.now()
    application = Application.objects.create(
        call=call,
        applicant=org,
        applicant_kind=kind,
        schema=schema,
        status=Status.APPROVED,
        title=title,
        submitted_at=now,
        version_count=1,
    )
    form = bound_form(application, data=post, mode="draft")
    form.is_valid()
    content, digest = snapshot(application, form.cleaned_data)
    ApplicationVersion.objects.create(
        application=application, number=1, schema=schema, content=content, sha256=digest, submitted_at=now
    )
    return Project.objects.create(
        application=application,
        call=call,
        organisation=org,
        title=title,
        approved_at=now,
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 3) - timedelta(days=1),
    )


def demo_year(today: date) -> int:
    """The Dongguan plan ran July to December: in the demo it runs in the latest such half-year."""
    return today.year if today.month >= 7 else today.year - 1


def load_demo_projects(today: date | None = None) -> list[Project]:
    from budgets.demo import DONGGUAN, dongguan_plan, overdue_zone, zone_with_pending_adjustment

    today = today or timezone.localdate()
    year = demo_year(today)
    spec = fixtures.read_json(PROJECTS)
    with transaction.atomic():
        made = [
            (
                _approved(
                    _published_call(spec, zone.get("call", spec["call"]), zone.get("call_loaded_by", "moe_reviewer")),
                    zone,
                    date.fromisoformat(fixtures.dated(zone["starts_on"], year)),
                ),
                zone,
            )
            for zone in spec["projects"]
        ]
    (dongguan, _), (xingning, _), (xiaodian, _) = made[:3]
    dongguan_plan(dongguan, year)
    zone_with_pending_adjustment(xingning, today)
    overdue_zone(xiaodian, today)
    from portal.projects.services import file_report, generate_reports

    for project, _ in made:
        generate_reports(project, today)
    from portal.projects import filing

    plan_text = DONGGUAN["implementation_plan"]
    if not dongguan.implementation_plans.exists():
        filed = filing.file_plan(actor=User.objects.get(username="dg_city"), project=dongguan, sections=plan_text)
        filing.review_plan(actor=User.objects.get(username="gd_province"), plan=filed, action="acknowledge")
    if not xingning.implementation_plans.exists():  # waiting for gx_city
        filing.file_plan(actor=User.objects.get(username="gx_bureau"), project=xingning, sections=plan_text)
    # The zones on schedule have filed every report already due; the one without a filer (小店区) has not.
    for project, zone in made:
        if not zone.get("filed_by"):
            continue
        for report in project.progress_reports.filter(status="due", due_on__lt=today):
            file_report(
                actor=User.objects.get(username=zone["filed_by"]),
                report=report,
                text=f"{report.title}：按用款方案和进度安排推进，各项任务按期完成。",
            )
    from schools.demo import load_demo_devplan, load_demo_training

    for project, zone in made:
        if zone.get("training"):
            load_demo_training(
                project, fixtures.read_json(f"projects/{zone['training']}"), User.objects.get(username=zone["filed_by"])
            )
        if zone.get("devplan"):
            load_demo_devplan(
                project, fixtures.read_json(f"projects/{zone['devplan']}"), User.objects.get(username=zone["filed_by"])
            )
    return [project for project, _ in made]
