import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal.orgs.choices import OrgKind, Ownership, SchoolType
from portal.orgs.models import Organisation
from portal.orgs.services import tree_paths

SCALE_PREFIX = "S"  # scale schools' codes start with S so they never collide with real or demo codes
TYPES = [
    SchoolType.PRIMARY,
    SchoolType.PRIMARY,
    SchoolType.TEACHING_POINT,
    SchoolType.JUNIOR,
    SchoolType.NINE_YEAR,
    SchoolType.SENIOR,
    SchoolType.COMPLETE,
    SchoolType.VOCATIONAL,
]


class Command(BaseCommand):
    help = "生成省级规模的基准数据：在某省各县（区）下批量生成学校（需先执行 load_demo）。"

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20000, help="学校总数（默认 20000）")
        parser.add_argument("--province", default="450000", help="省级行政区划代码（默认广西 450000）")
        parser.add_argument(
            "--within", default="", help="只在该机构（如地级市 450100）下属的县（区）生成学校（页面基准的小数据集用）"
        )
        parser.add_argument(
            "--applications", type=int, default=0, help="另为规模学校在广西演示批次中提交的申请数（用于报表基准）"
        )
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            help="另将广西演示批次中的规模申请立项为实验项目的数量（含用款方案、支出与绩效指标）",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        counties = Organisation.objects.filter(kind=OrgKind.COUNTY, path__contains=f"/{options['province']}/")
        if options["within"]:
            counties = counties.filter(path__contains=f"/{options['within']}/")
        counties = list(counties)
        if not counties:
            raise CommandError("该省没有县级机构，请先执行 python manage.py load_demo。")
        wanted = options["schools"]
        with transaction.atomic():
            existing = set(
                Organisation.objects.filter(
                    code__startswith=SCALE_PREFIX, path__contains=f"/{options['province']}/"
                ).values_list("code", flat=True)
            )
            batch = []
            for index in range(wanted):
                county = counties[index % len(counties)]
                number = index // len(counties) + 1
                code = f"{SCALE_PREFIX}{county.code}{number:05d}"
                if code in existing:
                    continue
                kind_index = index % len(TYPES)
                path, scope = tree_paths(code=code, kind=OrgKind.SCHOOL, parent=county)
                batch.append(
                    Organisation(
                        code=code,
                        name=f"{county.region_name}第{number}学校",
                        kind=OrgKind.SCHOOL,
                        parent=county,
                        path=path,
                        scope_path=scope,
                        division_code=county.division_code,
                        region_name=county.region_name,
                        school_type=TYPES[kind_index],
                        ownership=Ownership.PRIVATE if index % 9 == 0 else Ownership.PUBLIC,
                    )
                )
            Organisation.objects.bulk_create(batch, batch_size=2000)
        total = Organisation.objects.filter(code__startswith=SCALE_PREFIX).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"新增规模学校 {len(batch)} 所（共 {total} 所），用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
        if options["applications"]:
            from portal.programmes.models import Call
            from portal.programmes.scale import seed_applications

            started = time.monotonic()
            made = seed_applications(
                Call.objects.get(document_number="桂教网信〔2023〕23号"), options["applications"], prefix=SCALE_PREFIX
            )
            self.stdout.write(self.style.SUCCESS(f"新增申请 {made} 份，用时 {time.monotonic() - started:.1f} 秒。"))
        if options["projects"]:
            from budgets.scale import seed_projects
            from portal.programmes.models import Call

            started = time.monotonic()
            made = seed_projects(
                Call.objects.get(document_number="桂教网信〔2023〕23号"), options["projects"], prefix=SCALE_PREFIX
            )
            self.stdout.write(self.style.SUCCESS(f"新增实验项目 {made} 个，用时 {time.monotonic() - started:.1f} 秒。"))
        # A bulk load leaves the planner's statistics behind (PostgreSQL's autovacuum catches up only
        # later): without this, it takes a call of 20,000 applications for one of 24 and plans badly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
