"""Realistic content for a form definition: what a county bureau or a school would really write, so
that the demo, the printed forms and the tests show believable names, posts, figures and prose —
never "负责人职务：内容28". `at_limit=True` fills every limited text to exactly its limit, the case a
printed form must still lay out."""

from __future__ import annotations

import hashlib

from portal.formspec.fields import row_names
from portal.formspec.sample import CHOSEN_KINDS, chosen

SURNAMES = "黄韦陆覃蒙莫梁李刘陈周罗杨廖卢蓝潘谭钟邓"
GIVEN = [
    "志刚",
    "丽娟",
    "建华",
    "秀英",
    "海燕",
    "国庆",
    "春梅",
    "晓东",
    "明辉",
    "雪梅",
    "振宇",
    "慧敏",
    "永强",
    "静怡",
    "立新",
    "红霞",
]

# Posts by who fills the form and by part: head of the applicant, its contact.
POSTS = {
    "zone": {
        "head": "局长",
        "contact": "信息化管理科科长",
        "contact2": "电化教育站站长",
        "dept": "信息化管理科",
        "dept2": "电化教育站",
    },
    "school": {
        "head": "校长",
        "contact": "信息中心主任",
        "contact2": "教务处主任",
        "dept": "信息中心",
        "dept2": "教务处",
    },
}

DEPARTMENTS = {
    "dept_lead_admin": "基础教育科",
    "dept_join_admin": "计划财务科、人事科、教师工作科、装备与信息化管理科",
    "dept_lead_business": "电化教育站",
    "dept_join_business": "教育科学研究所、教师发展中心、教育技术装备中心、各中小学校",
}

EXPERIMENT_NAMES = [
    "基于智慧课堂的县域初中数学精准教学实验",
    "“三个课堂”常态化应用促进城乡教育均衡发展实验",
    "基于学习数据的小学语文个性化作业设计实验",
]
# Names that use all 30 characters the Guangxi forms allow.
LONG_EXPERIMENT_NAMES = [
    "基于国家智慧教育平台的县域初中数学精准教学与分层作业实践研究",
    "人工智能助教支持下的小学语文个性化阅读与写作教学模式创新实验",
]

# Sentences a real 工作基础 / 实验方案 / 创新点 is made of; repeated in turn up to the length asked.
PROSE = {
    "work_basis": [
        "近年来，我单位坚持把教育信息化作为推进教育现代化的重要抓手，成立了由主要负责同志任组长的教育信息化工作领导小组。",
        "辖区内中小学校已全部接入百兆以上宽带网络，多媒体教室实现全覆盖，建成录播教室和创新实验室多间。",
        "2020年以来先后承担自治区级教学改革项目3项、信息化应用项目5项，参与国家级、自治区级教育科研课题8项。",
        "依托国家中小学智慧教育平台和广西教育资源公共服务平台，常态化开展网络教研和名师课堂活动。",
        "教师信息技术应用能力提升工程2.0整校推进工作已全面完成，教师培训合格率达到百分之百。",
    ],
    "plan": [
        "一、工作目标：用三年时间，构建以学习者为中心、数据驱动的新型课堂教学模式，形成可复制、可推广的实践经验。",
        "二、主要任务：建设智慧教学环境，完善区域教育资源平台，开展课堂教学模式改革，推进大数据支持的精准教学与评价。",
        "三、组织与管理：成立实验工作领导小组和专家指导组，明确牵头部门与参与单位职责，建立月调度、季通报工作机制。",
        "四、技术路线：以常态化应用为导向，依托区域教育云平台采集课堂与作业数据，形成学情诊断、分层教学、精准辅导的闭环。",
        "五、分年度安排：第一年完成环境建设与骨干培训，第二年开展全面实验与中期评估，第三年总结提炼并示范推广。",
        "六、经费保障：统筹中央和自治区专项资金、本级财政预算及学校公用经费，确保实验经费专款专用、足额到位。",
        "七、风险分析：针对设备更新、教师负担和数据安全等风险，制定应对预案，落实网络安全和个人信息保护责任。",
    ],
    "innovation": [
        "创新点：以课堂数据为纽带，打通备课、上课、作业、辅导和评价环节，实现教与学的精准匹配。",
        "预期成果：形成新型教与学模式实施指南一套、典型课例一百节、区域精准教学资源库一个，培养骨干教师五十名。",
        "通过实验，学生学业质量和综合素养明显提升，教师数字素养显著增强，区域教育优质均衡发展水平进一步提高。",
    ],
    "gov_plan": [
        "本级政府已将教育信息化纳入国民经济和社会发展规划，印发教育信息化三年行动计划，明确年度投入和建设任务。",
        "建立由分管领导牵头、教育、财政、工信等部门参与的联席会议制度，统筹解决实验推进中的重大问题。",
        "每年安排教育信息化专项经费不低于教育经费总额的百分之八，并对实验学校在设备更新和教师培训方面予以倾斜。",
    ],
    "experiment_summary": [
        "本实验依托区域智慧教育平台，采集课堂互动、作业和测评数据，开展学情诊断与分层教学。",
        "通过“骨干引领、整校推进、区域联动”的方式，探索数据驱动的精准教学模式，提升课堂教学质量与学生学习成效。",
    ],
    "byod_practice": [
        "学生自带设备由家长自愿购置，学校统一制定设备配置标准和使用公约，安装管控软件，课堂内限定用于学习。",
        "学校设立设备借用点，为家庭经济困难学生免费提供平板电脑，确保每名学生平等参与实验。",
    ],
    "applicant_opinion": [
        "经审核，本单位申报材料真实、准确，实验方案切实可行，同意申报，并保证落实配套经费和保障条件。"
    ],
}


def _seed(*parts) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def person_name(*seed) -> str:
    n = _seed(*seed)
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 31) % len(GIVEN)]


def prose(name: str, *, limit: int | None, at_limit: bool) -> str:
    """Paragraphs for a long text: the field's own sentences, up to its limit (exactly, with at_limit)."""
    sentences = PROSE.get(name) or PROSE["work_basis"]
    if not at_limit:
        return "\n".join(sentences)[: limit or None]
    out, i = [], 0
    while sum(len(s) for s in out) < limit:
        out.append(sentences[i % len(sentences)])
        i += 1
    text = "\n".join(out)
    # Line breaks do not count against a limit (the forms count characters a reader sees).
    kept, count = [], 0
    for ch in text:
        if ch != "\n":
            if count == limit:
                break
            count += 1
        kept.append(ch)
    return "".join(kept).rstrip("\n")[:-1] + "。"


def _exact(text: str, limit: int | None, at_limit: bool, filler: str = "实验") -> str:
    if not limit:
        return text
    if at_limit:
        while len(text) < limit:
            text += filler
    return text[:limit]


def realistic_post(
    definition: dict,
    *,
    multiple: bool,
    org_name: str = "",
    org_code: str = "",
    at_limit: bool = False,
    overrides: dict | None = None,
) -> dict:
    """Every input of a definition with believable content, as a browser would post it."""
    who = "school" if definition.get("applicant") == "school" else "zone"
    posts = POSTS[who]
    n = _seed(org_code or org_name or definition["key"])
    area = f"0771-{5800000 + n % 199999:07d}"
    post: dict = {}
    for index, (name, spec) in enumerate(definition["fields"].items()):
        kind = spec["kind"]
        if kind == "rows":
            units = [
                f"{org_name or '本单位'}{posts['dept']}",
                f"{org_name or '本单位'}{posts['dept2']}",
                "区教育科学研究所",
                "区教师发展中心",
            ]
            for i, row in enumerate(row_names(name, spec)[: 4 if not at_limit else spec["max_rows"]]):
                values = {"unit": units[i % len(units)], "person": person_name(org_code, "participant", i)}
                for cell, col in zip(row, spec["columns"]):
                    post[cell] = _exact(values.get(col["key"], ""), col.get("max_chars"), False)
        elif kind in {"text", "textarea"}:
            post[name] = _text_value(name, spec, org_name, org_code, posts, n, area, at_limit)
        elif kind == "integer":
            post[name] = str(_integer(name, spec, n, index))
        elif kind == "decimal":
            if spec.get("unit") == "%":
                post[name] = f"{90 + (n + index) % 10}.{(n // 7 + index) % 10}"
            else:
                post[name] = f"{1200 + (n + index * 37) % 800}.{(n + index) % 100:02d}"
        elif kind in CHOSEN_KINDS:
            post[name] = chosen(spec, multiple=multiple)
    post.update(overrides or {})
    return post


def _text_value(name, spec, org_name, org_code, posts, n, area, at_limit) -> str:
    limit, fmt = spec.get("max_chars"), spec.get("format")
    person = name.split("_")[0]  # head, contact, contact1, contact2
    if fmt == "mobile":
        return f"139{(n + len(name)) % 10}771{(n // 3 + len(person) * 97) % 10000:04d}"
    if fmt in ("phone", "fax"):
        return area if fmt == "phone" else area[:-1] + str((int(area[-1]) + 1) % 10)
    if fmt == "email":
        return {"head": "jyj_bgs", "contact": "xxhk", "contact1": "xxhk", "contact2": "djz"}.get(
            person, "xxh"
        ) + "@nnxnjy.edu.cn"
    if fmt == "postcode":
        return "530012"
    if name == "org_name":
        return _exact(org_name or "南宁市兴宁区教育局", limit, False)
    if name == "address":
        return _exact(f"广西壮族自治区南宁市兴宁区民族大道{10 + n % 90}号教育综合楼", limit, False)
    if name.endswith("_name") and person in ("head", "contact", "contact1", "contact2"):
        return person_name(org_code, person)
    if name.endswith("_title"):
        return _exact(
            posts["head"] if person == "head" else posts["contact2" if person == "contact2" else "contact"],
            limit,
            False,
        )
    if name.endswith("_dept"):
        return _exact(posts["dept2" if person == "contact2" else "dept"], limit, False)
    if name in DEPARTMENTS:
        return _exact(DEPARTMENTS[name], limit, False)
    if name == "experiment_name":
        names = LONG_EXPERIMENT_NAMES if at_limit else EXPERIMENT_NAMES
        return _exact(names[n % len(names)], limit, False)
    if name == "keywords_other":
        return _exact("双师课堂、人工智能助教、数字画像", limit, False)
    if spec["kind"] == "textarea":
        return prose(name, limit=limit, at_limit=at_limit and bool(limit))
    return _exact(spec.get("title") or spec["label"], limit, at_limit)


def _integer(name: str, spec: dict, n: int, index: int) -> int:
    """Counts in proportion: schools by the dozen, teachers by the hundred, students by the thousand."""
    if name.endswith("schools") or name.endswith("__schools"):
        return 3 + (n + index) % 40
    if name.endswith("teachers"):
        return 120 + (n + index * 13) % 900
    if name.endswith("students"):
        return 1500 + (n + index * 101) % 20000
    if name == "teacher_computers":  # about one per teacher (师机比 ≈ 1:1 to 3:1)
        return 100 + (n + index) % 300
    if name.endswith("computers"):  # 生机比 of a few to a dozen students per computer
        return 1200 + (n + index * 17) % 3000
    if spec.get("unit") == "Mbps":
        return 1000
    return 4 + (n + index) % 40
