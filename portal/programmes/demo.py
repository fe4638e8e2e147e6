"""The demo's calls, read from `fixtures/calls/`: the national 2019 zone call (教基厅函〔2019〕46号), the
Guangxi 2023 3rd-batch zone and school call (桂教网信〔2023〕23号), and a Guangdong school call made up for
the demo (its 文号 says so) to show a city without counties: a Dongguan school is reviewed first by
the city.

Every value is the notice's, except the dates: the files keep the notice's intervals in days from
the opening, and the demo opens a week ago, or nobody could try the forms."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.orgs.models import User
from portal.programmes import callfiles
from portal.programmes.models import Call
from portal.programmes.services.calls import CallConfig

# file, the account that opens it
DEMO_CALLS = [
    ("national-2019.json", "moe_reviewer"),
    ("guangxi-2023.json", "gx_province"),
    ("guangdong-demo.json", "gd_province"),
]


def national_config(start) -> CallConfig:
    return callfiles.config_from(callfiles.read("national-2019.json"), opens_at=start, excluded_calls=[])


def guangxi_config(start, national: Call | None) -> CallConfig:
    return callfiles.config_from(
        callfiles.read("guangxi-2023.json"), opens_at=start, excluded_calls=[national] if national else []
    )


def demo_opening(now=None):
    start = timezone.localtime(now or timezone.now()) - timedelta(days=7)
    return start.replace(hour=9, minute=0, second=0, microsecond=0)


def load_demo_calls(now=None) -> list[Call]:
    start = demo_opening(now)
    return [
        callfiles.load_call(actor=User.objects.get(username=username), data=callfiles.read(name), opens_at=start)
        for name, username in DEMO_CALLS
    ]
