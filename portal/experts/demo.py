"""The demo expert in the pool. The demo's rubrics, built from the notices' own conditions, are part
of the call files in `fixtures/calls/` and are saved with their calls."""

from __future__ import annotations

from portal.experts.models import Expert
from portal.experts.services.pool import register_expert
from portal.orgs.models import Organisation, User
from portal.programmes import callfiles

# 桂教网信〔2023〕23号 “五、基本条件”（一）–（四）; 教基厅函〔2019〕46号 “四、实验区应具备的条件”（一）–（四）.
GUANGXI = callfiles.read("guangxi-2023.json")["rubrics"][0]["criteria"]
NATIONAL = callfiles.read("national-2019.json")["rubrics"][0]["criteria"]
_criteria = callfiles.criteria


def load_demo_experts() -> None:
    province_admin = User.objects.get(username="gx_province")
    expert = User.objects.get(username="gx_expert")
    if not Expert.objects.filter(user=expert).exists():
        register_expert(
            actor=province_admin,
            user=expert,
            field="教育技术学",
            region=Organisation.objects.get(code="450300"),
            gender="女",
        )
    # Guangdong's pool: the experts who guide the demo pilot school's 发展规划 (schools.demo).
    gd_admin = User.objects.get(username="gd_province")
    for username, field, region, gender in (
        ("gd_expert", "教育信息化", "440100", "女"),
        ("gd_expert2", "信息技术与课程整合", None, "男"),
    ):
        user = User.objects.get(username=username)
        if not Expert.objects.filter(user=user).exists():
            register_expert(
                actor=gd_admin,
                user=user,
                field=field,
                gender=gender,
                region=Organisation.objects.get(code=region) if region else None,
            )
