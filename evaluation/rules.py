"""Permissions of the evaluation cycle (django-rules). Which round, entry or sheet a user reaches is
the scope selectors' job (evaluation/scope.py): outside it is a 404."""

import rules

from portal.orgs.rules import is_expert, is_ministry_reviewer, is_province_admin
from portal.projects.rules import is_applicant, is_overseer

# The province opens and decides rounds for its calls; the ministry for national ones.
is_round_manager = is_province_admin | is_ministry_reviewer

rules.add_perm("evaluation.manage_rounds", is_round_manager)
rules.add_perm("evaluation.view_rounds", is_applicant | is_overseer | is_expert)
rules.add_perm("evaluation.score", is_expert)
