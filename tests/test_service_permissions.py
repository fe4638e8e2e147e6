"""The services walk: who may call each service that changes the state of a project after 立项 (budgets,
schedules, indicators, evaluation, the school's documents, reports) or publishes a form. The URL walk
checks the pages; this walks the writes themselves, so that a page, an API view or a task that forgets
its own check still cannot do what the service refuses.

Every such service (a public function with a keyword-only `actor`, in the modules below) has a row in
SERVICES: the actors that may call it on an object inside their reach (a1, 南宁市兴宁区实验小学, in the
Guangxi call) and on the same kind of object outside it (山西, in a Shanxi call). Every other actor is
refused with PermissionError (or Http404/PermissionDenied). A service added without a row fails
`test_every_service_has_a_row`.

An allowed call may still be refused for its content or state (a ServiceError): the walk asks only
whether the actor may act, and each call runs in a savepoint that is rolled back, so every actor meets
the same state."""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from tests.factories import make_user
from tests.fixtures.projects import make_project

# The modules whose actor-taking functions are the second half's writes, and the form publisher.
SERVICE_MODULES = [
    "budgets.services.plans",
    "budgets.services.schedule",
    "budgets.services.spending",
    "budgets.services.common",
    "evaluation.extensions",
    "evaluation.monthly",
    "evaluation.outcomes",
    "evaluation.panel",
    "evaluation.rounds",
    "evaluation.selfeval",
    "evaluation.services",
    "evaluation.showcase",
    "schools.devplans",
    "schools.guidance",
    "schools.services",
    "portal.projects.filing",
    "portal.projects.services",
    "portal.formspec.drafts",
    "portal.formspec.services",
]
# Helpers that take an actor only to record it, for a caller that has already checked it.
NOT_SERVICES = {"budgets.services.common.audit_change"}

SCHOOL, BUREAU, COUNTY, CITY = Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT, Role.COUNTY_REVIEWER, Role.CITY_REVIEWER
PROVINCE, MINISTRY, EXPERT = Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER, Role.EXPERT
# Experts by their part: the round's (and the guidance's) leader, an expert assigned to the entry or
# on the guiding panel, and one in the pool with no part in it.
LEADER, ASSIGNED, BYSTANDER = "leader", "assigned", "bystander"
ACTORS = [*Role.values, LEADER, ASSIGNED, BYSTANDER]
REFUSED = (PermissionError, PermissionDenied, Http404)


class World:
    """The objects of one test, inside (a1 in the Guangxi call) and outside (a school in a Shanxi call),
    made as a row asks for them."""

    def __init__(self, tree, role_users, calls, experts):
        self.t, self.users, self.calls, self.experts = tree, role_users, calls, experts
        self.actors = {**role_users, LEADER: experts.huang.user, ASSIGNED: experts.lu.user, BYSTANDER: experts.qin.user}

    @cached_property
    def shanxi_call(self):
        from portal.programmes.demo import guangxi_config
        from portal.programmes.services.calls import save_call

        config = guangxi_config(timezone.now() - timedelta(days=1), None)
        config.values = {**config.values, "title": "山西批次", "document_number": "晋教〔2026〕1号"}
        return save_call(actor=self.runner_of_province, config=config)

    @cached_property
    def runner_of_province(self):
        return make_user(PROVINCE, self.t.other_province, username="sx_province")

    @cached_property
    def shanxi_expert(self):
        from portal.experts.models import Expert

        return Expert.objects.create(
            user=make_user(EXPERT, self.t.other_school, username="sx_expert"), field="x", province=self.t.other_province
        )

    @cached_property
    def furnished(self) -> dict:
        from tests.projects.walk import _furnish

        self.calls.guangxi.__class__.objects.filter(pk=self.calls.guangxi.pk).update(monthly_pilot_reports=True)
        inside = make_project(self.calls.guangxi, self.t.school_a1, title="兴宁区实验小学项目")
        self.shanxi_call.__class__.objects.filter(pk=self.shanxi_call.pk).update(monthly_pilot_reports=True)
        outside = make_project(self.shanxi_call, self.t.other_school, title="小店区实验小学项目")
        return {"in": {"project": inside, **_furnish(inside)}, "out": {"project": outside, **_furnish(outside)}}

    def project(self, where):
        from portal.programmes.models import Project

        return Project.objects.select_related("call", "organisation__parent").get(pk=self.furnished[where]["pk"])

    def get(self, model, where, key):
        return model.objects.get(pk=self.furnished[where][key])

    # ---- budgets ----
    def plan(self, where):
        from budgets.models import SpendingPlan

        return SpendingPlan.objects.select_related("project").get(project=self.project(where))

    def submitted_plan(self, where):
        plan = self.plan(where)
        type(plan).objects.filter(pk=plan.pk).update(status="submitted")
        return self.plan(where)

    # ---- evaluation ----
    def round(self, where):
        return self._rounds[where]

    @cached_property
    def _rounds(self) -> dict:
        from evaluation.models import EvaluationRound, RoundCriterion

        made = {}
        for where, call, leader, members in (
            ("in", self.calls.guangxi, self.experts.huang, [self.experts.huang, self.experts.lu, self.experts.qin]),
            ("out", self.shanxi_call, self.shanxi_expert, [self.shanxi_expert]),
        ):
            now = timezone.now()
            round_ = EvaluationRound.objects.create(
                call=call,
                organisation=call.organisation,
                kind="midterm",
                title="中期评估",
                selection="chosen",
                leader=leader,
                self_due_at=now + timedelta(days=10),
                review_due_at=now + timedelta(days=20),
                experts_per_project=1,
            )
            round_.members.set(members)
            RoundCriterion.objects.create(round=round_, number=1, title="实施进展", max_points=100)
            made[where] = round_
        return made

    def acceptance_round(self, where):
        from evaluation.models import EvaluationRound

        round_ = self.round(where)
        EvaluationRound.objects.filter(pk=round_.pk).update(kind="acceptance", selection="applied")
        return EvaluationRound.objects.get(pk=round_.pk)

    def entry(self, where, **state):
        from evaluation.models import RoundEntry

        entry, _ = RoundEntry.objects.get_or_create(round=self.round(where), project=self.project(where))
        if state:
            RoundEntry.objects.filter(pk=entry.pk).update(**state)
        return RoundEntry.objects.select_related("round", "project__organisation").get(pk=entry.pk)

    def sheet(self, where):
        from evaluation.models import EvaluationScore

        expert = self.experts.lu if where == "in" else self.shanxi_expert
        entry = self.entry(where, status="filed")
        return EvaluationScore.objects.select_related("expert", "entry__round").get_or_create(
            entry=entry, expert=expert
        )[0]

    def rectification(self, where, status="due"):
        from evaluation.models import Decision, Rectification

        entry = self.entry(where, status="decided", outcome="rectify")
        decision = Decision.objects.create(
            entry=entry,
            number=1,
            outcome="rectify",
            reasons="x",
            rectify_by=timezone.localdate() + timedelta(days=30),
            rectify_items=["x"],
            decided_at=timezone.now(),
        )
        return Rectification.objects.select_related("entry__round", "entry__project").get(
            pk=Rectification.objects.create(
                decision=decision,
                entry=entry,
                due_on=decision.rectify_by,
                status=status,
                report="已整改。" if status == "filed" else "",
            ).pk
        )

    def extension(self, where, status):
        from evaluation.models import Extension

        extension = self.get(Extension, where, "extension_pk")
        Extension.objects.filter(pk=extension.pk).update(status=status)
        return Extension.objects.select_related("project__call").get(pk=extension.pk)

    def evaluation_file(self, where):
        from evaluation.models import EvaluationFile
        from portal.core import files
        from portal.core.samples import blank_pdf

        stored, digest = files.store(blank_pdf())
        return EvaluationFile.objects.create(
            entry=self.entry(where),
            original_name="成果.pdf",
            stored_name=stored,
            content_type="application/pdf",
            size=1,
            sha256=digest,
        )

    def showcase_item(self, where):
        from evaluation.models import ShowcaseItem

        return ShowcaseItem.objects.create(
            project=self.project(where), title="典型案例", category="case", stage="小学", subject="数学", summary="简介"
        )

    # ---- schools ----
    def devplan(self, where):
        from schools import devplans

        return devplans.plan_of(self.project(where))

    def devplan_file(self, where):
        from portal.core import files
        from portal.core.samples import blank_pdf
        from schools.models import DevelopmentPlanFile

        stored, digest = files.store(blank_pdf())
        return DevelopmentPlanFile.objects.create(
            plan=self.devplan(where),
            original_name="附件.pdf",
            stored_name=stored,
            content_type="application/pdf",
            size=1,
            sha256=digest,
        )

    def guidance(self, where):
        from schools.models import DevelopmentPlanVersion, Guidance

        plan = self.devplan(where)
        version = DevelopmentPlanVersion.objects.create(
            plan=plan,
            number=1,
            schema=plan.schema,
            content={"values": {}},
            sha256="0" * 64,
            submitted_at=timezone.now(),
        )
        leader, members = (self.experts.huang, [self.experts.lu]) if where == "in" else (self.shanxi_expert, [])
        made = Guidance.objects.create(plan=plan, version=version, leader=leader)
        made.members.set(members)
        return made

    def training(self, where):
        from schools import services

        return services.plan_of(self.project(where))

    def group(self, where):
        from schools.models import SubjectGroup

        return SubjectGroup.objects.create(plan=self.training(where), name="语文科", responsible="陈艳平")

    def teacher(self, where):
        from schools.models import Teacher

        return Teacher.objects.create(plan=self.training(where), name="陈艳平", group=self.group(where))

    def session(self, where):
        from schools.models import TrainingSession

        return TrainingSession.objects.create(
            plan=self.training(where),
            number=1,
            when="9月",
            content="信息化教学",
            host="陈艳平",
            participants="全体教师",
            form="讲座",
            place="会议室",
        )

    # ---- forms ----
    @cached_property
    def forms(self) -> dict:
        """A published form and a draft of each province: Guangxi's (inside), Shanxi's (outside)."""
        from portal.formspec import drafts, services
        from portal.formspec.registry import latest

        out = {}
        for where, admin, key in (
            ("in", self.users[PROVINCE], "p450000_school"),
            ("out", self.runner_of_province, "p140000_school"),
        ):
            definition = {**copy.deepcopy(latest("guangxi_school")), "key": key, "version": 1}
            schema = services.publish(actor=admin, definition=definition)
            out[where] = {"schema": schema, "draft": drafts.derive(actor=admin, key=key, version=1)}
        return out

    def draft(self, where):
        from portal.formspec.models import FormDraft

        return FormDraft.objects.get(pk=self.forms[where]["draft"].pk)

    def definition(self):
        from portal.formspec.registry import latest

        return {**copy.deepcopy(latest("guangxi_school")), "key": "walk_form", "version": 1}


@dataclass
class Row:
    call: Callable[[World, str], dict]  # (world, "in"/"out") → the service's arguments but the actor
    inside: set = field(default_factory=set)  # actors that may call it on the inside object
    outside: set | None = field(default_factory=set)  # … on the outside one (None: the service takes no object)


def _spend(w, where):
    return {"line": w.plan(where).lines.first(), "spent_on": date(2026, 9, 2), "amount": "1", "payee": "专家劳务费"}


SERVICES: dict[str, Row] = {
    # 用款方案, spending, adjustments: the project's own organisation writes; the level above decides.
    "budgets.services.plans.save_plan": Row(
        lambda w, x: {"project": w.project(x), "grant": "100", "source": "x", "rows": [], "expected_version": None},
        {SCHOOL},
    ),
    "budgets.services.plans.submit_plan": Row(lambda w, x: {"plan": w.plan(x), "expected_version": 1}, {SCHOOL}),
    "budgets.services.plans.decide_plan": Row(
        lambda w, x: {"plan": w.submitted_plan(x), "approve": True, "text": "同意。"}, {COUNTY}
    ),
    "budgets.services.plans.request_adjustment": Row(
        lambda w, x: {"plan": w.plan(x), "amounts": {}, "reason": "x"}, {SCHOOL}
    ),
    "budgets.services.plans.decide_adjustment": Row(
        lambda w, x: {
            "adjustment": w.get(_model("budgets.models.Adjustment"), x, "adjustment_pk"),
            "approve": False,
            "text": "不同意。",
        },
        {COUNTY},
    ),
    "budgets.services.spending.record_expenditure": Row(_spend, {SCHOOL}),
    # The staged schedule and the task list.
    "budgets.services.schedule.add_stage": Row(
        lambda w, x: {
            "project": w.project(x),
            "data": {"name": "实施", "starts_on": "2026-09-01", "ends_on": "2027-06-30"},
        },
        {SCHOOL},
    ),
    "budgets.services.schedule.add_milestone": Row(
        lambda w, x: {
            "project": w.project(x),
            "data": {"title": "完成培训", "owner": "教务处", "due_on": "2026-12-31"},
        },
        {SCHOOL},
    ),
    "budgets.services.schedule.complete_milestone": Row(
        lambda w, x: {
            "milestone": w.get(_model("budgets.models.Milestone"), x, "milestone_pk"),
            "done_on": date(2026, 9, 1),
        },
        {SCHOOL},
    ),
    "budgets.services.schedule.save_task": Row(
        lambda w, x: {"project": w.project(x), "data": {"name": "任务"}}, {SCHOOL}
    ),
    "budgets.services.schedule.complete_task": Row(
        lambda w, x: {
            "task": w.get(_model("budgets.models.Task"), x, "task_pk"),
            "done_on": date(2026, 9, 1),
            "evidence": "记录",
        },
        {SCHOOL},
    ),
    "budgets.services.schedule.remove_stage": Row(
        lambda w, x: {"stage": w.get(_model("budgets.models.Stage"), x, "stage_pk")}, {SCHOOL}
    ),
    "budgets.services.schedule.remove_milestone": Row(
        lambda w, x: {"milestone": w.get(_model("budgets.models.Milestone"), x, "milestone_pk")}, {SCHOOL}
    ),
    "budgets.services.schedule.remove_task": Row(
        lambda w, x: {"task": w.get(_model("budgets.models.Task"), x, "task_pk")}, {SCHOOL}
    ),
    # Progress reports and the 实施方案.
    "portal.projects.services.file_report": Row(
        lambda w, x: {
            "report": w.get(_model("portal.projects.models.ProgressReport"), x, "report_pk"),
            "text": "进展。",
        },
        {SCHOOL},
    ),
    "portal.projects.services.review_report": Row(
        lambda w, x: {
            "report": w.get(_model("portal.projects.models.ProgressReport"), x, "report_pk"),
            "action": "waive",
            "comment": "免报。",
        },
        {COUNTY},
    ),
    "portal.projects.filing.file_plan": Row(
        lambda w, x: {"project": w.project(x), "sections": {"goals": "目标"}}, {SCHOOL}
    ),
    "portal.projects.filing.review_plan": Row(
        lambda w, x: {
            "plan": w.get(_model("portal.projects.models.ImplementationPlan"), x, "version_pk"),
            "action": "return",
            "reasons": "请补充。",
        },
        {COUNTY},
    ),
    # Indicators: the project records actuals; the level above judges the qualitative ones.
    "evaluation.services.save_table": Row(
        lambda w, x: {"project": w.project(x), "data": {}, "expected_version": 1}, {SCHOOL}
    ),
    "evaluation.services.add_indicator": Row(
        lambda w, x: {
            "table": _model("evaluation.models.PerformanceTable").objects.get(project=w.project(x)),
            "data": {},
        },
        {SCHOOL},
    ),
    "evaluation.services.record_actual": Row(
        lambda w, x: {"indicator": w.get(_model("evaluation.models.Indicator"), x, "indicator_pk"), "raw": "85"},
        {SCHOOL},
    ),
    "evaluation.services.judge_qualitative": Row(
        lambda w, x: {"indicator": w.get(_model("evaluation.models.Indicator"), x, "indicator_pk"), "met": True},
        {COUNTY},
    ),
    "evaluation.monthly.file_month": Row(
        lambda w, x: {"project": w.project(x), "month": "2026-09", "data": {}}, {SCHOOL}
    ),
    # 延期: asked by the project, recommended by the level above, decided by the call's organiser.
    "evaluation.extensions.request": Row(
        lambda w, x: {"project": w.project(x), "years": 1, "reasons": "x", "schedule": []}, {SCHOOL}
    ),
    "evaluation.extensions.recommend": Row(
        lambda w, x: {"extension": w.extension(x, "requested"), "agree": True, "text": "同意。"}, {COUNTY}
    ),
    "evaluation.extensions.decide": Row(
        lambda w, x: {"extension": w.extension(x, "recommended"), "approve": False, "note": "不予批准。"},
        {PROVINCE, MINISTRY},
        {MINISTRY},
    ),
    # Rounds: opened, assigned, decided and published by the call's organiser (the ministry oversees all).
    "evaluation.rounds.open_round": Row(
        lambda w, x: {
            "call": w.calls.guangxi if x == "in" else w.shanxi_call,
            "kind": "midterm",
            "title": "中期评估",
            "selection": "all",
            "self_due_at": timezone.now() + timedelta(days=10),
            "review_due_at": timezone.now() + timedelta(days=20),
            "criteria": [],
            "leader": None,
            "members": [],
        },
        {PROVINCE, MINISTRY},
        {MINISTRY},
    ),
    "evaluation.panel.assign": Row(lambda w, x: {"round_": w.round(x)}, {PROVINCE, MINISTRY}, {MINISTRY}),
    "evaluation.panel.assign_one": Row(
        lambda w, x: {"entry": w.entry(x, status="filed"), "expert": None}, {PROVINCE, MINISTRY}, {MINISTRY}
    ),
    "evaluation.outcomes.decide": Row(
        lambda w, x: {"entry": w.entry(x, status="scored"), "outcome": "pass", "grade": "优秀"},
        {PROVINCE, MINISTRY},
        {MINISTRY},
    ),
    "evaluation.outcomes.publish": Row(lambda w, x: {"round_": w.round(x)}, {PROVINCE, MINISTRY}, {MINISTRY}),
    "evaluation.outcomes.review_rectification": Row(
        lambda w, x: {"rectification": w.rectification(x, "filed"), "passed": True, "grade": "合格"},
        {PROVINCE, MINISTRY},
        {MINISTRY},
    ),
    "evaluation.showcase.select": Row(
        lambda w, x: {"item": w.showcase_item(x), "selected": True}, {PROVINCE, MINISTRY}, {MINISTRY}
    ),
    # The project's own part of a round.
    "evaluation.outcomes.file_rectification": Row(
        lambda w, x: {"rectification": w.rectification(x), "report": "已整改。"}, {SCHOOL}
    ),
    "evaluation.outcomes.apply_for_acceptance": Row(
        lambda w, x: {"round_": w.acceptance_round(x), "project": w.project(x)}, {SCHOOL}
    ),
    "evaluation.selfeval.save_draft": Row(
        lambda w, x: {"entry": w.entry(x), "raw": {"progress": "进展"}, "expected_version": 1}, {SCHOOL}
    ),
    "evaluation.selfeval.attach": Row(
        lambda w, x: {"entry": w.entry(x), "name": "a.pdf", "data": b"%PDF-1.4"}, {SCHOOL}
    ),
    "evaluation.selfeval.detach": Row(lambda w, x: {"entry": w.entry(x), "file": w.evaluation_file(x)}, {SCHOOL}),
    "evaluation.selfeval.submit": Row(lambda w, x: {"entry": w.entry(x)}, {SCHOOL}),
    "evaluation.showcase.submit": Row(lambda w, x: {"project": w.project(x), "data": {}}, {SCHOOL}),
    # The level whose turn it is signs the self-evaluation (a1's county first).
    "evaluation.selfeval.give_opinion": Row(
        lambda w, x: {"entry": w.entry(x, status="opinions", stage="county"), "agree": True, "text": "同意报送。"},
        {COUNTY},
    ),
    # Experts: only the assigned expert scores or steps aside; only the leader signs.
    "evaluation.panel.save_sheet": Row(
        lambda w, x: {"sheet": w.sheet(x), "points": {}, "comments": {}, "comment": ""}, {ASSIGNED}
    ),
    "evaluation.panel.declare_conflict": Row(
        lambda w, x: {"sheet": w.sheet(x), "reason": "曾参与方案编写"}, {ASSIGNED}
    ),
    "evaluation.panel.sign_opinion": Row(
        lambda w, x: {"entry": w.entry(x, status="filed"), "text": "同意。"}, {LEADER}
    ),
    # The school's 发展规划 and its guidance.
    "schools.devplans.save_draft": Row(lambda w, x: {"plan": w.devplan(x), "raw": {}, "expected_version": 1}, {SCHOOL}),
    "schools.devplans.submit": Row(lambda w, x: {"plan": w.devplan(x)}, {SCHOOL}),
    "schools.devplans.add_file": Row(
        lambda w, x: {"plan": w.devplan(x), "name": "a.pdf", "data": b"%PDF-1.4"}, {SCHOOL}
    ),
    "schools.devplans.remove_file": Row(lambda w, x: {"file": w.devplan_file(x)}, {SCHOOL}),
    "schools.guidance.assign": Row(
        lambda w, x: {"plan": w.devplan(x), "leader": None, "members": []}, {CITY, PROVINCE}
    ),
    "schools.guidance.write_note": Row(lambda w, x: {"guidance": w.guidance(x), "text": "建议。"}, {LEADER, ASSIGNED}),
    "schools.guidance.save_summary": Row(
        lambda w, x: {"guidance": w.guidance(x), "summary": "汇总。", "expected_version": 1}, {LEADER}
    ),
    "schools.guidance.sign": Row(lambda w, x: {"guidance": w.guidance(x)}, {LEADER}),
    # The school's 校本研修与考核方案.
    "schools.services.save_plan": Row(
        lambda w, x: {"project": w.project(x), "data": {}, "expected_version": 1}, {SCHOOL}
    ),
    "schools.services.save_group": Row(lambda w, x: {"plan": w.training(x), "data": {}}, {SCHOOL}),
    "schools.services.remove_group": Row(lambda w, x: {"group": w.group(x)}, {SCHOOL}),
    "schools.services.save_teacher": Row(lambda w, x: {"plan": w.training(x), "data": {}}, {SCHOOL}),
    "schools.services.remove_teacher": Row(lambda w, x: {"teacher": w.teacher(x)}, {SCHOOL}),
    "schools.services.save_session": Row(lambda w, x: {"plan": w.training(x), "data": {}}, {SCHOOL}),
    "schools.services.remove_session": Row(lambda w, x: {"session": w.session(x)}, {SCHOOL}),
    "schools.services.record_scores": Row(
        lambda w, x: {"plan": w.training(x), "subject": w.group(x), "rows": {}}, {SCHOOL}
    ),
    # Forms: a province publishes and edits its own; the ministry the national ones.
    "portal.formspec.services.publish": Row(lambda w, x: {"definition": w.definition()}, {PROVINCE, MINISTRY}, None),
    "portal.formspec.drafts.import_draft": Row(
        lambda w, x: {"definition": w.definition(), "name": "a.json"}, {PROVINCE, MINISTRY}, None
    ),
    "portal.formspec.drafts.derive": Row(
        lambda w, x: {"key": w.forms[x]["schema"].key, "version": 1}, {PROVINCE, MINISTRY}, {MINISTRY}
    ),
    "portal.formspec.drafts.save": Row(lambda w, x: {"draft": w.draft(x), "definition": {}, "revision": 1}, {PROVINCE}),
    "portal.formspec.drafts.publish": Row(lambda w, x: {"draft": w.draft(x), "revision": 1}, {PROVINCE}),
    "portal.formspec.drafts.discard": Row(lambda w, x: {"draft": w.draft(x)}, {PROVINCE}),
}


def _model(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def discovered() -> set[str]:
    found = set()
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            # mutmut's copies of a function under test (x_<name>__mutmut_<n>) are not services of their own.
            if attr.startswith("_") or "__mutmut" in attr or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            actor = inspect.signature(fn).parameters.get("actor")
            if actor is not None and actor.kind == inspect.Parameter.KEYWORD_ONLY:
                found.add(f"{name}.{attr}")
    return found - NOT_SERVICES


def test_every_service_has_a_row():
    found = discovered()
    assert found - set(SERVICES) == set(), "a service without a row in the services walk"
    assert set(SERVICES) - found == set(), "a row for a service that is gone"


def _outcome(fn, arguments, actor) -> str:
    """'refused', or 'let through' (done, or refused for its content or state only). The objects are made
    inside the savepoint too, so each actor meets them fresh, in memory as in the database."""
    try:
        with transaction.atomic():
            try:
                fn(actor=actor, **arguments())
            finally:
                transaction.set_rollback(True)
    except REFUSED:
        return "refused"
    except ServiceError:
        return "let through"
    return "let through"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_who_may_call_the_service(name, tree, role_users, calls, experts, settings):
    row = SERVICES[name]
    module, attr = name.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), attr)
    world = World(tree, role_users, calls, experts)
    _ = world.furnished, world._rounds, world.forms, world.shanxi_expert  # made once, outside the savepoints
    wrong = []
    for where, allowed in (("in", row.inside), ("out", row.outside)):
        if allowed is None:
            continue
        for actor in ACTORS:
            got = _outcome(fn, lambda where=where: row.call(world, where), world.actors[actor])
            expected = "let through" if actor in allowed else "refused"
            if got != expected:
                wrong.append(f"{actor} on the {where}side object: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)
