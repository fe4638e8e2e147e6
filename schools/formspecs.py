"""The Guangxi school application form (桂教网信〔2023〕23号 附件2), field by field as printed."""
from portal.formspec.build import (EMAIL, TEL, C, F, L, block, choice, decimal, definition, integer, opinion,
                                   percent, rows, section, table, text, yesno)
from portal.formspec.parts import contact_person, head_person, header, merge
from portal.orgs.choices import SchoolType
from zones.formspecs import WAN, guangxi_experiment_fields

SCHOOL_TYPES = [(v, lbl) for v, lbl in SchoolType.choices if v != SchoolType.KINDERGARTEN]


def guangxi_school_2023() -> dict:
    head_fields, head_rows = header("学校规范名称（盖章）")
    person_fields, person_rows = head_person()
    contact_fields, contact_rows = contact_person("contact", "联系人")
    fields = merge(head_fields, {
        "school_type": choice("学校类型", SCHOOL_TYPES, prefill="org_school_type"),
        "classes": integer("班级数", unit="个"),
        "students": integer("在校学生数", unit="人"),
        "teachers": integer("专任教师数", unit="人"),
        "bandwidth": integer("学校网络接入带宽", unit="Mbps"),
        "multimedia_rooms": integer("多媒体教室数", unit="间"),
        "recording_rooms": integer("录播教室数", unit="间"),
        "computer_rooms": integer("计算机教室数", unit="间"),
        # Counts behind 生机比 and 师机比, so that the ratios are computed; not printed.
        "student_computers": integer("学生用计算机数", unit="台", aux=True, note="用于计算生机比，不打印"),
        "teacher_computers": integer("教师用计算机数", unit="台", aux=True, note="用于计算师机比，不打印"),
        "textbook_ratio": percent("广西数字教材规模化应用教师比例"),
        "training_coverage": percent("教师信息技术应用能力培训覆盖率"),
        "wifi": yesno("无线校园是否全覆盖"),
        "invest_2020": decimal("2020年", unit=WAN, title="2020年投入经费"),
        "invest_2021": decimal("2021年", unit=WAN, title="2021年投入经费"),
        "invest_2022": decimal("2022年", unit=WAN, title="2022年投入经费"),
    }, guangxi_experiment_fields(
        plan_limit=5000, basis_limit=1000, innovation_label="创新点和预期成果",
        basis_note="（1000字以内，含区域基本情况、2020年以来教学改革项目、信息化项目和科研课题实施情况，须提供必要支撑材料）",
        plan_note="（突出创新性、操作性、实效性，突出问题导向和需求导向，从教学改革实际需求出发，立足通过信息化解决教学的"
                  "实际问题，注重体制机制创新，注重明确工作机制、责任主体、预期效果等。包括但不限于：实验工作目标、任务，"
                  "实验校建设必要性和可行性分析，实验校建设实施原则，实验校组织与管理，实验工作的技术路线、工作机制，分年度的"
                  "实验工作安排，实验校建设资金预算及来源，实验校建设保障措施，实验成果应用，实验校社会、经济效益分析和风险"
                  "分析等。5000字以内，可另附页）"),
        person_fields, contact_fields, {
        "byod": yesno("是否采用或拟采用学生自带设备学习"),
        "byod_practice": text("“自带设备”购置、管理等方面具体做法", multiline=True, required=False,
                              required_if=("byod", "yes"), rows=5),
        "applicant_opinion": text("申报单位意见", multiline=True, rows=4),
    })
    computed = {
        "student_ratio": {"label": "生机比", "op": "ratio", "num": "students", "den": "student_computers"},
        "teacher_ratio": {"label": "师机比", "op": "ratio", "num": "teachers", "den": "teacher_computers"},
    }
    sections = [
        section("", table(*head_rows, widths=[30, 30, 15, 25])),
        section("学校简况", table(
            [L("学校类型"), F("school_type"), L("班级数"), F("classes")],
            [L("在校学生数"), F("students"), L("专任教师数"), F("teachers")],
            [L("学校网络接入带宽"), F("bandwidth"), L("多媒体教室数"), F("multimedia_rooms")],
            [L("录播教室数"), F("recording_rooms"), L("计算机教室数"), F("computer_rooms")],
            [L("生机比"), C("student_ratio"), L("师机比"), C("teacher_ratio")],
            [L("学生用计算机数（台）"), F("student_computers"), L("教师用计算机数（台）"), F("teacher_computers")],
            [L("广西数字教材规模化应用教师比例"), F("textbook_ratio"), L("教师信息技术应用能力培训覆盖率"),
             F("training_coverage")],
            [L("无线校园是否全覆盖"), F("wifi", colspan=3)], widths=[30, 20, 30, 20]),
            table([L("近3年教育信息化投入经费", rowspan=3), L("2020年"), F("invest_2020")],
                  [L("2021年"), F("invest_2021")], [L("2022年"), F("invest_2022")], widths=[40, 20, 40])),
        section("", block("experiment_name"), block("experiment_summary")),
        section("实验类别与关键词", block("category"), block("keywords"), appendix=True),
        section("", table(*person_rows, *contact_rows, widths=[25, 25, 25, 25]), block("participants")),
        section("", block("work_basis"), block("plan"), block("innovation")),
        section("", block("byod"), block("byod_practice")),
        section("", block("applicant_opinion")),
    ]
    return definition(
        key="guangxi_school", version=2, applicant="school", title="基础教育信息化融合创新实验校申请表",
        fields=fields, computed=computed, sections=sections,
        opinions=[opinion("applicant", "申报单位意见", signer="负责人（签字）", field="applicant_opinion"),
                  opinion("county", "县级教育行政部门推荐意见"),
                  opinion("city", "市级教育行政部门审核推荐意见"),
                  opinion("expert", "专家组评审意见", signer="组长签字：", seal=False),
                  opinion("province", "自治区教育厅意见")])


# The seed's 信息化应用模式 (学校信息化应用模式：□智慧教育 □多技术融合).
APPLICATION_MODES = [("smart", "智慧教育"), ("multi", "多技术融合")]
GENDERS = [("男", "男"), ("女", "女")]
# The seed sets no character limits on the plan's boxes; these bound what one box may hold (a plan of the
# seed's length uses well under half of each).
BOX = 6000


def school_dev_plan() -> dict:
    """学校信息化教育教学发展规划 (the Dongguan seed's 附件1): every heading and table of the paper plan.
    A project's document, not an application: `use` keeps it out of a call's choice of forms."""
    head_fields, head_rows = header("单位名称")
    people = [("name", "姓名", 20), ("gender", "性别", 2), ("phone", "电话", 20, TEL), ("post", "职务", 30),
              ("rank", "职称", 30), ("email", "电子邮箱", 60, EMAIL)]
    fields = merge({"mode": choice("学校信息化应用模式", APPLICATION_MODES)}, head_fields, {
        "stage": choice("学段", SCHOOL_TYPES, prefill="org_school_type"),
        "principal": text("校长", max_chars=20),
        "lead_name": text("姓名", max_chars=20, title="信息化负责人姓名"),
        "lead_gender": choice("性别", GENDERS, required=True),
        "lead_phone": text("电话", fmt=TEL, title="信息化负责人电话"),
        "lead_post": text("职务", max_chars=30, title="信息化负责人职务"),
        "lead_rank": text("职称", max_chars=30, title="信息化负责人职称"),
        "lead_email": text("电子邮箱", fmt=EMAIL, title="信息化负责人电子邮箱"),
        "team": rows("信息化管理团队", columns=people, max_rows=8, min_rows=1),
        "overview": text("学校信息化教育教学概况", multiline=True, max_chars=BOX, rows=14,
                         note="（可从以下方面填写：学校信息化教育教学应用现状，对标选择的应用模式，学校应用中存在的问题，"
                              "学校智慧教育建设与实践情况。）"),
        "vision": text("三年发展愿景", multiline=True, max_chars=BOX, rows=8, title="学校信息化教育教学发展愿景"),
        "year_goals": text("一年绩效目标", multiline=True, max_chars=BOX, rows=8,
                           title="学校信息化教育教学发展一年绩效目标"),
        "tasks": text("主要任务", multiline=True, max_chars=BOX, rows=8),
        "safeguards": text("保障措施", multiline=True, max_chars=BOX, rows=8),
        "capability": text("教师信息技术应用能力建设情况", multiline=True, max_chars=BOX, rows=14,
                           note="（可从以下方面填写：简要说明学校教育信息化建设概况，教师网络学习空间、课程资源及研修管理"
                                "服务平台等建设情况，重点说明教师信息技术应用能力水平与存在的问题。）"),
        "schedule_overview": text("总体安排", multiline=True, max_chars=2000, rows=5, required=False,
                                  title="三年实施安排总体说明"),
        "schedule": rows("学校信息化教育教学三年实施安排", max_rows=6, min_rows=3,
                         note="（可结合本校能力提升工程2.0实施计划，统筹安排三年的总体规划，重点说明第一年的安排。内容包括但"
                              "不限于每阶段的时间、目标与任务、校本研修目标、特色项目规划、具体实施措施等。时间写作 2020.9）",
                         columns=[("start", "起始年月", 7), ("end", "截止年月", 7), ("theme", "阶段主题", 30),
                                  ("tasks", "目标与任务", 1500)]),
    })
    person_head = [L("姓名", head=True), L("性别", head=True), L("电话", head=True), L("职务", head=True),
                   L("职称", head=True), L("电子邮箱", head=True)]
    sections = [
        section("", table([L("学校信息化应用模式"), F("mode", colspan=3)], *head_rows,
                          [L("学段"), F("stage"), L("校长"), F("principal")], widths=[25, 35, 15, 25])),
        section("学校信息化负责人", table(person_head, [F("lead_name"), F("lead_gender"), F("lead_phone"), F("lead_post"),
                                                 F("lead_rank"), F("lead_email")],
                                   widths=[14, 8, 22, 18, 16, 22])),
        section("", block("team")),
        section("学校信息化教育教学概况", block("overview")),
        section("学校信息化教育教学发展目标", block("vision"), block("year_goals"), block("tasks"), block("safeguards")),
        section("教师信息技术应用能力建设情况", block("capability")),
        section("学校信息化教育教学三年实施安排", block("schedule_overview"), block("schedule")),
    ]
    out = definition(key="school_dev_plan", version=1, applicant="school", title="学校信息化教育教学发展规划",
                     fields=fields, computed={}, sections=sections, opinions=[])
    out["use"] = "project"
    return out
