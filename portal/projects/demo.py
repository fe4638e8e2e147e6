"""Demo projects: a national call whose list was published (教基厅函〔2020〕24号), with the Dongguan zone
exactly as in its 2021 spending plan, task list and indicator table (dates moved to this year, as the
demo calls' dates are), and zones at other points: one on time with an adjustment awaiting approval,
one with an overdue milestone and a missing progress report. Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portal.formspec.realistic import realistic_post
from portal.formspec.registry import schema_for
from portal.orgs.models import Organisation, User
from portal.programmes.choices import ApplicantKind, Status
from portal.programmes.demo import national_config
from portal.programmes.models import Application, ApplicationVersion, Call, Project
from portal.programmes.services.applications import bound_form, snapshot
from portal.programmes.services.calls import save_call

DOCUMENT = "教基厅函〔2020〕24号"
DONGGUAN_TITLE = "东莞市国家级“基于教学革、融合信息技术的新型教与学模式”实验区项目"   # as the seed writes it


def _published_call() -> Call:
    existing = Call.objects.filter(document_number=DOCUMENT).first()
    if existing:
        return existing
    opened = timezone.now() - timedelta(days=400)
    config = national_config(opened)
    config.values = {**config.values, "title": "“基于教学改革、融合信息技术的新型教与学模式”实验区（2020年公布名单）",
                     "document_number": DOCUMENT, "report_cadence": "quarterly",
                     "notice_title": "教育部办公厅关于公布“基于教学改革、融合信息技术的新型教与学模式”实验区名单的通知"}
    config.deadlines = [{**d, "due_at": opened + timedelta(days=30 + i)} for i, d in enumerate(config.deadlines)]
    return save_call(actor=User.objects.get(username="moe_reviewer"), config=config)


# Where each demo zone is (the realistic filler writes a Nanning address otherwise).
PLACES = {"441900": ("广东省东莞市南城区鸿福路99号教育局大楼", "523000", "0769"),
          "450102": ("广西壮族自治区南宁市兴宁区民族大道92号教育综合楼", "530012", "0771"),
          "140105": ("山西省太原市小店区长风街118号", "030032", "0351")}


def _approved(call: Call, org: Organisation, title: str, starts: date) -> Project:
    project = Project.objects.filter(call=call, organisation=org).first()
    if project:
        return project
    kind = ApplicantKind.ZONE_CITY if org.kind == "city" else ApplicantKind.ZONE_COUNTY
    schema = schema_for("national_zone")
    address, postcode, area = PLACES[org.code]
    post = realistic_post(schema.definition, multiple=True, org_name=org.name, org_code=org.code,
                          overrides={"experiment_name": title, "address": address, "postcode": postcode})
    for name, spec in schema.definition["fields"].items():    # the zone's own telephone area code
        if spec.get("format") in ("phone", "fax") and isinstance(post.get(name), str):
            post[name] = area + post[name][4:]
    now = timezone.now()
    application = Application.objects.create(call=call, applicant=org, applicant_kind=kind, schema=schema,
                                             status=Status.APPROVED, title=title, submitted_at=now, version_count=1)
    form = bound_form(application, data=post, mode="draft")
    form.is_valid()
    content, digest = snapshot(application, form.cleaned_data)
    ApplicationVersion.objects.create(application=application, number=1, schema=schema, content=content,
                                      sha256=digest, submitted_at=now)
    return Project.objects.create(application=application, call=call, organisation=org, title=title, approved_at=now,
                                  starts_on=starts, ends_on=starts.replace(year=starts.year + 3) - timedelta(days=1))


def demo_year(today: date) -> int:
    """The Dongguan plan ran July to December: in the demo it runs in the latest such half-year."""
    return today.year if today.month >= 7 else today.year - 1


def load_demo_projects(today: date | None = None) -> list[Project]:
    from budgets.demo import dongguan_plan, overdue_zone, zone_with_pending_adjustment
    today = today or timezone.localdate()
    year = demo_year(today)
    with transaction.atomic():
        call = _published_call()
        dongguan = _approved(call, Organisation.objects.get(code="441900"), DONGGUAN_TITLE, date(year, 7, 1))
        xingning = _approved(call, Organisation.objects.get(code="450102"),
                             "南宁市兴宁区“基于教学改革、融合信息技术的新型教与学模式”实验区项目", date(year, 3, 1))
        xiaodian = _approved(call, Organisation.objects.get(code="140105"),
                             "太原市小店区“基于教学改革、融合信息技术的新型教与学模式”实验区项目", date(year - 1, 9, 1))
    dongguan_plan(dongguan, year)
    zone_with_pending_adjustment(xingning, today)
    overdue_zone(xiaodian, today)
    from portal.projects.services import file_report, generate_reports
    for project in (dongguan, xingning, xiaodian):
        generate_reports(project, today)
    from portal.projects import filing
    plan_text = {"goals": "深化“莞式慕课”信息化教学成果应用，推进实验区建设。", "content": "编撰出版优秀成果；开展研训交流展示活动；孵化信息化教学模式。",
                 "steps": "筹备（7—8月）、实施（9—11月）、总结与推广（12月）。", "safeguards": "基础保障、机制保障、政策保障。"}
    if not dongguan.implementation_plans.exists():
        filed = filing.file_plan(actor=User.objects.get(username="dg_city"), project=dongguan, sections=plan_text)
        filing.review_plan(actor=User.objects.get(username="gd_province"), plan=filed, action="acknowledge")
    if not xingning.implementation_plans.exists():                       # waiting for gx_city
        filing.file_plan(actor=User.objects.get(username="gx_bureau"), project=xingning, sections=plan_text)
    # The two zones on schedule have filed every report already due; 小店区 has not.
    for project, username in ((dongguan, "dg_city"), (xingning, "gx_bureau")):
        for report in project.progress_reports.filter(status="due", due_on__lt=today):
            file_report(actor=User.objects.get(username=username), report=report,
                        text=f"{report.title}：按用款方案和进度安排推进，各项任务按期完成。")
    return [dongguan, xingning, xiaodian]
