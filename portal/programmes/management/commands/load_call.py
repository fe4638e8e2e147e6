from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.core.exceptions import ServiceError
from portal.orgs.models import User
from portal.programmes import callfiles


class Command(BaseCommand):
    help = (
        "从批次文件（JSON，格式见 fixtures/README.md，例如 fixtures/calls/guangxi-2023.json）创建申报批次；"
        "文号已存在时更新该批次。截止时间按文件中“开放后第几天”从开放日算起。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="批次文件路径，或 fixtures/calls/ 下的文件名")
        parser.add_argument("--as", dest="username", required=True, help="以该账户的身份创建（须有开设批次的权限）")
        parser.add_argument("--opens", help="开放日期，YYYY-MM-DD，缺省为今天")

    def handle(self, *args, **options):
        try:
            actor = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"账户“{options['username']}”不存在或已停用。")
        opens_at = timezone.now()
        if options["opens"]:
            try:
                day = datetime.strptime(options["opens"], "%Y-%m-%d").date()
            except ValueError:
                raise CommandError("--opens 须为 YYYY-MM-DD 格式的日期。")
            opens_at = timezone.make_aware(datetime.combine(day, time(9, 0)))
        try:
            call = callfiles.load_call(actor=actor, data=callfiles.read(options["file"]), opens_at=opens_at)
        except (callfiles.CallFileError, ServiceError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"批次已就绪：{call.title}（{call.document_number}），编号 {call.pk}。"))
