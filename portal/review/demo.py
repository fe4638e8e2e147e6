"""Demo applications in the Guangxi call, so that every reviewer has something in front of them:
one school waits at its county (gx_county), one has been recommended by the county and waits at
the city (gx_city), and one waits at another county (gx_county2). Idempotent."""
from __future__ import annotations

from django.db import transaction

from portal.formspec.realistic import realistic_post
from portal.orgs.choices import Role
from portal.orgs.models import Organisation, RoleGrant, User
from portal.programmes.models import Application
from portal.programmes.services.applications import save_draft, start_application, submit_application
from portal.programmes.services.attachments import add_attachment
from portal.review.models import ListEntry
from portal.review.services import lists
from portal.review.services.decisions import Decision, decide
from portal.core.samples import blank_pdf

EVIDENCE = blank_pdf()

# school code, experiment name, summary, head, mobile, whether the county has already recommended it
SCHOOLS = [
    ("2450102002", "基于智慧课堂的初中数学精准教学实验",
     "依托智慧课堂平台采集课堂学习数据，开展学情诊断与分层作业，探索数据驱动的初中数学精准教学模式。",
     "黎志刚", "13907711002", False),
    ("2450102003", "九年一贯制学校跨学科项目式学习实验",
     "以STEAM项目为载体，贯通小学与初中课程，探索信息技术支持的跨学科项目式学习与过程性评价。",
     "莫雪梅", "13907711003", True),
    ("2450123001", "乡村小学“专递课堂”协同教学实验",
     "通过专递课堂与城区学校同步开课，补齐乡村小学英语、音乐、美术课程，探索城乡协同教学机制。",
     "梁国庆", "13907712301", False),
]


def _secretary(org: Organisation) -> User:
    """The school's own applicant account (no password: it exists so that the forms were filled by someone)."""
    user, created = User.objects.get_or_create(username=f"demo_{org.code}", defaults={
        "real_name": f"{org.name}申报员", "organisation": org})
    if created:
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.SCHOOL_APPLICANT)
    return user


# A Dongguan school's application in the Guangdong demo call: no county above it, so it waits at dg_city.
DONGGUAN_SCHOOLS = [
    ("2441900002", "初中英语智能听说与分层作业实验",
     "依托智能听说平台开展课堂口语训练与课后分层作业，探索数据支持的初中英语精准教学。",
     "叶志坚", "13926801002", False),
]


def load_demo_reviews(call, schools=SCHOOLS) -> list[Application]:
    county = User.objects.get(username="gx_county")
    made = []
    for code, name, summary, head, mobile, recommended in schools:
        org = Organisation.objects.get(code=code)
        if Application.objects.filter(call=call, applicant=org).exists():
            continue
        with transaction.atomic():
            actor = _secretary(org)
            application = start_application(actor=actor, call=call)
            definition = application.schema.definition
            post = realistic_post(definition, multiple=False, org_name=org.name, org_code=org.code, overrides={
                "experiment_name": name, "experiment_summary": summary, "head_name": head, "head_mobile": mobile})
            save_draft(actor=actor, application=application, raw=post, expected_version=application.lock_version)
            for field, spec in definition["fields"].items():
                if spec.get("attach") == "evidence":
                    add_attachment(actor=actor, application=application, name="支撑材料.pdf", data=EVIDENCE,
                                   purpose="evidence", field=field)
            submit_application(actor=actor, application=application)
            if recommended:
                decide(actor=county, application=application, decision=Decision(
                    outcome="recommend", text="该校信息化基础扎实，实验方案具体可行，同意推荐。"))
                lst = ListEntry.objects.get(application=application).list
                lists.send(actor=county, lst=lst)
        made.append(application)
    return made


