from decimal import Decimal

import pytest

from portal.experts.demo import GUANGXI, _criteria
from portal.experts.services.pool import register_expert, save_panel, save_rubric
from portal.orgs.choices import Role
from portal.programmes.models import Application
from tests.factories import make_user
from tests.programmes.conftest import calls, private_media, school_user  # noqa: F401  (shared fixtures)
from tests.review.conftest import submitted  # noqa: F401


@pytest.fixture
def admin(role_users):
    return role_users[Role.PROVINCE_ADMIN]


@pytest.fixture
def experts(tree, admin):
    """Four experts: two at the university (one registered in 柳州), one at 柳州's county bureau, one at a 南宁 school."""
    def expert(name, org, region=None, field="教育技术学"):
        user = make_user(Role.EXPERT, org, username=name, real_name=name)
        return register_expert(actor=admin, user=user, field=field, region=region)
    return type("Experts", (), {
        "lu": expert("陆教授", tree.university, tree.city_c),
        "huang": expert("黄教授", tree.university),
        "qin": expert("覃主任", tree.county_c),
        "wei": expert("韦老师", tree.school_a2),
    })


@pytest.fixture
def rubric(calls, admin):
    return save_rubric(actor=admin, call=calls.guangxi, applicant_kind="school", name="实验校评分表",
                       criteria=_criteria(GUANGXI))


@pytest.fixture
def at_expert_stage(calls, tree, submitted):
    """Submitted school applications moved straight to the expert level (the chain is tested elsewhere)."""
    def make(*orgs):
        apps = []
        for org in orgs:
            app = submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi)
            Application.objects.filter(pk=app.pk).update(stage="expert")
            app.refresh_from_db()
            apps.append(app)
        return apps
    return make


@pytest.fixture
def panel(calls, admin, experts, rubric):
    return save_panel(actor=admin, call=calls.guangxi, name="实验校第一专家组", leader=experts.lu,
                      members=[experts.huang, experts.qin, experts.wei], applicant_kind="school",
                      experts_per_application=2, outlier_margin=Decimal(15))
