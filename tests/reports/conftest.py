from tests.experts.conftest import admin, at_expert_stage, experts, panel, rubric  # noqa: F401
from tests.programmes.conftest import bureau_user, calls, private_media, school_user  # noqa: F401
from tests.review.conftest import later, reviewers, submitted  # noqa: F401
