"""Projects at scale, for the benchmarks (never for real data): approved applications of a call become
projects, each with an approved three-line plan (the Dongguan 30/10/60 on a 100 万元 grant), two
expenditures and three indicators with actual values. Bulk inserts: 20,000 projects in a minute."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budgets.models import BudgetLine, Expenditure, SpendingPlan
from evaluation.models import Indicator, PerformanceTable
from portal.formspec.registry import schema_for
from portal.programmes.choices import ApplicantKind, Status
from portal.programmes.models import Application, Project

LINES = [
    ("成果编撰出版", "优秀成果编撰劳务费、出版印刷费", Decimal(15), Decimal(2), "本"),
    ("研训交流展示活动", "研训、交流展示活动专家劳务费、专用材料费等", Decimal(1), Decimal(10), "场"),
    ("孵化教学模式", "孵化项目，提炼成果，打造教学模式专家劳务费、专用材料费等", Decimal(6), Decimal(10), "个"),
]
BATCH = 1000


def seed_projects(call, count: int, *, prefix: str = "S") -> int:
    """Makes up to `count` projects in `call` for the scale schools: their applications (made here when
    the school has none in the call) are approved, and each gets its plan, spending and indicators."""
    from portal.orgs.models import Organisation

    have = Project.objects.filter(call=call, organisation__code__startswith=prefix).count()
    wanted = count - have
    if wanted <= 0:
        return 0
    schema = schema_for("guangxi_school")
    with_project = Project.objects.filter(call=call).values("application_id")
    applications = list(
        Application.objects.filter(call=call, applicant__code__startswith=prefix)
        .exclude(pk__in=with_project)
        .order_by("pk")[:wanted]
    )
    now = timezone.now()
    if len(applications) < wanted:
        taken = Application.objects.filter(call=call).values("applicant_id")
        schools = (
            Organisation.objects.filter(code__startswith=prefix, kind="school")
            .exclude(pk__in=taken)
            .order_by("pk")[: wanted - len(applications)]
        )
        applications += Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    applicant=s,
                    applicant_path=s.path,
                    applicant_kind=ApplicantKind.SCHOOL,
                    schema=schema,
                    status=Status.APPROVED,
                    title=f"{s.name}实验",
                    submitted_at=now,
                    version_count=0,
                )
                for s in schools
            ],
            batch_size=BATCH,
        )
    made = 0
    for start in range(0, len(applications), BATCH):
        with transaction.atomic():
            made += _batch(call, applications[start : start + BATCH], now)
    return made


def _batch(call, applications, now) -> int:
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status=Status.APPROVED)
    projects = Project.objects.bulk_create(
        [
            Project(
                application=a,
                call=call,
                organisation_id=a.applicant_id,
                title=a.title or "实验项目",
                approved_at=now,
                starts_on=date(2026, 3, 1),
                ends_on=date(2029, 2, 28),
                contact_name="联络员",
                contact_phone=f"139{a.pk % 100000000:08d}",
            )
            for a in applications
        ]
    )
    plans = SpendingPlan.objects.bulk_create(
        [
            SpendingPlan(
                project=p, grant=Decimal(100), source="规模基准〔2026〕1号", status="approved", approved_at=now
            )
            for p in projects
        ]
    )
    lines = BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                plan=plan,
                number=n,
                category=c,
                purpose=purpose,
                unit_cost=cost,
                quantity=qty,
                unit=unit,
                amount=cost * qty,
            )
            for plan in plans
            for n, (c, purpose, cost, qty, unit) in enumerate(LINES, 1)
        ]
    )
    Expenditure.objects.bulk_create(
        [
            Expenditure(line=line, spent_on=date(2026, 9, 1), amount=Decimal(line.pk % 7 + 1), payee="专家劳务费")
            for line in lines
            if line.number != 3
        ]
    )
    tables = PerformanceTable.objects.bulk_create(
        [
            PerformanceTable(
                project=p,
                name=p.title,
                undertaker="承担单位",
                supervisor="主管部门",
                period="3年",
                content="见用款方案",
                basis="规模基准",
                goal="规模基准数据",
            )
            for p in projects
        ]
    )
    Indicator.objects.bulk_create(
        [
            row
            for t in tables
            for row in (
                Indicator(
                    table=t,
                    number=1,
                    level1="产出指标",
                    level2="数量指标",
                    name="出版专著",
                    kind="quantity",
                    comparator="ge",
                    target_number=2,
                    unit="本",
                    actual_number=t.pk % 3,
                ),
                Indicator(
                    table=t,
                    number=2,
                    level1="满意度指标",
                    level2="服务对象满意度指标",
                    name="学生满意度（%）",
                    kind="percent",
                    comparator="ge",
                    target_number=80,
                    actual_number=75 + t.pk % 10,
                ),
                Indicator(
                    table=t,
                    number=3,
                    level1="产出指标",
                    level2="时效指标",
                    name="项目完成日期",
                    kind="date",
                    target_date=date(2027, 7, 30),
                ),
            )
        ]
    )
    return len(projects)
