"""Every URL of the project × every role × an object inside and outside the role's scope.

Adding a URL without adding it to SPEC fails test_every_url_is_covered: a new page cannot ship
without saying who may open it."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.audit.services import log_action
from portal.orgs.choices import Role
from tests.factories import make_user

ALL = frozenset(Role.values)
OVERSEERS = frozenset(
    {
        Role.COUNTY_REVIEWER,
        Role.CITY_REVIEWER,
        Role.PROVINCE_ADMIN,
        Role.MINISTRY_REVIEWER,
        Role.SYSTEM_ADMIN,
        Role.AUDIT_ADMIN,
    }
)
ADMINS = frozenset({Role.PROVINCE_ADMIN, Role.SYSTEM_ADMIN})
PUBLIC = "public"


def org_objects(t, role):
    inside = t.university if role == Role.EXPERT else t.school_a1
    outside = t.school_a1 if role == Role.EXPERT else (None if role == Role.MINISTRY_REVIEWER else t.other_school)
    return ({"code": inside.code}, {"code": outside.code} if outside else None)


def user_objects(t, role):
    inside = make_user(Role.SCHOOL_APPLICANT, t.school_a1)
    outside = make_user(Role.SCHOOL_APPLICANT, t.other_school)
    return ({"pk": inside.pk}, None if role == Role.MINISTRY_REVIEWER else {"pk": outside.pk})


def audit_objects(t, role):
    inside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, t.school_a1))
    outside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, t.other_school))
    return ({"pk": inside.pk}, {"pk": outside.pk})


APPLICANTS = frozenset({Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT})
REVIEWERS = frozenset({Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})
VIEWERS = APPLICANTS | REVIEWERS | {Role.SYSTEM_ADMIN}
MANAGERS = frozenset({Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})


def _programme_objects(t):
    """Calls and applications of the standard tree, made once per test."""
    if hasattr(t, "programme_objects"):
        return t.programme_objects
    from datetime import timedelta

    from django.utils import timezone

    from portal.core import files
    from portal.programmes.choices import Status
    from portal.programmes.demo import guangxi_config
    from portal.programmes.models import Application, ApplicationVersion, Attachment
    from portal.programmes.services.calls import save_call

    start = timezone.now() - timedelta(days=1)
    guangxi = save_call(actor=make_user(Role.PROVINCE_ADMIN, t.centre), config=guangxi_config(start, None))
    shanxi_config = guangxi_config(start, None)
    shanxi_config.values = {**shanxi_config.values, "title": "山西批次", "document_number": "晋教〔2026〕1号"}
    shanxi = save_call(actor=make_user(Role.PROVINCE_ADMIN, t.other_province), config=shanxi_config)
    from portal.formspec.registry import schema_for

    school_schema, zone_schema = schema_for("guangxi_school"), schema_for("guangxi_zone")

    def application(call, org, schema, *, versions):
        app = Application.objects.create(
            call=call,
            applicant=org,
            applicant_kind="school",
            schema=schema,
            status=Status.SUBMITTED if versions else Status.DRAFT,
            version_count=versions,
        )
        for number in range(1, versions + 1):
            ApplicationVersion.objects.create(
                application=app,
                number=number,
                schema=schema,
                sha256="0" * 64,
                submitted_at=timezone.now(),
                content={
                    "values": {"experiment_name": f"版本{number}"},
                    "computed": {},
                    "attachments": [],
                    "categories": [],
                },
            )
        name, digest = files.store(b"%PDF-1.4\n")
        attachment = Attachment.objects.create(
            application=app,
            purpose="other",
            original_name="a.pdf",
            stored_name=name,
            content_type="application/pdf",
            size=9,
            sha256=digest,
        )
        return app, attachment

    objects = {
        "calls": (guangxi, shanxi),
        "school": application(guangxi, t.school_a1, school_schema, versions=2),
        "school_draft": application(shanxi, t.school_a1, school_schema, versions=0),
        "county": application(guangxi, t.county_a, zone_schema, versions=2),
        "county_draft": application(shanxi, t.county_a, zone_schema, versions=0),
        "neighbour": application(guangxi, t.school_a2, school_schema, versions=2),
        "county_b": application(guangxi, t.school_b1, school_schema, versions=2),
        "city_c": application(guangxi, t.school_c1, school_schema, versions=2),
        "shanxi": application(shanxi, t.other_school, school_schema, versions=2),
    }
    t.programme_objects = objects
    return objects


def call_objects(t, role):
    guangxi, shanxi = _programme_objects(t)["calls"]
    return {"pk": guangxi.pk}, None if role == Role.MINISTRY_REVIEWER else {"pk": shanxi.pk}


OUTSIDE_APPLICATION = {
    Role.SCHOOL_APPLICANT: "neighbour",
    Role.BUREAU_APPLICANT: "school",
    Role.COUNTY_REVIEWER: "county_b",
    Role.CITY_REVIEWER: "city_c",
    Role.PROVINCE_ADMIN: "shanxi",
    Role.SYSTEM_ADMIN: "shanxi",
    Role.EXPERT: "school",
    Role.AUDIT_ADMIN: "school",
}


def _application_pair(t, role, index, *, own_draft=False):
    objects = _programme_objects(t)
    inside = ("county" if role == Role.BUREAU_APPLICANT else "school") + ("_draft" if own_draft else "")
    outside = OUTSIDE_APPLICATION.get(role)
    return ({"pk": objects[inside][index].pk}, {"pk": objects[outside][index].pk} if outside else None)


def application_objects(t, role):
    return _application_pair(t, role, 0)


def draft_objects(t, role):
    """The applicant's own editable application (a draft; the county's own is submitted)."""
    return _application_pair(t, role, 0, own_draft=True)


def attachment_objects(t, role):
    return _application_pair(t, role, 1)


def own_attachment_objects(t, role):
    return _application_pair(t, role, 1, own_draft=True)


LIST_VIEWERS = REVIEWERS | {Role.SYSTEM_ADMIN}
SEAL_MANAGERS = APPLICANTS | REVIEWERS


def _review_objects(t):
    """One list per reviewing organisation (each with an entry and an objection with a file), made once per test."""
    if hasattr(t, "review_objects"):
        return t.review_objects
    from datetime import timedelta

    from django.utils import timezone

    from portal.core import files
    from portal.review.models import ListEntry, ListStatus, Objection, Opinion, RecommendationList
    from portal.review.services.seals import current_seal

    objects = _programme_objects(t)
    guangxi, shanxi = objects["calls"]
    application = objects["school"][0]
    version = application.versions.order_by("number").last()

    def make(call, org, level, **extra):
        scan, _ = files.store(b"%PDF-1.4\n")
        lst = RecommendationList.objects.create(
            call=call,
            organisation=org,
            level=level,
            notice_scan_stored=scan,
            notice_scan_type="application/pdf",
            notice_scan_name="公示.pdf",
            **extra,
        )
        opinion = Opinion.objects.create(
            application=application,
            version=version,
            level=level,
            organisation=org,
            outcome="recommend",
            text="推荐",
            signer_name="签字人",
            signed_on=timezone.localdate(),
            seal=current_seal(org),
        )
        entry = ListEntry.objects.create(list=lst, application=application, target="school", rank=1, opinion=opinion)
        stored, _ = files.store(b"%PDF-1.4\n")
        objection = Objection.objects.create(
            list=lst,
            name="李明",
            contact="13800000000",
            text="异议内容",
            file_name="证明.pdf",
            stored_name=stored,
            content_type="application/pdf",
        )
        return {"pk": lst.pk, "entry_pk": entry.pk, "objection": objection.pk, "token": lst.token}

    now = timezone.now()
    t.review_objects = {
        Role.COUNTY_REVIEWER: make(guangxi, t.county_a, "county"),
        Role.CITY_REVIEWER: make(
            guangxi,
            t.city_a,
            "city",
            status=ListStatus.NOTICE,
            notice_title="公示",
            notice_starts=now - timedelta(days=1),
            notice_ends=now + timedelta(days=5),
        ),
        Role.PROVINCE_ADMIN: make(guangxi, t.province, "province"),
        Role.MINISTRY_REVIEWER: make(guangxi, t.moe, "ministry"),
        "county_b": make(guangxi, t.county_b, "county"),
        "city_c": make(guangxi, t.city_c, "city"),
        "shanxi": make(shanxi, t.other_city, "city"),
    }
    return t.review_objects


OUTSIDE_LIST = {
    Role.COUNTY_REVIEWER: "county_b",
    Role.CITY_REVIEWER: "city_c",
    Role.PROVINCE_ADMIN: "shanxi",
    Role.SYSTEM_ADMIN: "shanxi",
}


def _list_pair(t, role, keys):
    objects = _review_objects(t)
    inside = objects.get(role, objects[Role.PROVINCE_ADMIN])
    outside = objects.get(OUTSIDE_LIST.get(role))
    pick = (lambda o: {"pk": o["objection"]}) if keys == "objection" else (lambda o: {k: o[k] for k in keys})
    return pick(inside), pick(outside) if outside else None


def list_objects(t, role):
    return _list_pair(t, role, ("pk",))


def entry_objects(t, role):
    return _list_pair(t, role, ("pk", "entry_pk"))


def objection_objects(t, role):
    return _list_pair(t, role, "objection")


def notice_objects(t, role):
    return {"token": _review_objects(t)[Role.CITY_REVIEWER]["token"]}, None


def seal_objects(t, role):
    """The province's seal is on every Guangxi user's forms; a Shanxi school's is no one's business but Shanxi's."""
    from portal.review.services.seals import current_seal

    outside = None if role == Role.MINISTRY_REVIEWER else {"pk": current_seal(t.other_school).pk}
    return {"pk": current_seal(t.province).pk}, outside


def notification_objects(t, role):
    from portal.notifications.models import Notification
    from portal.orgs.models import User
    from tests.factories import ROLE_HOME

    own = User.objects.filter(username=f"u_{role}").first() or make_user(
        role, getattr(t, ROLE_HOME[role]), username=f"u_{role}"
    )
    stranger = make_user(Role.SCHOOL_APPLICANT, t.school_a2)
    mine = Notification.objects.create(user=own, kind="result", title="审核结果", url="/")
    theirs = Notification.objects.create(user=stranger, kind="result", title="审核结果", url="/")
    return {"pk": mine.pk}, {"pk": theirs.pk}


EXPERT_MANAGERS = frozenset({Role.PROVINCE_ADMIN})
EXPERTS = frozenset({Role.EXPERT})


def _expert_objects(t):
    """Guangxi and Shanxi panels, the role user's own expert record with an assignment, and a stranger's."""
    if hasattr(t, "expert_objects"):
        return t.expert_objects
    from portal.experts.models import Assignment, Expert, Panel
    from portal.orgs.models import User

    objects = _programme_objects(t)
    guangxi, shanxi = objects["calls"]
    application = objects["school"][0]
    user = User.objects.filter(username=f"u_{Role.EXPERT}").first() or make_user(
        Role.EXPERT, t.university, username=f"u_{Role.EXPERT}"
    )
    mine = Expert.objects.create(user=user, field="教育技术", province=t.province)
    stranger = Expert.objects.create(user=make_user(Role.EXPERT, t.university), field="教育技术", province=t.province)
    own_panel = Panel.objects.create(call=guangxi, name="本组", leader=mine)
    other_panel = Panel.objects.create(call=guangxi, name="他组", leader=stranger)
    shanxi_panel = Panel.objects.create(
        call=shanxi,
        name="山西组",
        leader=Expert.objects.create(user=make_user(Role.EXPERT, t.other_school), field="x", province=t.other_province),
    )
    t.expert_objects = {
        "panel": own_panel,
        "other_panel": other_panel,
        "shanxi_panel": shanxi_panel,
        "mine": Assignment.objects.create(panel=own_panel, application=application, expert=mine),
        "theirs": Assignment.objects.create(panel=other_panel, application=application, expert=stranger),
        "calls": (guangxi, shanxi),
    }
    return t.expert_objects


def panel_objects(t, role):
    o = _expert_objects(t)
    return {"pk": o["panel"].pk}, {"pk": o["shanxi_panel"].pk}


def rubric_objects(t, role):
    guangxi, shanxi = _expert_objects(t)["calls"]
    return {"call_pk": guangxi.pk, "kind": "school"}, {"call_pk": shanxi.pk, "kind": "school"}


def assignment_objects(t, role):
    o = _expert_objects(t)
    return {"pk": o["mine"].pk}, {"pk": o["theirs"].pk}


def task_attachment_objects(t, role):
    """The reviewed version's file (the version's manifest names it), through the expert's own assignment."""
    from portal.core import files
    from portal.programmes.models import ApplicationVersion, Attachment

    o = _expert_objects(t)
    if "attachment" not in o:
        application = o["mine"].application
        stored, digest = files.store(b"%PDF-1.4\n")
        attachment = Attachment.objects.create(
            application=application,
            purpose="evidence",
            field="basis",
            original_name="材料.pdf",
            stored_name=stored,
            content_type="application/pdf",
            size=9,
            sha256=digest,
        )
        version = application.versions.order_by("-number").first()
        content = {
            **version.content,
            "attachments": [
                {
                    "id": attachment.pk,
                    "name": "材料.pdf",
                    "field": "basis",
                    "size": 9,
                    "sha256": digest,
                    "purpose": "evidence",
                    "content_type": "application/pdf",
                }
            ],
        }
        ApplicationVersion.objects.filter(pk=version.pk).update(content=content)
        o["attachment"] = attachment
    return (
        {"pk": o["mine"].pk, "attachment_pk": o["attachment"].pk},
        {"pk": o["theirs"].pk, "attachment_pk": o["attachment"].pk},
    )


def job_objects(t, role):
    """A finished report job of the role's own user, and a stranger's."""
    from portal.orgs.models import User
    from portal.reports.models import ReportJob
    from portal.reports.services import storage_dir
    from tests.factories import ROLE_HOME

    own = User.objects.filter(username=f"u_{role}").first() or make_user(
        role, getattr(t, ROLE_HOME[role]), username=f"u_{role}"
    )

    def job(user):
        made = ReportJob.objects.create(
            kind="city_summary",
            params={},
            request_key=f"k{user.pk}",
            requested_by=user,
            title="汇总表",
            status="done",
            stored_name=f"job-t{user.pk}.xlsx",
            file_name="汇总表.xlsx",
            content_type="application/octet-stream",
            expires_at="2999-01-01T00:00:00Z",
        )
        (storage_dir() / made.stored_name).write_bytes(b"PK")
        return made

    return {"pk": job(own).pk}, {"pk": job(make_user(Role.CITY_REVIEWER, t.city_c)).pk}


def verify_objects(t, role):
    from portal.reports.models import IssuedDocument

    application = _programme_objects(t)["school"][0]
    document = IssuedDocument.objects.filter(code="TESTCODE23").first() or IssuedDocument.objects.create(
        code="TESTCODE23",
        kind="application_form",
        title="申请表",
        application=application,
        version_number=2,
        version_sha256="0" * 64,
    )
    return {"code": document.code}, None


def token_objects(t, role):
    """The role's own token, and another user's (never revocable by anyone but its owner)."""
    from portal.accounts.tokens import issue
    from portal.orgs.models import User

    own = User.objects.filter(username=f"u_{role}").first() or make_user(role, t.province, username=f"u_{role}")
    other = make_user(Role.SCHOOL_APPLICANT, t.school_a2, username=f"tok_{role}")
    return {"pk": issue(own)[0].pk}, {"pk": issue(other)[0].pk}


def led_panel_objects(t, role):
    o = _expert_objects(t)
    return {"pk": o["panel"].pk}, {"pk": o["other_panel"].pk}


PROJECT_VIEWERS = APPLICANTS | REVIEWERS | {Role.SYSTEM_ADMIN}
# The level directly above a project approves its plan, adjustments and reports: a county, a city or
# a province (no project sits directly under the ministry in the tree).
DECIDERS = frozenset({Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN})


def _projects(*keys):
    def objects(t, role):
        from tests.projects.walk import pair

        return pair(t, _programme_objects(t)["calls"][0], role, ("pk",) + keys)

    return objects


project_objects = _projects()
# A pilot school's own documents: the school, the levels above it, and the platform's administrator.
TRAINING_VIEWERS = frozenset({Role.SCHOOL_APPLICANT}) | REVIEWERS | {Role.SYSTEM_ADMIN}


def training_pair(*keys):
    from tests.schools.walk import training_pair as pair

    return pair(*keys)


def guidance_objects(t, role):
    from tests.schools.walk import guidance_pair

    return guidance_pair(t, role)


def form_objects(t, role):
    """The forms' definitions are the same documents for everyone: no outside."""
    return {"key": "guangxi_school", "number": 2}, None


def form_key(t, role):
    return {"key": "guangxi_school"}, None


FORM_PUBLISHERS = frozenset({Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})  # those who open calls


def form_draft_objects(t, role):
    """A draft of the role's own publisher (the Guangxi centre's province, the ministry), and one of
    Shanxi's: another publisher's draft does not exist for them."""
    from portal.formspec import drafts
    from tests.factories import ROLE_HOME, make_user

    owner_role = role if role in FORM_PUBLISHERS else Role.PROVINCE_ADMIN
    mine = drafts.derive(
        actor=make_user(owner_role, getattr(t, ROLE_HOME[owner_role])), key="guangxi_school", version=2
    )
    other = drafts.derive(actor=make_user(Role.PROVINCE_ADMIN, t.other_province), key="guangxi_school", version=2)
    return {"pk": mine.pk}, {"pk": other.pk}


def approved_list_objects(t, role):
    from tests.projects.walk import project_set

    return {"call_pk": project_set(t, _programme_objects(t)["calls"][0])["call_pk"]}, None


# The evaluation cycle (tests/evaluation/walk.py): projects, the levels above them and experts.
EVALUATION_VIEWERS = APPLICANTS | REVIEWERS | EXPERTS


def evaluation_round_objects(t, role):
    from tests.evaluation.walk import round_pair

    return round_pair(t, role)


def evaluation_entry_objects(t, role):
    from tests.evaluation.walk import entry_pair

    return entry_pair()(t, role)


def evaluation_file_objects(t, role):
    from tests.evaluation.walk import entry_pair

    return entry_pair("pk", "file_pk")(t, role)


def evaluation_rectification_objects(t, role):
    from tests.evaluation.walk import entry_pair

    inside, outside = entry_pair("rectification_pk")(t, role)
    return {"pk": inside["rectification_pk"]}, {"pk": outside["rectification_pk"]} if outside else None


def showcase_objects(t, role):
    inside, outside = _projects("showcase_pk")(t, role)
    return {"pk": inside["showcase_pk"]}, {"pk": outside["showcase_pk"]} if outside else None


def public_showcase_file(t, role):
    from tests.projects.walk import project_set

    return {"pk": project_set(t, _programme_objects(t)["calls"][0])["a1"]["showcase_pk"]}, None


def evaluation_public_round(t, role):
    from tests.evaluation.walk import public_round

    return public_round(t, role)


@dataclass(frozen=True)
class Case:
    allowed: frozenset | str
    objects: Callable | None = None
    method: str = "get"
    ok: int = 200  # status for an allowed role on an object in scope
    anonymous: int | None = None  # what an anonymous request gets, when not the login redirect


SPEC = {
    "core:dashboard": Case(ALL),
    "core:health": Case(PUBLIC),
    "accounts:login": Case(PUBLIC, ok=302),  # signed in: straight to the dashboard
    "accounts:logout": Case(ALL, method="post", ok=302),
    "accounts:password_change": Case(ALL),
    "accounts:tokens": Case(ALL),
    "accounts:token_revoke": Case(ALL, token_objects, method="post", ok=302),
    "accounts:token_revoke_all": Case(ALL, method="post", ok=302),
    "orgs:organisation_list": Case(ALL),
    "orgs:organisation_detail": Case(ALL, org_objects),
    "orgs:user_list": Case(OVERSEERS),
    "orgs:user_detail": Case(OVERSEERS, user_objects),
    "orgs:user_unlock": Case(ADMINS, user_objects, method="post", ok=302),
    "orgs:user_create": Case(ADMINS),
    "orgs:user_edit": Case(ADMINS, user_objects),
    "orgs:user_reset_password": Case(ADMINS, user_objects, method="post", ok=200),  # shows the new password
    "orgs:user_deactivate": Case(ADMINS, user_objects, method="post", ok=302),
    "orgs:user_reactivate": Case(ADMINS, user_objects, method="post", ok=302),
    "orgs:import": Case(ADMINS),
    "orgs:import_template": Case(ADMINS),
    "audit:entry_list": Case(frozenset({Role.AUDIT_ADMIN})),
    "audit:entry_detail": Case(frozenset({Role.AUDIT_ADMIN}), audit_objects),
    "programmes:call_list": Case(ALL),
    "programmes:call_create": Case(MANAGERS),
    "programmes:call_detail": Case(ALL, call_objects),
    "programmes:call_edit": Case(MANAGERS, call_objects),
    "programmes:call_apply": Case(APPLICANTS, call_objects, method="post", ok=302),
    "programmes:application_list": Case(VIEWERS),
    "programmes:application_detail": Case(VIEWERS, application_objects),
    "programmes:application_edit": Case(APPLICANTS, draft_objects, ok=None),
    "programmes:application_autosave": Case(APPLICANTS, draft_objects, method="post", ok=400, anonymous=401),
    "programmes:application_withdraw": Case(APPLICANTS, draft_objects, method="post", ok=200),  # asks to confirm
    "programmes:application_compare": Case(VIEWERS, application_objects),
    "programmes:attachment_upload": Case(APPLICANTS, draft_objects, method="post", ok=302),
    "programmes:attachment_download": Case(VIEWERS, attachment_objects),
    "programmes:attachment_delete": Case(APPLICANTS, own_attachment_objects, method="post", ok=302),
    "review:queue": Case(REVIEWERS),
    "review:review": Case(REVIEWERS, application_objects),
    "review:list_index": Case(LIST_VIEWERS),
    "review:list_detail": Case(LIST_VIEWERS, list_objects),
    "review:list_rank": Case(REVIEWERS, list_objects, method="post", ok=302),
    "review:list_remove": Case(REVIEWERS, entry_objects, method="post", ok=302),
    "review:list_notice": Case(REVIEWERS, list_objects, method="post", ok=302),
    "review:list_offline_notice": Case(REVIEWERS, list_objects, method="post", ok=302),
    "review:list_notice_scan": Case(LIST_VIEWERS, list_objects),
    "review:list_send": Case(REVIEWERS, list_objects, method="post", ok=302),
    "review:list_summary": Case(LIST_VIEWERS, list_objects),
    "review:objection_handle": Case(REVIEWERS, objection_objects, method="post", ok=302),
    "review:objection_file": Case(LIST_VIEWERS, objection_objects),
    "review:seal": Case(SEAL_MANAGERS),
    "review:seal_image": Case(ALL, seal_objects),
    "experts:pool": Case(EXPERT_MANAGERS),
    "experts:panel_list": Case(EXPERT_MANAGERS),
    "experts:panel_detail": Case(EXPERT_MANAGERS, panel_objects),
    "experts:panel_edit": Case(EXPERT_MANAGERS, panel_objects),
    "experts:panel_auto_assign": Case(EXPERT_MANAGERS, panel_objects, method="post", ok=302),
    "experts:panel_assign": Case(EXPERT_MANAGERS, panel_objects, method="post", ok=302),
    "experts:panel_close": Case(EXPERT_MANAGERS, panel_objects, method="post", ok=302),
    "experts:rubric": Case(EXPERT_MANAGERS, rubric_objects),
    "experts:task_list": Case(EXPERTS),
    "experts:task": Case(EXPERTS, assignment_objects),
    "experts:task_attachment": Case(EXPERTS, task_attachment_objects),
    "experts:task_conflict": Case(EXPERTS, assignment_objects, method="post", ok=302),
    "experts:leader": Case(EXPERTS, led_panel_objects),
    "reports:centre": Case(APPLICANTS | REVIEWERS),
    "verify": Case(PUBLIC, verify_objects),
    "reports:request": Case(ALL, method="post", ok=302),  # a refusal is a message on the page
    "reports:status": Case(ALL, job_objects),
    "reports:download": Case(ALL, job_objects),
    "public_notices": Case(PUBLIC),
    "public_notice": Case(PUBLIC, notice_objects),
    "notifications:list": Case(ALL),
    "notifications:open": Case(ALL, notification_objects, method="post", ok=302),
    "notifications:read_all": Case(ALL, method="post", ok=302),
    "notifications:settings": Case(ALL),
    "api:call_list": Case(ALL),
    "api:call_detail": Case(ALL, call_objects),
    "api:application_list": Case(VIEWERS),
    "api:application_detail": Case(VIEWERS, application_objects),
    "api:application_submit": Case(APPLICANTS, draft_objects, method="post", ok=400),
    "api:application_withdraw": Case(APPLICANTS, draft_objects, method="post", ok=400),
    "api:attachment_list": Case(VIEWERS, application_objects),
    "api:attachment_download": Case(VIEWERS, attachment_objects),
    "api:application_decision": Case(REVIEWERS, application_objects, method="post", ok=400),
    "api:application_opinions": Case(VIEWERS, application_objects),
    "api:application_timeline": Case(VIEWERS, application_objects),
    "api:review_list_list": Case(LIST_VIEWERS),
    "api:review_list_detail": Case(LIST_VIEWERS, list_objects),
    "api:review_list_rank": Case(REVIEWERS, list_objects, method="post", ok=400),
    "api:review_list_notice": Case(REVIEWERS, list_objects, method="post", ok=400),
    "api:review_list_send": Case(REVIEWERS, list_objects, method="post", ok=400),
    "api:review_list_objections": Case(LIST_VIEWERS, list_objects),
    "api:objection_handle": Case(REVIEWERS, objection_objects, method="post", ok=400),
    "api:expert_assignment_list": Case(EXPERTS),
    "api:expert_score": Case(EXPERTS, assignment_objects, method="post", ok=400),
    "api:panel_results": Case(EXPERT_MANAGERS, panel_objects),
    "api:report_list": Case(APPLICANTS | REVIEWERS),
    "api:report_detail": Case(APPLICANTS | REVIEWERS, job_objects),
    "api:report_file": Case(APPLICANTS | REVIEWERS, job_objects),
    "projects:list": Case(PROJECT_VIEWERS),
    "projects:charts": Case(REVIEWERS),
    "projects:detail": Case(PROJECT_VIEWERS, project_objects),
    "projects:schedule": Case(PROJECT_VIEWERS, project_objects),
    "projects:stage_add": Case(APPLICANTS, project_objects, method="post", ok=302),
    "projects:milestone_add": Case(APPLICANTS, project_objects, method="post", ok=302),
    "projects:milestone_done": Case(APPLICANTS, _projects("milestone_pk"), method="post", ok=302),
    "projects:milestone_remove": Case(APPLICANTS, _projects("milestone_pk"), method="post", ok=302),
    "projects:stage_remove": Case(APPLICANTS, _projects("stage_pk"), method="post", ok=302),
    "projects:implementation": Case(PROJECT_VIEWERS, project_objects),
    "projects:implementation_review": Case(DECIDERS, _projects("version_pk"), method="post", ok=302),
    "projects:file": Case(PROJECT_VIEWERS, _projects("file_pk")),
    "projects:reports": Case(PROJECT_VIEWERS, project_objects),
    "projects:report_file": Case(APPLICANTS, _projects("report_pk"), method="post", ok=302),
    "projects:report_review": Case(DECIDERS, _projects("report_pk"), method="post", ok=302),
    "budgets:plan": Case(PROJECT_VIEWERS, project_objects),
    "budgets:plan_submit": Case(APPLICANTS, project_objects, method="post", ok=302),
    "budgets:plan_decide": Case(DECIDERS, project_objects, method="post", ok=302),
    "budgets:adjustment_request": Case(APPLICANTS, project_objects, method="post", ok=302),
    "budgets:adjustment_decide": Case(DECIDERS, _projects("adjustment_pk"), method="post", ok=302),
    "budgets:spending": Case(PROJECT_VIEWERS, project_objects),
    "budgets:voucher": Case(PROJECT_VIEWERS, _projects("expenditure_pk")),
    "budgets:tasks": Case(PROJECT_VIEWERS, project_objects),
    "budgets:task_done": Case(APPLICANTS, _projects("task_pk"), method="post", ok=302),
    "budgets:task_remove": Case(APPLICANTS, _projects("task_pk"), method="post", ok=302),
    "evaluation:indicators": Case(PROJECT_VIEWERS, project_objects),
    "schools:training": Case(TRAINING_VIEWERS, training_pair()),
    "schools:group_sheet": Case(TRAINING_VIEWERS, training_pair("group_pk")),
    "schools:teacher_sheet": Case(TRAINING_VIEWERS, training_pair("teacher_pk")),
    "schools:remove": Case(frozenset({Role.SCHOOL_APPLICANT}), training_pair("kind", "row_pk"), method="post", ok=302),
    "schools:summary": Case(REVIEWERS),
    "schools:devplan": Case(TRAINING_VIEWERS, training_pair()),
    # No version number in the body: refused (400) after scope (404) and the power to edit (403).
    "schools:devplan_autosave": Case(
        frozenset({Role.SCHOOL_APPLICANT}), training_pair(), method="post", ok=400, anonymous=401
    ),
    "schools:devplan_version": Case(TRAINING_VIEWERS, training_pair("number")),
    "schools:devplan_upload": Case(frozenset({Role.SCHOOL_APPLICANT}), training_pair(), method="post", ok=302),
    # Experts read the files of the plans they guide (a1's, not b1's).
    "schools:devplan_file": Case(TRAINING_VIEWERS | EXPERTS, training_pair("file_pk")),
    "schools:devplan_file_remove": Case(
        frozenset({Role.SCHOOL_APPLICANT}), training_pair("file_pk"), method="post", ok=302
    ),
    "schools:guidance_assign": Case(
        frozenset({Role.CITY_REVIEWER, Role.PROVINCE_ADMIN}), training_pair(), method="post", ok=302
    ),
    "schools:guidance_list": Case(REVIEWERS | EXPERTS),
    "schools:guidance": Case(REVIEWERS | EXPERTS, guidance_objects),
    "schools:ability_points": Case(ALL),
    "evaluation:indicator_add": Case(APPLICANTS, project_objects, method="post", ok=302),
    "evaluation:indicator_actual": Case(APPLICANTS, _projects("indicator_pk"), method="post", ok=302),
    "evaluation:indicator_verdict": Case(DECIDERS, _projects("indicator_pk"), method="post", ok=302),
    "evaluation:project": Case(PROJECT_VIEWERS, project_objects),
    # Empty opinions are refused with a message (302) after scope (404) and the power to act (403).
    "evaluation:extension_recommend": Case(DECIDERS, _projects("extension_pk"), method="post", ok=302),
    "evaluation:extension_decide": Case(MANAGERS, _projects("extension_pk"), method="post", ok=302),
    "evaluation:monthly_project": Case(PROJECT_VIEWERS, project_objects),
    "evaluation:showcase_project": Case(PROJECT_VIEWERS, project_objects),
    "evaluation:monthly": Case(REVIEWERS),
    "evaluation:showcase_manage": Case(MANAGERS),
    # No action posted: the item is marked 未入选 (302), after scope (404) and the power to select (403).
    "evaluation:showcase_select": Case(MANAGERS, showcase_objects, method="post", ok=302),
    "evaluation:public_showcase": Case(PUBLIC),
    "evaluation:public_showcase_file": Case(PUBLIC, public_showcase_file),
    "evaluation:rounds": Case(EVALUATION_VIEWERS),
    "evaluation:round_create": Case(MANAGERS),
    "evaluation:tasks": Case(EXPERTS),
    "evaluation:round": Case(EVALUATION_VIEWERS, evaluation_round_objects),
    "evaluation:standards_file": Case(EVALUATION_VIEWERS, evaluation_round_objects),
    "evaluation:round_assign": Case(MANAGERS, evaluation_round_objects, method="post", ok=302),
    "evaluation:round_publish": Case(MANAGERS, evaluation_round_objects, method="post", ok=302),
    "evaluation:round_apply": Case(EVALUATION_VIEWERS, evaluation_round_objects, method="post", ok=302),
    "evaluation:entry": Case(EVALUATION_VIEWERS, evaluation_entry_objects),
    # No version number in the body: refused (400) after scope (404) and the power to edit (403).
    "evaluation:entry_autosave": Case(APPLICANTS, evaluation_entry_objects, method="post", ok=400, anonymous=401),
    # a1's self-evaluation awaits the county: only the county may sign (an empty opinion: a message, 302).
    # No file posted: a message (302), after scope (404) and the power to edit (403).
    "evaluation:entry_upload": Case(APPLICANTS, evaluation_entry_objects, method="post", ok=302),
    "evaluation:entry_file": Case(EVALUATION_VIEWERS, evaluation_file_objects),
    "evaluation:entry_file_remove": Case(APPLICANTS, evaluation_file_objects, method="post", ok=302),
    "evaluation:opinion": Case(frozenset({Role.COUNTY_REVIEWER}), evaluation_entry_objects, method="post", ok=302),
    "evaluation:score": Case(EXPERTS, evaluation_entry_objects),
    # No reason given: refused with a message (302) after scope (404); experts only (403).
    "evaluation:conflict": Case(EXPERTS, evaluation_entry_objects, method="post", ok=302),
    "evaluation:assign_one": Case(MANAGERS, evaluation_entry_objects, method="post", ok=302),
    "evaluation:sign": Case(EXPERTS, evaluation_entry_objects, method="post", ok=302),
    "evaluation:decide": Case(MANAGERS, evaluation_entry_objects, method="post", ok=302),
    "evaluation:rectification_file": Case(APPLICANTS, evaluation_rectification_objects, method="post", ok=302),
    "evaluation:rectification_review": Case(MANAGERS, evaluation_rectification_objects, method="post", ok=302),
    "evaluation:public_rounds": Case(PUBLIC),
    "evaluation:public_round": Case(PUBLIC, evaluation_public_round),
    "approved_projects": Case(PUBLIC, approved_list_objects),
    "api:project_list": Case(PROJECT_VIEWERS),
    "api:project_detail": Case(PROJECT_VIEWERS, project_objects),
    "api:project_plan": Case(PROJECT_VIEWERS, project_objects),
    "api:project_plan_submit": Case(APPLICANTS, project_objects, method="post", ok=400),
    "api:project_adjustments": Case(APPLICANTS, project_objects, method="post", ok=400),
    "api:project_expenditures": Case(PROJECT_VIEWERS, project_objects),
    "api:project_schedule": Case(PROJECT_VIEWERS, project_objects),
    "api:project_tasks": Case(PROJECT_VIEWERS, project_objects),
    "api:project_training": Case(TRAINING_VIEWERS, training_pair()),
    "api:project_training_results": Case(TRAINING_VIEWERS, training_pair()),
    # An empty body is refused (400) only after scope (404 outside) and the power to edit (403).
    "api:project_training_scores": Case(frozenset({Role.SCHOOL_APPLICANT}), training_pair(), method="post", ok=400),
    "api:ability_point_list": Case(ALL),
    "api:project_devplan": Case(TRAINING_VIEWERS, training_pair()),
    # An empty body is refused (400) only after scope (404 outside) and the power to edit (403).
    "api:project_devplan_submit": Case(frozenset({Role.SCHOOL_APPLICANT}), training_pair(), method="post", ok=400),
    "api:guidance_list": Case(REVIEWERS | EXPERTS),
    "api:guidance_detail": Case(REVIEWERS | EXPERTS, guidance_objects),
    # The walk's expert leads a1's guidance, which has no summary yet: signing is refused with the reason.
    "api:guidance_sign": Case(EXPERTS, guidance_objects, method="post", ok=400),
    "api:project_indicators": Case(PROJECT_VIEWERS, project_objects),
    "api:project_indicator_actual": Case(APPLICANTS, _projects("indicator_pk"), method="post", ok=400),
    "api:project_reports": Case(PROJECT_VIEWERS, project_objects),
    "api:project_extensions": Case(PROJECT_VIEWERS, project_objects),
    # Empty bodies are refused (400) after scope (404); who may act is the service's check (403).
    "api:project_extension_action": Case(PROJECT_VIEWERS, _projects("extension_pk"), method="post", ok=400),
    "api:project_monthly_reports": Case(PROJECT_VIEWERS, project_objects),
    "api:project_showcase": Case(PROJECT_VIEWERS, project_objects),
    "api:evaluation_round_list": Case(EVALUATION_VIEWERS),
    "api:evaluation_round_detail": Case(EVALUATION_VIEWERS, evaluation_round_objects),
    "api:evaluation_round_apply": Case(EVALUATION_VIEWERS, evaluation_round_objects, method="post", ok=400),
    "api:evaluation_entry": Case(EVALUATION_VIEWERS, evaluation_entry_objects),
    "api:evaluation_entry_submit": Case(EVALUATION_VIEWERS, evaluation_entry_objects, method="post", ok=400),
    "api:evaluation_entry_opinion": Case(EVALUATION_VIEWERS, evaluation_entry_objects, method="post", ok=400),
    "api:evaluation_entry_score": Case(EXPERTS, evaluation_entry_objects),
    "api:evaluation_entry_sign": Case(EXPERTS, evaluation_entry_objects, method="post", ok=400),
    "api:evaluation_entry_decision": Case(MANAGERS, evaluation_entry_objects, method="post", ok=400),
    "api:evaluation_rectification": Case(EVALUATION_VIEWERS, evaluation_rectification_objects, method="post", ok=400),
    "api:showcase_list": Case(ALL),
    "api:project_report_file": Case(APPLICANTS, _projects("report_pk"), method="post", ok=400),
    "formspec:list": Case(ALL),
    "formspec:import": Case(frozenset({Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})),  # those who open calls
    "formspec:detail": Case(ALL, form_objects),
    "formspec:export": Case(ALL, form_objects),
    "formspec:compare": Case(ALL, form_key),
    "formspec:derive": Case(FORM_PUBLISHERS, form_objects, method="post", ok=302),
    "formspec:draft": Case(FORM_PUBLISHERS, form_draft_objects),
    "formspec:draft_save": Case(FORM_PUBLISHERS, form_draft_objects, method="post", ok=400),  # no JSON body
    "formspec:draft_preview": Case(FORM_PUBLISHERS, form_draft_objects),
    "formspec:draft_pdf": Case(FORM_PUBLISHERS, form_draft_objects),
    "formspec:draft_publish": Case(FORM_PUBLISHERS, form_draft_objects, method="post", ok=302),
    "formspec:draft_discard": Case(FORM_PUBLISHERS, form_draft_objects, method="post", ok=302),
    "api:form_list": Case(ALL),
    "api:form_detail": Case(ALL, form_objects),
    "api:schema": Case(ALL),
    "api:docs": Case(ALL, anonymous=302),  # a page for people: sign in first (login redirect)
    "api:token": Case(PUBLIC, method="post", ok=400),  # empty body: a validation error, not a 403
    "api:me": Case(ALL),
    "api:my_tokens": Case(ALL),
    "api:my_token_revoke": Case(ALL, token_objects, method="delete", ok=204),
    "api:organisation_list": Case(ALL),
    "api:organisation_detail": Case(ALL, org_objects),
    "api:user_list": Case(OVERSEERS),
    "api:user_detail": Case(OVERSEERS, user_objects),
}


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name"
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_is_covered():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(SPEC) == set(), "URLs without a permission case in SPEC"
    assert set(SPEC) - names == set(), "SPEC names URLs that no longer exist"


def _request(client, case, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    return getattr(client, case.method)(url)


@pytest.mark.parametrize("name", sorted(SPEC))
def test_anonymous_is_sent_to_login_or_refused(client, tree, name):
    case = SPEC[name]
    kwargs = case.objects(tree, Role.PROVINCE_ADMIN)[0] if case.objects else None
    response = _request(client, case, name, kwargs)
    if case.allowed == PUBLIC:
        assert response.status_code in {200, 302, 400}
    elif case.anonymous is not None:
        assert response.status_code == case.anonymous
    elif name.startswith("api:"):
        assert response.status_code == 401 and response["WWW-Authenticate"] == 'Token realm="api"'
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(SPEC))
def test_role_inside_and_outside_scope(client, tree, role_users, name, role):
    case = SPEC[name]
    client.force_login(role_users[role])
    inside, outside = case.objects(tree, role) if case.objects else (None, None)
    allowed = case.allowed == PUBLIC or role in case.allowed
    response = _request(client, case, name, inside)
    expected = case.ok if allowed else 403
    if expected is None:  # the page answers 200, or redirects a submitted application to its view
        assert response.status_code in {200, 302}, f"{name} as {role} in scope"
    else:
        assert response.status_code == expected, f"{name} as {role} in scope"
    if outside is not None and allowed and case.allowed != PUBLIC:
        client.force_login(role_users[role])  # logout cases end the session
        response = _request(client, case, name, outside)
        assert response.status_code == 404, f"{name} as {role} outside scope"
