"""Who publishes forms: those who open calls (a call chooses its forms)."""

import rules

from portal.orgs.rules import role_is
from portal.programmes.rules import CALL_OPENERS

rules.add_perm("formspec.publish_definition", role_is(*CALL_OPENERS))
