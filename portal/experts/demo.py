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
        register_expert(actor=province_admin, user=expert, field="教育技术学",
                        region=Organisation.objects.get(code="450300"))
