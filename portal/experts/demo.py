"""The demo's rubrics, built from the notices' own conditions, and the demo expert in the pool."""
from __future__ import annotations

from decimal import Decimal

from portal.experts.models import Criterion, Expert, Rubric
from portal.experts.services.pool import register_expert, save_rubric
from portal.orgs.models import Organisation, User
from portal.programmes.choices import ApplicantKind

# 桂教网信〔2023〕23号 “五、基本条件”（一）–（四）.
GUANGXI = [
    ("政府重视教育信息化工作", "有明确的推进教育信息化的规划或计划，有良好的工作推进机制和可持续的投入保障机制。", 25),
    ("教育信息化基础条件较好", "宽带网络接入、多媒体教室、数字教育资源全覆盖；数字校园建设普及率高。", 25),
    ("信息化教学应用起点较高", "师生数字素养较高，教师参与网络教研比例高，信息技术与学科教学深度融合覆盖率高、成果显著。", 25),
    ("实验工作有明确的工作机制和较完善的实施方案", "主要负责同志主抓，部门协同，目标任务合理，条件、经费和队伍保障较好。", 25),
]
# 教基厅函〔2019〕46号 “四、实验区应具备的条件”（一）–（四）.
NATIONAL = [
    ("教育教学改革基础", "在课程改革、教学改革、考试评价改革等方面有较好的基础或完善的实施方案。", 25),
    ("明确的工作机制", "主要负责同志主抓，牵头部门整合资源，条件保障、经费保障和队伍保障到位，注重可持续发展。", 25),
    ("政府高度重视教育信息化工作", "有明确的推进教育信息化的规划或计划、良好的工作推进机制和可持续的投入计划。", 30),
    ("重视防控学生近视", "有较好的实施方案和防控措施，能科学规范地使用电子产品。", 20),
]


def _criteria(rows) -> list[dict]:
    return [{"number": i, "title": title, "guidance": guidance, "max_points": Decimal(points), "weight": Decimal(1)}
            for i, (title, guidance, points) in enumerate(rows, 1)]


def load_demo_experts(national_call, guangxi_call) -> None:
    province_admin = User.objects.get(username="gx_province")
    for kind, label in [(ApplicantKind.ZONE_COUNTY, "实验区"), (ApplicantKind.ZONE_CITY, "实验区"),
                        (ApplicantKind.SCHOOL, "实验校")]:
        if not guangxi_call.rubrics.filter(applicant_kind=kind).exists():
            save_rubric(actor=province_admin, call=guangxi_call, applicant_kind=kind,
                        name=f"广西{label}评审评分表（基本条件）", criteria=_criteria(GUANGXI))
    for kind in (ApplicantKind.ZONE_COUNTY, ApplicantKind.ZONE_CITY):
        if not national_call.rubrics.filter(applicant_kind=kind).exists():
            _national(national_call, kind)
    expert = User.objects.get(username="gx_expert")
    if not Expert.objects.filter(user=expert).exists():
        register_expert(actor=province_admin, user=expert, field="教育技术学",
                        region=Organisation.objects.get(code="450300"))


def _national(call, kind) -> None:
    # The ministry's own expert group scores national zones (no provincial pool): written directly.
    rubric = Rubric.objects.create(call=call, applicant_kind=kind, name="实验区评审评分表（应具备的条件）")
    Criterion.objects.bulk_create(Criterion(rubric=rubric, **c) for c in _criteria(NATIONAL))
