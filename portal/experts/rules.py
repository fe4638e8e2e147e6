"""Permissions of expert review (django-rules). Which panel and which assignment is the selectors' job."""

import rules

from portal.orgs.rules import is_expert, is_province_admin

rules.add_perm("experts.manage", is_province_admin)
rules.add_perm("experts.score", is_expert)
