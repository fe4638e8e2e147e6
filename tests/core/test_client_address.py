"""X-Forwarded-For is believed only from the configured reverse proxies. Before,
anyone could write any address into the audit log, and behind a proxy every citizen shared one
objection bucket."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.core.clients import client_ip
from portal.review.models import Objection, RecommendationList
from portal.review.views.public import OBJECTIONS_PER_HOUR


@pytest.mark.parametrize(
    "proxies, peer, forwarded, expected",
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # nobody trusted: header ignored
        (["10.0.0.1"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not sent by our proxy
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1", "198.51.100.1"),  # our proxy says who
        (["10.0.0.1"], "10.0.0.1", "1.1.1.1, 198.51.100.1", "198.51.100.1"),  # a forged first hop is ignored
        (["10.0.0.0/8"], "10.0.0.1", "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies of ours
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.9, 10.0.0.7", "10.0.0.9"),  # all ours: the farthest
        (["10.0.0.1"], "10.0.0.1", "garbage, 198.51.100.1", "198.51.100.1"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1, garbage", "10.0.0.1"),  # garbled at our end: the peer
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
        ([], "not-an-address", "", None),
    ],
)
def test_the_client_is_the_first_hop_not_written_by_us(rf, settings, proxies, peer, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_forged_header_does_not_reach_the_audit_log(role_users, client, settings):
    from portal.orgs.choices import Role

    settings.PORTAL_TRUSTED_PROXIES = []
    user = role_users[Role.SCHOOL_APPLICANT]
    user.set_password("Passw0rd!x")
    user.save()
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "Passw0rd!x"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    entry = AuditEntry.objects.filter(action="accounts.login.success").latest("pk")
    assert entry.ip_address == "203.0.113.9"


@pytest.fixture
def notice(calls, tree):
    lst = RecommendationList.objects.create(
        call=calls.guangxi,
        organisation=tree.city_a,
        level="city",
        status="notice",
        notice_title="公示",
        notice_starts=timezone.now() - timedelta(hours=1),
        notice_ends=timezone.now() + timedelta(days=5),
    )
    return reverse("public_notice", args=[lst.token])


def _object(client, url, contact, address):
    return client.post(
        url,
        {"name": "李明", "contact": contact, "text": "该名单中的学校条件不符合，请核查。"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_each_citizen_has_a_bucket(notice, client, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(OBJECTIONS_PER_HOUR + 3):
        assert _object(client, notice, f"1380000{n:04d}", f"198.51.100.{n + 1}").status_code == 302
    assert set(Objection.objects.values_list("ip_address", flat=True)) == {
        f"198.51.100.{n + 1}" for n in range(OBJECTIONS_PER_HOUR + 3)
    }


def test_one_address_is_limited(notice, client, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(OBJECTIONS_PER_HOUR):
        assert _object(client, notice, f"1380000{n:04d}", "198.51.100.1").status_code == 302
    assert "提交过于频繁" in _object(client, notice, "13900000000", "198.51.100.1").content.decode()


def test_one_contact_moving_between_addresses_is_limited(notice, client, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(OBJECTIONS_PER_HOUR):
        assert _object(client, notice, "13800000000", f"198.51.100.{n + 1}").status_code == 302
    refused = _object(client, notice, "13800000000", "198.51.100.200")
    assert refused.status_code == 200 and "此联系方式一小时内提交的异议过多" in refused.content.decode()
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR
