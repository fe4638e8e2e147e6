"""Objects for the permission walk and the list-contents walk over the schools' pages: a 校本研修与考核
方案 with a 科组, a teacher and a calendar row for each school project of the project walk."""

from __future__ import annotations

from portal.orgs.choices import Role
from schools.models import SubjectGroup, Teacher, TrainingPlan, TrainingSession
from tests.projects.walk import project_set

SCHOOLS = ("a1", "b1", "c1", "shanxi")
OUTSIDE = {
    Role.SCHOOL_APPLICANT: "b1",
    Role.COUNTY_REVIEWER: "b1",
    Role.CITY_REVIEWER: "c1",
    Role.PROVINCE_ADMIN: "shanxi",
    Role.SYSTEM_ADMIN: "shanxi",
    Role.MINISTRY_REVIEWER: None,
    Role.BUREAU_APPLICANT: "b1",
}


def training_set(t, guangxi) -> dict:
    if hasattr(t, "training_objects"):
        return t.training_objects
    projects = project_set(t, guangxi)
    out = {}
    for key in SCHOOLS:
        plan = TrainingPlan.objects.create(project_id=projects[key]["pk"], goals="目标", tasks="任务")
        group = SubjectGroup.objects.create(plan=plan, name="语文科", points=["G8"], responsible="张老师", number=1)
        teacher = Teacher.objects.create(plan=plan, group=group, name="张老师", phone="13900000000")
        session = TrainingSession.objects.create(
            plan=plan,
            number=1,
            when="2026年9月上旬",
            content="学习文件",
            host="校长",
            participants="全体教师",
            form="讲座",
            place="会议室",
        )
        out[key] = {
            "pk": projects[key]["pk"],
            "group_pk": group.pk,
            "teacher_pk": teacher.pk,
            "kind": "session",
            "row_pk": session.pk,
            **_devplan(t, plan.project, key),
        }
    t.training_objects = out
    return out


def _devplan(t, project, key) -> dict:
    """A submitted 发展规划 with a file and guidance: the walk's expert leads a1's, a stranger the rest."""
    from portal.core import files
    from portal.experts.models import Expert
    from portal.formspec.registry import schema_for
    from schools.models import DevelopmentPlan, DevelopmentPlanFile, DevelopmentPlanVersion, Guidance
    from tests.test_url_permissions import _expert_objects

    experts = _expert_objects(t)
    schema = schema_for("school_dev_plan")
    plan = DevelopmentPlan.objects.create(project=project, schema=schema, version_count=1)
    stored, digest = files.store(b"%PDF-1.4\n")
    file = DevelopmentPlanFile.objects.create(
        plan=plan,
        original_name="规划附件.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=9,
        sha256=digest,
    )
    version = DevelopmentPlanVersion.objects.create(
        plan=plan,
        number=1,
        schema=schema,
        sha256="0" * 64,
        submitted_at="2026-09-01T00:00:00Z",
        content={
            "values": {"mode": "smart"},
            "computed": {},
            "attachments": [{"id": file.pk, "name": file.original_name, "field": "", "size": 9, "sha256": digest}],
        },
    )
    leader = experts["mine"].expert if key == "a1" else experts["theirs"].expert
    if key == "shanxi":
        leader = Expert.objects.get(pk=experts["shanxi_panel"].leader_id)
    guidance = Guidance.objects.create(plan=plan, version=version, leader=leader)
    guidance.members.set([leader])
    return {"number": 1, "file_pk": file.pk, "gpk": guidance.pk}


def training_pair(*keys):
    def objects(t, role):
        from tests.test_url_permissions import _programme_objects

        made = training_set(t, _programme_objects(t)["calls"][0])
        pick = lambda o: {k: o[k] for k in ("pk",) + keys}  # noqa: E731
        outside = OUTSIDE.get(role, "shanxi")
        return pick(made["a1"]), pick(made[outside]) if outside else None

    return objects


def guidance_pair(t, role):
    """The guidance page: the walk's expert leads a1's and not b1's; overseers stand as for the sheets."""
    from tests.test_url_permissions import _programme_objects

    made = training_set(t, _programme_objects(t)["calls"][0])
    outside = "b1" if role == Role.EXPERT else OUTSIDE.get(role, "shanxi")
    return {"gpk": made["a1"]["gpk"]}, ({"gpk": made[outside]["gpk"]} if outside else None)
