"""The demo pilot school's 校本研修与考核方案 (fixtures/projects/xiangtou-training.json): its text and
calendar as in the seed, its 科组 with their ability points, a few teachers, and realistic scores for
three 科组 and three teachers, written through the same services as the pages. Idempotent."""

from __future__ import annotations

from schools import services


def load_demo_training(project, data: dict, actor) -> None:
    plan = services.plan_of(project)
    if plan.groups.exists():
        return
    plan = services.save_plan(
        actor=actor,
        project=project,
        expected_version=plan.lock_version,
        data={"goals": data["goals"], "tasks": data["tasks"], "cap_rule": data["cap_rule"]},
    )
    groups = {row["name"]: services.save_group(actor=actor, plan=plan, data=row) for row in data["groups"]}
    teachers = {}
    for row in data["teachers"]:
        teachers[row["name"]] = services.save_teacher(
            actor=actor, plan=plan, data={**row, "group": str(groups[row["group"]].pk)}
        )
    for row in data["sessions"]:
        services.save_session(actor=actor, plan=plan, data=row)
    for subjects, scores in ((groups, data["group_scores"]), (teachers, data["teacher_scores"])):
        for name, rows in scores.items():
            services.record_scores(
                actor=actor, plan=plan, subject=subjects[name], rows={int(number): row for number, row in rows.items()}
            )


def _raw(definition: dict, values: dict) -> dict:
    """Typed fixture values as a browser posts them (a table's cells as name__row__column)."""
    raw = {}
    for name, value in values.items():
        if definition["fields"][name]["kind"] == "rows":
            for i, row in enumerate(value):
                raw.update({f"{name}__{i}__{key}": cell for key, cell in row.items()})
        else:
            raw[name] = value
    return raw


def load_demo_devplan(project, data: dict, actor) -> None:
    """The school's 发展规划 (version 1), the experts' guidance on it, signed, and the school's revised
    version 2 answering it — written through the pages' services. Idempotent."""
    import json

    from portal.core.fixtures import dated
    from portal.experts.models import Expert
    from portal.orgs.models import User
    from schools import devplans, guidance

    plan = devplans.plan_of(project)
    if plan.version_count:
        return
    data = json.loads(dated(json.dumps(data, ensure_ascii=False), project.starts_on.year))
    definition = plan.schema.definition
    plan = devplans.save_draft(
        actor=actor, plan=plan, raw=_raw(definition, data["values"]), expected_version=plan.lock_version
    )
    devplans.submit(actor=actor, plan=plan)
    spec = data["guidance"]
    experts = {u: Expert.objects.get(user__username=u) for u in [spec["leader"], *spec["members"]]}
    given = guidance.assign(
        actor=User.objects.get(username=spec["assigned_by"]),
        plan=plan,
        leader=experts[spec["leader"]],
        members=[experts[m] for m in spec["members"]],
    )
    for username, note in spec["notes"].items():
        given = guidance.write_note(actor=experts[username].user, guidance=given, text=note)
    leader = experts[spec["leader"]].user
    given = guidance.save_summary(
        actor=leader, guidance=given, summary=spec["summary"], expected_version=given.lock_version
    )
    guidance.sign(actor=leader, guidance=given)
    plan.refresh_from_db()
    plan = devplans.save_draft(
        actor=actor, plan=plan, raw=_raw(definition, data["revision"]), expected_version=plan.lock_version
    )
    devplans.submit(actor=actor, plan=plan)
