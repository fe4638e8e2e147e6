import pytest
from django.db import DatabaseError, connection, transaction

from portal.audit.models import AuditEntry
from portal.audit.selectors import visible_entries
from portal.audit.services import log_action
from portal.orgs.choices import Role
from tests.factories import make_user


def test_entries_cannot_be_changed_or_deleted_through_the_orm(tree):
    entry = log_action(
        "orgs.user.update", actor=make_user(Role.COUNTY_REVIEWER, tree.county_a), changes={"phone": ["1", "2"]}
    )
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_update_of_an_entry(tree):
    entry = log_action("orgs.user.update", actor=make_user(Role.COUNTY_REVIEWER, tree.county_a))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'tampered' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "orgs.user.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE is refused by trigger on PostgreSQL only")
def test_postgres_refuses_delete_of_an_entry(tree):
    entry = log_action("orgs.user.update", actor=make_user(Role.COUNTY_REVIEWER, tree.county_a))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def test_entry_records_who_what_where_and_old_new_values(rf, tree):
    from portal.audit import context

    user = make_user(Role.CITY_REVIEWER, tree.city_a, real_name="梁建华")
    token = context.set_from_request(rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Chromium"))
    try:
        entry = log_action(
            "orgs.organisation.update", actor=user, obj=tree.school_a1, changes={"name": ["旧名", "新名"]}
        )
    finally:
        context.reset(token)
    entry.refresh_from_db()
    assert (entry.actor_username, entry.actor_name, entry.actor_org_name, entry.ip_address, entry.user_agent) == (
        user.username,
        "梁建华",
        "南宁市教育局",
        "192.0.2.7",
        "Chromium",
    )
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "orgs.organisation",
        str(tree.school_a1.pk),
        "南宁市兴宁区实验小学",
    )
    assert entry.changes == {"name": ["旧名", "新名"]}


def test_auditor_sees_its_own_subtree_only(tree):
    inside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, tree.school_a1))
    outside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, tree.other_school))
    system = log_action("orgs.import.run")
    province_auditor = make_user(Role.AUDIT_ADMIN, tree.province)
    ministry_auditor = make_user(Role.AUDIT_ADMIN, tree.moe)
    assert set(visible_entries(province_auditor)) == {inside}
    assert {inside, outside, system} <= set(visible_entries(ministry_auditor))
    assert not visible_entries(make_user(Role.SYSTEM_ADMIN, tree.moe)).exists()


def test_audit_page_shows_old_and_new_values(client, tree):
    entry = log_action(
        "orgs.organisation.update",
        actor=make_user(Role.SCHOOL_APPLICANT, tree.school_a1),
        obj=tree.school_a1,
        changes={"name": ["旧名", "新名"]},
    )
    client.force_login(make_user(Role.AUDIT_ADMIN, tree.province))
    html = client.get(f"/audit/{entry.pk}/").content.decode()
    assert "修改机构" in html and "<td>旧名</td><td>新名</td>" in html
    listing = client.get("/audit/", {"action": "orgs.organisation"}).content.decode()
    assert "修改机构" in listing
