"""The demo pilot school's 校本研修与考核方案 (fixtures/projects/xiangtou-training.json): its text and
calendar as in the seed, its 科组 with their ability points, a few teachers, and realistic scores for
three 科组 and three teachers, written through the same services as the pages. Idempotent."""
from __future__ import annotations

from schools import services


def load_demo_training(project, data: dict, actor) -> None:
    plan = services.plan_of(project)
    if plan.groups.exists():
        return
    plan = services.save_plan(actor=actor, project=project, expected_version=plan.lock_version,
                              data={"goals": data["goals"], "tasks": data["tasks"], "cap_rule": data["cap_rule"]})
    groups = {row["name"]: services.save_group(actor=actor, plan=plan, data=row) for row in data["groups"]}
    teachers = {}
    for row in data["teachers"]:
        teachers[row["name"]] = services.save_teacher(actor=actor, plan=plan,
                                                      data={**row, "group": str(groups[row["group"]].pk)})
    for row in data["sessions"]:
        services.save_session(actor=actor, plan=plan, data=row)
    for subjects, scores in ((groups, data["group_scores"]), (teachers, data["teacher_scores"])):
        for name, rows in scores.items():
            services.record_scores(actor=actor, plan=plan, subject=subjects[name],
                                   rows={int(number): row for number, row in rows.items()})
