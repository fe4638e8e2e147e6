"""The Guangxi school application form (桂教网信〔2023〕23号 附件2), field by field as printed."""
from portal.formspec.build import (C, F, L, block, choice, decimal, definition, integer, opinion, percent, section,
                                   table, text, yesno)
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
