from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.orgs.importing.service import import_file
from portal.orgs.models import User


class Command(BaseCommand):
    help = "从 Excel（.xlsx）或 CSV 文件批量导入机构与用户账户：逐行校验，有错误时不写入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="导入文件路径（.xlsx 或 .csv）")
        parser.add_argument("--as", dest="username", help="以该管理员身份导入（受其管辖范围限制）；缺省为系统身份")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"账户不存在或已停用：{options['username']}")
        report = import_file(actor=actor, name=path.name, data=path.read_bytes(), dry_run=options["dry_run"])
        if not report.ok:
            for error in report.errors:
                where = f"{error.sheet} 第 {error.row} 行 {error.column}" if error.row else "文件"
                self.stderr.write(f"{where}：{error.message}")
            raise CommandError(f"导入未执行：共 {len(report.errors)} 处错误，未写入任何数据。")
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"校验通过：{report.rows} 行，未写入（--dry-run）。"))
            return
        r = report.result
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：机构新增 {r.orgs_created}、更新 {r.orgs_updated}、未变 {r.orgs_unchanged}；"
                f"账户新增 {r.users_created}、更新 {r.users_updated}、未变 {r.users_unchanged}。"
            )
        )
