"""The zone application forms, field by field as printed in ../shared/seeds:
national 2019 (教基厅函〔2019〕46号 附件) and Guangxi 2023 附件1 (桂教网信〔2023〕23号)."""
from portal.formspec.build import (C, F, L, block, categories, decimal, definition, integer, keywords,
                                   opinion, percent, rows, section, stats_grid, table, text, yesno)
from portal.formspec.parts import contact_person, head_person, header, merge

WAN = "万元"


def national_zone_2019() -> dict:
    head_fields, head_rows = header("单位名称（盖章）")
    person_fields, person_rows = head_person()
    c1_fields, c1_rows = contact_person("contact1", "联系人 1")
    c2_fields, c2_rows = contact_person("contact2", "联系人 2", required=False)
    stats_fields, stats_computed, stats_rows = stats_grid(
        "schools",
        rows=[("primary", "小学"), ("junior", "初中"), ("senior", "普通高中"), ("nine_year", "9年一贯制学校"),
              ("complete", "完全中学")],
        columns=[("public_schools", "公办学校数"), ("public_students", "公办学生数"),
                 ("private_schools", "民办学校数"), ("private_students", "民办学生数")])
    fields = merge(head_fields, person_fields, c1_fields, c2_fields, {
        "categories": categories("申请实验内容（具体到关键词）", note="可以选择但不限于下面某个或几个方面的内容"),
        "keywords": keywords("关键词"),
        "keywords_other": text("其他关键词", max_chars=100, required=False, note="通知所列以外的关键词，以顿号分隔"),
        "dept_lead_admin": text("1. 牵头行政处室", max_chars=100, title="牵头行政处室"),
        "dept_join_admin": text("2. 参与行政处室", max_chars=200, required=False, title="参与行政处室"),
        "dept_lead_business": text("3. 牵头业务部门", max_chars=100, title="牵头业务部门"),
        "dept_join_business": text("4. 参与业务部门", max_chars=200, required=False, title="参与业务部门"),
    }, stats_fields, {
        "invest_2017": decimal("2017年", unit=WAN, title="2017年投入经费"),
        "invest_2018": decimal("2018年", unit=WAN, title="2018年投入经费"),
        "invest_2019_budget": decimal("预算金额", unit=WAN, title="2019年预算金额"),
        "invest_2019_actual": decimal("实际已投入", unit=WAN, title="2019年实际已投入"),
        "broadband_public": percent("公办学校", title="公办学校宽带网络接入率"),
        "broadband_private": percent("民办学校", required=False, title="民办学校宽带网络接入率"),
        "multimedia_public": percent("公办学校", title="公办学校多媒体教室比例"),
        "multimedia_private": percent("民办学校", required=False, title="民办学校多媒体教室比例"),
        "wifi_public": percent("公办学校", title="公办学校校园无线网络覆盖率"),
        "wifi_private": percent("民办学校", required=False, title="民办学校校园无线网络覆盖率"),
        "work_basis": text("工作基础", max_chars=2000, multiline=True,
                           note="（2000字以内，含2017年以来教学改革项目、信息化项目实施情况）"),
        "plan": text("实验方案要点", max_chars=5000, multiline=True, attach="continue",
                     note="（包括但不限于：工作目标、工作机制、配套政策、经费保障、进度安排等。5000字以内，可另附页）"),
        "innovation": text("创新点和预期成果", max_chars=1500, multiline=True, note="（1500字以内）"),
        "research": yesno("是否参与教育部组织开展的信息化课题研究"),
        "byod": yesno("是否采用或拟采用学生自带设备学习"),
        "byod_practice": text("“自带设备”购置、管理等方面的具体做法", multiline=True, required=False,
                              required_if=("byod", "yes"), rows=5),
        "gov_plan": text("政府推进教学改革及教育信息化的规划或计划、工作机制、投入计划和其他有关支持措施",
                         max_chars=1500, multiline=True, note="(1500 字以内)"),
    })
    ratio = lambda label, key: [[L(label, rowspan=2), L("公办学校"), F(f"{key}_public")],  # noqa: E731
                                [L("民办学校"), F(f"{key}_private")]]
    sections = [
        section("", table(*head_rows, *person_rows, *c1_rows, *c2_rows, widths=[25, 25, 25, 25])),
        # The paper's row label 申请实验内容（具体到关键词） is the block's own label: no heading above it.
        section("", block("categories"), block("keywords"), block("keywords_other")),
        section("参与部门（可填多个）", table(
            [L("1. 牵头行政处室"), F("dept_lead_admin")], [L("2. 参与行政处室"), F("dept_join_admin")],
            [L("3. 牵头业务部门"), F("dept_lead_business")], [L("4. 参与业务部门"), F("dept_join_business")],
            widths=[25, 75])),
        section("区域内中小学校简况", table(*stats_rows, widths=[20, 20, 20, 20, 20])),
        section("", table(
            [L("近3年区域教育信息化投入经费", rowspan=4), L("2017年", colspan=2), F("invest_2017")],
            [L("2018年", colspan=2), F("invest_2018")],
            [L("2019年", rowspan=2), L("预算金额"), F("invest_2019_budget")],
            [L("实际已投入"), F("invest_2019_actual")], widths=[34, 16, 20, 30]),
            table(*ratio("区域内学校宽带网络接入率", "broadband"), *ratio("多媒体教室比例", "multimedia"),
                  *ratio("校园无线网络覆盖率", "wifi"), widths=[34, 36, 30])),
        section("", block("work_basis"), block("plan"), block("innovation")),
        section("", block("research"), block("byod"), block("byod_practice"), block("gov_plan")),
    ]
    return definition(
        key="national_zone", version=2, applicant="zone",
        title="“基于教学改革、融合信息技术的新型教与学模式实验区”申请表",
        fields=fields, computed=stats_computed, sections=sections,
        opinions=[opinion("applicant", "", signer="负责人"),
                  opinion("province", "省级教育行政部门意见", signer="负责人"),
                  opinion("ministry", "审核意见", seal=False, note="(申报、推荐单位不填写此项)")])


def guangxi_experiment_fields(plan_limit: int, basis_limit: int, innovation_label: str, plan_note: str,
                              basis_note: str) -> dict:
    """实验名称 … 创新点: the part the Guangxi zone and school forms share, with each form's limits."""
    return {
        "experiment_name": text("实验名称", max_chars=30, note="（根据实验内容的类别自行拟定实验名称，字数不超过30字）"),
        "experiment_summary": text("实验概述", max_chars=500, multiline=True, rows=6, note="（摘要，不超过500字）"),
        "category": categories("实验类别", note="原则上选择下面某一个具体类别的内容开展实验"),
        "keywords": keywords("关键词"),
        "participants": rows("参与单位（部门）及责任人", note="（最多不超过10个）", max_rows=10,
                             columns=[("unit", "参与单位（部门）", 60), ("person", "责任人", 20)]),
        "work_basis": text("工作基础", max_chars=basis_limit, multiline=True, attach="evidence", note=basis_note),
        "plan": text("实验方案", max_chars=plan_limit, multiline=True, attach="continue", note=plan_note),
        "innovation": text(innovation_label, max_chars=1000, multiline=True, note="（1000字以内）"),
    }


def guangxi_zone_2023() -> dict:
    head_fields, head_rows = header("市或县（市、区）教育局规范名称（盖章）")
    person_fields, person_rows = head_person()
    contact_fields, contact_rows = contact_person("contact", "联系人")
    stats_fields, stats_computed, stats_rows = stats_grid(
        "schools",
        rows=[("primary", "小学"), ("teaching_point", "教学点"), ("junior", "初中"), ("senior", "普通高中"),
              ("nine_year", "九年一贯制学校"), ("complete", "完全中学")],
        columns=[("schools", "学校数"), ("teachers", "专任教师数"), ("students", "在校学生数")])
    fields = merge(head_fields, stats_fields, {
        "invest_2020": decimal("2020年", unit=WAN, title="2020年投入经费"),
        "invest_2021": decimal("2021年", unit=WAN, title="2021年投入经费"),
        "invest_2022": decimal("2022年", unit=WAN, title="2022年投入经费"),
        "multimedia_ratio": percent("多媒体教室比例"),
        "recording_rooms": integer("录播教室总间数", unit="间"),
        # The paper asks for the ratios only; the counts behind them are asked so that the ratio
        # is computed, never typed. They are not printed.
        "teacher_computers": integer("教师用计算机数", unit="台", aux=True, note="用于计算师机比，不打印"),
        "student_computers": integer("学生用计算机数", unit="台", aux=True, note="用于计算生机比，不打印"),
        "textbook_ratio": percent("广西数字教材规模化应用教师比例"),
        "training_coverage": percent("教师信息技术应用能力培训覆盖率"),
    }, guangxi_experiment_fields(
        plan_limit=8000, basis_limit=2000, innovation_label="创新点与预期成果",
        basis_note="（2000字以内，含区域基本情况、2020年以来教学改革项目、信息化项目和科研课题实施情况，须提供必要支撑材料）",
        plan_note="（突出创新性、操作性、实效性，突出问题导向和需求导向，从教学改革实际需求出发，立足通过信息化解决教学的"
                  "实际问题，注重体制机制创新，注重明确工作机制、责任主体、预期效果等。实验方案包括但不限于：实验区工作目标、"
                  "任务，实验区建设必要性和可行性分析，实验区建设实施原则，实验区组织与管理，实验工作的技术路线、工作机制，"
                  "分年度的实验工作安排，实验区建设资金预算及来源，实验区建设保障措施，实验成果应用，实验区社会、经济效益分析"
                  "和风险分析等。8000字以内，可另附页）"),
        person_fields, contact_fields, {
        "applicant_opinion": text("申报单位意见", multiline=True, rows=4),
    })
    computed = {**stats_computed,
                "teacher_ratio": {"label": "师机比", "op": "ratio", "num": "schools__total__teachers",
                                  "den": "teacher_computers"},
                "student_ratio": {"label": "生机比", "op": "ratio", "num": "schools__total__students",
                                  "den": "student_computers"}}
    sections = [
        section("", table(*head_rows, widths=[30, 30, 15, 25])),
        section("区域内中小学校简况", table(*stats_rows, widths=[25, 25, 25, 25])),
        section("", table(
            [L("近3年教育信息化投入经费（万元）"), L("2020年"), F("invest_2020"), L("2021年"), F("invest_2021"),
             L("2022年"), F("invest_2022")], widths=[22, 8, 18, 8, 18, 8, 18]),
            table([L("多媒体教室比例"), F("multimedia_ratio"), L("录播教室总间数"), F("recording_rooms")],
                  [L("师机比"), C("teacher_ratio"), L("生机比"), C("student_ratio")],
                  [L("教师用计算机数（台）"), F("teacher_computers"), L("学生用计算机数（台）"), F("student_computers")],
                  [L("广西数字教材规模化应用教师比例"), F("textbook_ratio"), L("教师信息技术应用能力培训覆盖率"),
                   F("training_coverage")], widths=[30, 20, 30, 20])),
        section("", block("experiment_name"), block("experiment_summary")),
        section("实验类别与关键词", block("category"), block("keywords"), appendix=True),
        section("", table(*person_rows, *contact_rows, widths=[25, 25, 25, 25]), block("participants")),
        section("", block("work_basis"), block("plan"), block("innovation")),
        section("", block("applicant_opinion")),
    ]
    return definition(
        key="guangxi_zone", version=2, applicant="zone", title="基础教育信息化融合创新实验区申请表",
        fields=fields, computed=computed, sections=sections,
        opinions=[opinion("applicant", "申报单位意见", signer="负责人 (签字)", field="applicant_opinion"),
                  opinion("city", "市级教育行政部门审核推荐意见"),
                  opinion("expert", "专家组评审意见", signer="组长签字：", seal=False),
                  opinion("province", "自治区教育厅意见")])
