"""Objects for the permission walk and the list-contents walk over the schools' pages: a 校本研修与考核
方案 with a 科组, a teacher and a calendar row for each school project of the project walk."""
from __future__ import annotations

from portal.orgs.choices import Role
from schools.models import SubjectGroup, Teacher, TrainingPlan, TrainingSession
from tests.projects.walk import project_set

SCHOOLS = ("a1", "b1", "c1", "shanxi")
OUTSIDE = {Role.SCHOOL_APPLICANT: "b1", Role.COUNTY_REVIEWER: "b1", Role.CITY_REVIEWER: "c1",
           Role.PROVINCE_ADMIN: "shanxi", Role.SYSTEM_ADMIN: "shanxi", Role.MINISTRY_REVIEWER: None,
           Role.BUREAU_APPLICANT: "b1"}


def training_set(t, guangxi) -> dict:
    if hasattr(t, "training_objects"):
        return t.training_objects
    projects = project_set(t, guangxi)
    out = {}
    for key in SCHOOLS:
        plan = TrainingPlan.objects.create(project_id=projects[key]["pk"], goals="目标", tasks="任务")
        group = SubjectGroup.objects.create(plan=plan, name="语文科", points=["G8"], responsible="张老师", number=1)
        teacher = Teacher.objects.create(plan=plan, group=group, name="张老师", phone="13900000000")
        session = TrainingSession.objects.create(plan=plan, number=1, when="2026年9月上旬", content="学习文件",
                                                 host="校长", participants="全体教师", form="讲座", place="会议室")
        out[key] = {"pk": projects[key]["pk"], "group_pk": group.pk, "teacher_pk": teacher.pk,
                    "kind": "session", "row_pk": session.pk}
    t.training_objects = out
    return out


def training_pair(*keys):
    def objects(t, role):
        from tests.test_url_permissions import _programme_objects
        made = training_set(t, _programme_objects(t)["calls"][0])
        pick = lambda o: {k: o[k] for k in ("pk",) + keys}          # noqa: E731
        outside = OUTSIDE.get(role, "shanxi")
        return pick(made["a1"]), pick(made[outside]) if outside else None
    return objects
