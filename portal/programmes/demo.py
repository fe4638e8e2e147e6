"""The two calls of the seeds, for the demo: the national 2019 zone call (教基厅函〔2019〕46号) and
the Guangxi 2023 3rd-batch zone and school call (桂教网信〔2023〕23号); and a Guangdong school call made
up for the demo (its 文号 says so) to show a city without counties: a Dongguan school is reviewed
first by the city.

Every value is the notice's, except the dates: they keep the notice's intervals but are moved
so that the call is open today, or nobody could try the forms."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.orgs.models import Organisation, User
from portal.programmes.choices import ApplicantKind, QuotaTarget, ReviewLevel, Step
from portal.programmes.models import Call, Programme
from portal.programmes.services.calls import CallConfig, save_call

NATIONAL_CATEGORIES = [
    ("面向学科教学和跨学科教学的信息化融合应用，探索学生跨学科思维与创新能力提升",
     "互动式、启发式、探究式、体验式、研究性学习、项目学习、做中学、玩中学、主题课程、专题课程、综合课程、多学科融合、"
     "跨学科学习、编程教育、创客教育、人工智能教育"),
    ("面向学校课堂教学方式变革，推动课堂教学与信息化的深度融合",
     "翻转课堂、深度学习、个性化学习、自适应学习、电子书包、平板教学、数字阅读"),
    ("面向区域信息化融合创新机制探索，推动区域课堂教学协同创新发展",
     "同步课堂、专递课堂、名师课堂、名校课堂、学习平台、网络学习空间"),
    ("面向“互联网+”的教师专业能力提升，助力教师专业发展，推动跨校、跨区县的教师学习培训和专业研修",
     "网络研修、跨校教研与跨区教研、混合式研修、研究共同体、名师工作室"),
    ("面向促进学生个性化全面发展的成长路径，推动大数据在精准教学和评价方面的应用",
     "综合素质评价、数据画像、精确测评、成长档案、生涯指导、教育大数据"),
]

GUANGXI_CATEGORIES = [
    ("面向课堂教学方式变革的需要，探索以学习者为中心的新型课堂教学模式",
     "智慧课堂、互动式教学、翻转课堂、智能教学助手、智能学伴、深度学习、个性化学习、自适应学习、平板教学、精准教学、"
     "智能美育、智能体育、智能书法教育、智能劳动教育"),
    ("面向学生个性化全面发展的需要，探索大数据在精准教学和评价方面的应用模式",
     "综合素质评价、数据画像、精确测评、成长档案、生涯指导、教育大数据"),
    ("面向学生跨学科思维与创新能力提升的需要，探索学科教学和跨学科教学的信息化融合应用模式",
     "研究性学习、项目学习、做中学、玩中学、主题课程、专题课程、综合课程、多学科融合、跨学科学习、STEAM教育、编程教育、"
     "创客教育、人工智能教育"),
    ("面向信息时代教师专业能力提升需要，探索跨校、跨区域教师专业研修模式",
     "网络研修、网络研训、网络教研联盟、跨校教研与跨区教研、混合式研修、教研共同体、名师工作室"),
    ("面向教育治理能力提升的需要，探索教育教学与管理的“平台+教育”服务模式",
     "智慧教育、数字校园、智慧校园、数字基座、教育大平台、数据共享、数据治理、教育治理、家校社协同"),
]


def _categories(rows) -> list[dict]:
    return [{"number": i, "name": name, "keywords": words.split("、")} for i, (name, words) in enumerate(rows, 1)]


def _at(start, days: int):
    start = timezone.localtime(start)
    return (start + timedelta(days=days)).replace(hour=17, minute=30, second=0, microsecond=0)


def national_config(start) -> CallConfig:
    programme, _ = Programme.objects.update_or_create(
        code="moe-new-model-zones", defaults={"name": "“基于教学改革、融合信息技术的新型教与学模式”实验区",
                                              "organisation": Organisation.objects.get(code="MOE")})
    # Notice of 2019-10-24: contacts by 11-15 (+22 days), Shanxi's materials by 12-08 (+45), to the ministry by 12-12 (+49).
    return CallConfig(
        programme=programme,
        values={"title": "2019年“基于教学改革、融合信息技术的新型教与学模式”实验区推荐遴选",
                "issuing_authority": "教育部办公厅", "document_number": "教基厅函〔2019〕46号",
                "notice_title": "教育部办公厅关于推荐遴选“基于教学改革、融合信息技术新型教与学模式”实验区的通知",
                "summary": "原则上以县区教育局为单位申报，具备较强统筹能力的地市也可以申报。省级教育行政部门对申请单位的方案"
                           "进行汇总，审核是否符合通知要求，确定推荐名单，每省推荐数量不超过6个。实验周期一般为3年，有特殊需要的"
                           "依申请可以延长1—2年。（演示数据：日期已按今天平移，间隔与通知一致。）",
                "contact_info": "教育部基础教育司装备与信息化处 张权，010-66096398\n通信地址：北京西单大木仓胡同 37 号，邮政编码：100816",
                "is_published": True, "opens_at": start, "multiple_categories": True,
                "review_chain": [ReviewLevel.CITY, ReviewLevel.PROVINCE, ReviewLevel.MINISTRY],
                "notice_levels": [ReviewLevel.MINISTRY],
                "notice_days": 5, "cycle_years": 3, "extension_years_max": 2, "max_file_mb": 20, "max_total_mb": 100,
                "exclusion_note": "已承担教育部智慧教育示范区创建工作的地区不再参与此项实验区工作。"},
        forms={ApplicantKind.ZONE_COUNTY: "national_zone", ApplicantKind.ZONE_CITY: "national_zone"},
        categories=_categories(NATIONAL_CATEGORIES),
        quotas=[{"level": ReviewLevel.CITY, "target": QuotaTarget.ZONE, "max_count": 1},
                {"level": ReviewLevel.PROVINCE, "target": QuotaTarget.ZONE, "max_count": 6}],
        deadlines=[{"step": Step.CONTACTS, "due_at": _at(start, 22), "note": "报联络人姓名、职务、电话、电子邮箱"},
                   {"step": Step.SUBMIT, "due_at": _at(start, 38)},
                   {"step": Step.CITY, "due_at": _at(start, 45), "note": "山西：报送至省电化教育馆"},
                   {"step": Step.PROVINCE, "due_at": _at(start, 49), "note": "省级教育行政部门报教育部"}])


def guangxi_config(start, national: Call | None) -> CallConfig:
    programme, _ = Programme.objects.update_or_create(
        code="gx-fusion-innovation", defaults={"name": "广西基础教育信息化融合创新实验区和实验校",
                                               "organisation": Organisation.objects.get(code="450000")})
    # Contacts (附件4) by 07-15, materials to the region by 09-15: 62 days apart.
    return CallConfig(
        programme=programme,
        values={"title": "第三批广西基础教育信息化融合创新实验区和实验校创建",
                "issuing_authority": "广西壮族自治区教育厅", "document_number": "桂教网信〔2023〕23号",
                "notice_title": "自治区教育厅关于组织开展第三批广西基础教育信息化融合创新实验区和实验校创建工作的通知",
                "summary": "第三批立项建设广西基础教育信息化融合创新实验区10个左右，实验校40所左右。各设区市推荐的实验区不超过5个，"
                           "推荐的实验校不超过10个，拟定推荐名单并公示（不少于5天）无异议后上报。实验周期一般为3年，有特殊需要的"
                           "依申请可以延长1年。（演示数据：日期已按今天平移，间隔与通知一致。）",
                "contact_info": "自治区教育厅教育信息化管理处 魏莹莹，0771—5815221\n自治区教育技术和信息化中心 李书慧、柯小华，"
                                "0771—5815443\n邮寄地址：南宁市竹溪大道69号908房，邮政编码：530021",
                "is_published": True, "opens_at": start, "multiple_categories": False,
                "target_zones": 10, "target_schools": 40,
                "review_chain": [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.EXPERT, ReviewLevel.PROVINCE],
                # 设区市“拟定推荐名单并公示（不少于5天）无异议后上报”；自治区“评审结果公示无异议后予以公布认定”。
                "notice_levels": [ReviewLevel.CITY, ReviewLevel.PROVINCE],
                "notice_days": 5, "cycle_years": 3, "extension_years_max": 1, "max_file_mb": 20, "max_total_mb": 100,
                "exclusion_note": "已获得教育部“基于教学改革、融合信息技术的新型教与学模式”实验区、第一批和第二批广西基础教育"
                                  "信息化融合创新实验区和实验校的不再申报此项目。"},
        forms={ApplicantKind.ZONE_COUNTY: "guangxi_zone", ApplicantKind.ZONE_CITY: "guangxi_zone",
               ApplicantKind.SCHOOL: "guangxi_school"},
        categories=_categories(GUANGXI_CATEGORIES),
        quotas=[{"level": ReviewLevel.CITY, "target": QuotaTarget.ZONE, "max_count": 5},
                {"level": ReviewLevel.CITY, "target": QuotaTarget.SCHOOL, "max_count": 10}],
        deadlines=[{"step": Step.CONTACTS, "due_at": _at(start, 20), "note": "各设区市报送联系人信息表（附件4）"},
                   {"step": Step.SUBMIT, "due_at": _at(start, 60)},
                   {"step": Step.CITY, "due_at": _at(start, 82), "note": "推荐公文、推荐汇总表、盖章的申请表及支撑材料"}],
        excluded_calls=[national] if national else [])


def guangdong_config(start) -> CallConfig:
    """Not a seed notice: a demo school call in Guangdong with the county level in its chain, which
    Dongguan's schools skip (东莞 has no counties). It uses the school form the portal has (附件2)."""
    programme, _ = Programme.objects.update_or_create(
        code="gd-fusion-schools-demo", defaults={"name": "广东省信息技术与教育教学融合创新实验校（演示）",
                                                 "organisation": Organisation.objects.get(code="440000")})
    return CallConfig(
        programme=programme,
        values={"title": "广东省信息技术与教育教学融合创新实验校申报（演示）",
                "issuing_authority": "广东省教育厅", "document_number": "演示〔2026〕1号",
                "notice_title": "广东省信息技术与教育教学融合创新实验校申报（演示批次）",
                "summary": "演示批次：由县级教育行政部门推荐、地级市审核推荐并公示、专家评审、省级认定。东莞、中山等不设县级"
                           "的地级市，其直属学校直接由市级教育行政部门审核推荐。",
                "contact_info": "广东省电化教育馆（演示联系人）",
                "is_published": True, "opens_at": start, "multiple_categories": False, "target_schools": 30,
                "review_chain": [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.EXPERT, ReviewLevel.PROVINCE],
                "notice_levels": [ReviewLevel.CITY, ReviewLevel.PROVINCE],
                "notice_days": 5, "cycle_years": 3, "extension_years_max": 1, "max_file_mb": 20, "max_total_mb": 100},
        forms={ApplicantKind.SCHOOL: "guangxi_school"},
        categories=_categories(GUANGXI_CATEGORIES),
        quotas=[{"level": ReviewLevel.CITY, "target": QuotaTarget.SCHOOL, "max_count": 5}],
        deadlines=[{"step": Step.SUBMIT, "due_at": _at(start, 60)},
                   {"step": Step.CITY, "due_at": _at(start, 82)}])


def load_demo_calls(now=None) -> list[Call]:
    start = timezone.localtime(now or timezone.now()) - timedelta(days=7)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    calls = []
    for username, document, build in [
        ("moe_reviewer", "教基厅函〔2019〕46号", lambda: national_config(start)),
        ("gx_province", "桂教网信〔2023〕23号", lambda: guangxi_config(start, calls[0] if calls else None)),
        ("gd_province", "演示〔2026〕1号", lambda: guangdong_config(start)),
    ]:
        actor = User.objects.get(username=username)
        existing = Call.objects.filter(document_number=document).first()
        calls.append(save_call(actor=actor, config=build(), call=existing))
    return calls
