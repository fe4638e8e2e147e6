import json

from django.core.management.base import BaseCommand

from portal.experts.demo import load_demo_experts
from portal.notifications.services import email_muted
from portal.orgs.demo import load_demo
from portal.programmes.demo import load_demo_calls
from portal.projects.demo import load_demo_projects
from portal.review.demo import load_demo_reviews


class Command(BaseCommand):
    help = "载入 fixtures/ 中的演示数据（广西、山西、广东的真实行政区划树、示例学校、各角色演示账户，2019 年全国和 2023 年广西两个申报批次，以及一个广东演示批次）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出演示账户")

    def handle(self, *args, **options):
        outcome = load_demo()
        calls = load_demo_calls()
        with email_muted():
            reviews = load_demo_reviews(calls)
            load_demo_experts()
            projects = load_demo_projects()
            from evaluation.demo import load_demo_evaluation

            load_demo_evaluation()
        accounts = outcome["accounts"]
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        result = outcome["result"]
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：新增机构 {result.orgs_created} 个，更新 {result.orgs_updated} 个；"
                f"新增账户 {result.users_created} 个。"
            )
        )
        self.stdout.write("申报批次：" + "；".join(c.title for c in calls))
        if reviews:
            self.stdout.write(f"示例申请：{len(reviews)} 份（待县级、市级审核；东莞的学校不经县级，直接待市级审核）")
        self.stdout.write("实验项目：" + "；".join(p.title for p in projects))
        self.stdout.write("演示账户（密码均为 {}）：".format(accounts[0]["password"]))
        for account in accounts:
            self.stdout.write(
                f"  {account['username']:<14} {account['role_label']:<20} "
                f"{account['name']}  机构代码 {account['organisation_code']}"
            )
