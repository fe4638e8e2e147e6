"""The demo's money and work: the Dongguan zone's 用款方案, 任务清单 and 绩效目标表 exactly as in
its 2021 documents (amounts, lines, stages, task, indicators), approved by the province; and two
other zones, one with an adjustment awaiting approval, one behind schedule. Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from budgets.models import SpendingPlan
from budgets.services import plans, schedule, spending
from evaluation import services as indicators
from portal.orgs.models import User

SOURCE = ("《广东省财政厅关于下达2021年基础教育高质量发展资金（学前教育普及普惠健康发展项目、基础教育信息化融合创新发展项目和"
          "特殊教育项目）的通知》（粤财科教〔2021〕68号）")
GOAL = ("深化“莞式慕课”信息化教学成果应用，推进“基于教学改革、融合信息技术的新型教与学模式”实验区建设，打造在全省乃至全国"
        "示范作用的项目。形成一批具有东莞特色又有在全国推广价值的信息化教学改革成果。")
LINES = [
    {"category": "成果编撰出版", "purpose": "优秀成果编撰劳务费、出版印刷费",
     "explanation": "市级层面成果整理提炼、汇编专家劳务费和出版印刷费拟编撰出版2-3本。",
     "unit_cost": "15", "quantity": "2", "unit": "本"},
    {"category": "研训交流展示活动", "purpose": "研训、交流展示活动专家劳务费、专用材料费等",
     "explanation": "举行研训、交流展示活动8-10场，涵盖小学、初中、高中、学前、特教、中职等学段，每场邀请1-3位专家，"
                    "每场活动半天到一天，平均1万元/场。",
     "unit_cost": "1", "quantity": "10", "unit": "场"},
    {"category": "孵化教学模式", "purpose": "孵化项目，提炼成果，打造教学模式专家劳务费、专用材料费等",
     "explanation": "培育10个左右有潜力、有推广价值、成效较明显的信息化教学模式，平均每个模式分配给负责人所在单位6万元。",
     "unit_cost": "6", "quantity": "10", "unit": "个"},
]
STAGES = [  # the seed's 进度安排: (name, first month, last month, work)
    ("筹备", 7, 8, "遴选实验镇区和实验学校，规划筹备交流展示活动，组建专著编撰团队，规划专著纲要，编撰材料。"),
    ("实施", 9, 11, "结合镇、校教学开放日定期开展信息化教学交流展示活动，在实验区官方网站和众多媒体进行宣传辐射，促进实验镇、"
                   "校之间互相交流学习。确立8—10个成熟有效的信息化教学模式。梳理完善专著资料。"),
    ("总结与推广", 12, 12, "开展科研活动，提炼信息化教学模式。出版专著。"),
]
TASK = {
    "direction": "2021年基础教育高质量发展资金\n（基础教育信息化融合创新发展项目）",
    "name": "国家级“基于教学革、融合信息技术的新型教与学模式”实验区项目",
    "requirement": "落实立德树人根本任务，以学生发展为中心，遵循学生身心发展规律、学习规律、教育规律和信息技术应用规律，探索信息技术、"
                   "智能技术支撑下适应本地区经济社会和教育发展实际需要的教与学模式，推进信息技术与教学深度融合，变革教与学方式，"
                   "提高教育教学质量。",
    "nature": "约束性任务",
    "method": "区域统筹使用：\n一是编撰出版已有优秀成果，示范引领，深化应用，拟安排30万元；二是开展教研活动，建立健全推进机制，"
              "扩大辐射影响，拟安排10万元；三是推进实验，孵化项目，打造优秀信息化教与学模式，拟安排60万元。以上合计100万元。",
    "standard": "（1）市级层面成果整理提炼、汇编，包括专家劳务费和出版印刷费，拟编撰出版2本专著，平均15万元/本，小计30万元。\n"
                "（2）举行研训、交流展示活动8-10场，涵盖小学、初中、高中、学前、特教、中职等学段，每场邀请1-3位专家，每场活动半天到一天，"
                "平均1万元/场，小计10万元。\n（3）培育10个左右有潜力、有推广价值、成效较明显的信息化教学模式，平均每个模式分配给"
                "负责人所在单位6万元，小计60万元。\n以上合计100万元。",
    "workload": "经费下达市、县（市、区）按照国家开展实验区要求制定工作方案并实施，实验结束后达到国家验收标准以上。",
    "deadline": "2-3年", "note": "", "case_type": "政策实施范围", "implementer": "东莞市教育局",
}
HEADER = {
    "name": "东莞市国家级“基于教学革、融合信息技术的新型教与学模式”实验区项目", "undertaker": "东莞市教育局教研室",
    "supervisor": "东莞市教育局", "attribute": "新增安排", "project_type": "专项资金", "period": "1年",
    "content": "一是编撰已有优秀成果，出版专著2本，示范引领，深化应用，拟安排30万元；二是开展教研活动10场，建立健全推进机制，"
               "扩大辐射影响，拟安排10万元；三是推进实验，孵化项目，打造优秀信息化教与学模式8-10个，拟安排60万元。以上合计100万元。",
    "basis": "《教育部办公厅关于公布“基于教学改革、融合信息技术的新型教与学模式”实验区名单的通知》（教基厅函〔2020〕24 号）",
    "goal": "深化“莞式慕课”信息化教学成果应用，推进“基于教学改革、融合信息技术的新型教与学模式”实验区建设，编撰出版优秀成果专著"
            "2本，开展信息化教学专题研训活动10场，孵化8-10个信息化教与学模式，打造在全省乃至全国示范作用的项目。",
    "filler": "王征",
}


def indicator_rows(year: int) -> list[dict]:
    """The seed's five indicators; the completion date moves with the demo year (2022年7月30日 in 2021's plan)."""
    return [
        {"level1": "产出", "level2": "质量指标", "name": "基于教学改革、融合信息技术的新型教与学模式”实验区项目示范性",
         "kind": "text", "target": "全省乃至全国示范作用"},
        {"level1": "产出", "level2": "时效指标", "name": "项目完成日期", "kind": "date",
         "target": date(year + 1, 7, 30).isoformat()},
        {"level1": "效益", "level2": "社会效益指标", "name": "提升信息技术与教育教学的融合创新水平", "kind": "text",
         "target": "持续提高"},
        {"level1": "效益", "level2": "社会效益指标", "name": "学生满意度（%）", "kind": "percent", "comparator": "ge",
         "target": "80"},
        {"level1": "效益", "level2": "社会效益指标", "name": "教师满意度（%）", "kind": "percent", "comparator": "ge",
         "target": "80"},
    ]


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def dongguan_plan(project, year: int) -> None:
    if SpendingPlan.objects.filter(project=project).exists():
        return
    city, province = User.objects.get(username="dg_city"), User.objects.get(username="gd_province")
    plan = plans.save_plan(actor=city, project=project, grant="100", source=SOURCE, goal=GOAL, rows=LINES,
                           expected_version=None)
    plan = plans.submit_plan(actor=city, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=province, plan=plan, approve=True, text="同意该用款方案，请严格按方案执行。")
    for name, first, last, work in STAGES:
        schedule.add_stage(actor=city, project=project, data={
            "name": name, "starts_on": date(year, first, 1), "ends_on": _month_end(year, last), "work": work})
    stages = list(project.stages.all())
    milestones = [("确定实验镇区和实验学校名单", "陈嘉欣", date(year, 8, 31), stages[0], True),
                  ("举办第一场信息化教学交流展示活动", "陈嘉欣", date(year, 9, 30), stages[1], True),
                  ("确立8—10个成熟有效的信息化教学模式", "王征", date(year, 11, 30), stages[1], False),
                  ("出版专著2部", "王征", date(year, 12, 31), stages[2], False)]
    for title, owner, due, stage, done in milestones:
        m = schedule.add_milestone(actor=city, project=project, data={"title": title, "owner": owner, "due_on": due,
                                                                     "stage": stage.pk})
        if done:
            schedule.complete_milestone(actor=city, milestone=m, done_on=due - timedelta(days=3))
    schedule.save_task(actor=city, project=project, data={**TASK, "line": ""})
    table = indicators.save_table(actor=city, project=project, data=HEADER, expected_version=None)
    for row in indicator_rows(year):
        indicators.add_indicator(actor=city, table=table, data=row)
    lines = list(plan.lines.all())
    spending.record_expenditure(actor=city, line=lines[1], spent_on=date(year, 9, 26), amount="1",
                                payee="第一场研训交流展示活动专家劳务费")
    spending.record_expenditure(actor=city, line=lines[0], spent_on=date(year, 10, 15), amount="6",
                                payee="专著编撰专家劳务费（第一期）")


def _simple_plan(project, actor, approver, grant: str, rows: list[dict]):
    plan = plans.save_plan(actor=actor, project=project, grant=grant, source="（演示）区级配套资金", rows=rows,
                           expected_version=None)
    plan = plans.submit_plan(actor=actor, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=approver, plan=plan, approve=True, text="同意。")
    return plan


def zone_with_pending_adjustment(project, today: date) -> None:
    if SpendingPlan.objects.filter(project=project).exists():
        return
    bureau, city = User.objects.get(username="gx_bureau"), User.objects.get(username="gx_city")
    plan = _simple_plan(project, bureau, city, "50", [
        {"category": "教师培训", "purpose": "教师信息化教学能力培训", "unit_cost": "2", "quantity": "10", "unit": "期"},
        {"category": "平台应用", "purpose": "智慧课堂平台应用推广", "unit_cost": "30", "quantity": "1", "unit": "项"}])
    first, second = plan.lines.all()
    spending.record_expenditure(actor=bureau, line=first, spent_on=max(project.starts_on, today - timedelta(days=20)),
                                amount="18", payee="第1—9期培训专家劳务费")
    plans.request_adjustment(actor=bureau, plan=plan, amounts={first.pk: "26", second.pk: "24"},
                             reason="教师参训人数超出预期，培训增加至13期，平台推广经费相应减少。")
    schedule.add_milestone(actor=bureau, project=project, data={
        "title": "完成第二轮教师培训", "owner": "黄志强", "due_on": today + timedelta(days=30)})


def overdue_zone(project, today: date) -> None:
    if project.milestones.exists():
        return
    bureau = User.objects.get(username="sx_bureau")
    schedule.add_milestone(actor=bureau, project=project, data={
        "title": "完成实验校遴选", "owner": "赵晋生", "due_on": today - timedelta(days=45)})
