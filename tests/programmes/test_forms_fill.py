"""Each official form filled in completely through the web form, submitted, and read back."""

import pytest
from django.urls import reverse

from portal.core.samples import blank_pdf
from portal.formspec import registry
from portal.formspec.fields import input_names
from portal.formspec.values import compute
from portal.programmes.models import Application
from tests.programmes.helpers import complete_post, definition_of, expected_values

PDF = blank_pdf()

CASES = [
    ("national_zone", "national", "bureau_user", True),
    ("guangxi_zone", "guangxi", "bureau_user", False),
    ("guangxi_school", "guangxi", "school_user", False),
]


def _start(client, user, call):
    client.force_login(user)
    response = client.post(reverse("programmes:call_apply", args=[call.pk]))
    assert response.status_code == 302, response
    return Application.objects.get(call=call, applicant=user.organisation)


@pytest.mark.parametrize("key,call_name,user_fixture,multiple", CASES)
def test_every_field_filled_on_the_web_form_is_in_the_submitted_snapshot(
    client, calls, request, key, call_name, user_fixture, multiple
):
    user = request.getfixturevalue(user_fixture)
    application = _start(client, user, getattr(calls, call_name))
    definition = definition_of(key)
    assert application.schema.key == key
    post = complete_post(definition, multiple=multiple)
    assert set(input_names(definition)) - set(post) == {
        n
        for n in input_names(definition)
        if "__" in n
        and n.split("__")[1] not in {"0", "1"}
        and definition["fields"].get(n.split("__")[0], {}).get("kind") == "rows"
    }, "every input is filled"
    edit = reverse("programmes:application_edit", args=[application.pk])
    response = client.post(edit, {**post, "_lock_version": application.lock_version, "action": "save"})
    assert response.status_code == 200
    assert "草稿已保存" in response.content.decode()
    for name, spec in definition["fields"].items():
        if spec.get("attach") == "evidence":
            upload = reverse("programmes:attachment_upload", args=[application.pk])
            from django.core.files.uploadedfile import SimpleUploadedFile

            client.post(upload, {"file": SimpleUploadedFile("证明材料.pdf", PDF), "purpose": "evidence", "field": name})
    application.refresh_from_db()
    response = client.post(edit, {**post, "_lock_version": application.lock_version, "action": "submit"})
    assert response.status_code == 302, [
        line
        for line in response.content.decode().splitlines()
        if '<li><a href="#field' in line or "alert-danger" in line
    ][:10]
    application.refresh_from_db()
    assert application.status == "submitted" and application.version_count == 1
    version = application.versions.get()
    expected = expected_values(definition, post)
    assert version.content["values"] == expected
    assert version.content["computed"] == compute(definition, expected)
    assert version.content["form"] == {
        "key": key,
        "version": registry.latest(key)["version"],
        "sha256": application.schema.sha256,
    }
    assert len(version.sha256) == 64
    # The read-only page shows what was typed.
    page = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert post["head_name"] in page and post["work_basis"] in page


def test_guangxi_zone_totals_and_ratios_are_computed_not_typed(calls, bureau_user):
    definition = definition_of("guangxi_zone")
    values = {
        f"schools__{row}__{col}": n
        for row, n in [
            ("primary", 10),
            ("teaching_point", 2),
            ("junior", 5),
            ("senior", 1),
            ("nine_year", 1),
            ("complete", 1),
        ]
        for col in ["schools"]
    }
    values.update(
        {
            "schools__primary__teachers": 300,
            "schools__junior__teachers": 200,
            "schools__primary__students": 6000,
            "schools__junior__students": 3300,
            "teacher_computers": 400,
            "student_computers": 1200,
        }
    )
    out = compute(definition, values)
    assert out["schools__total__schools"] == 20
    assert out["schools__total__teachers"] == 500
    assert out["schools__total__students"] == 9300
    assert out["teacher_ratio"] == "1.3:1"  # 500 / 400 = 1.25, rounded half up
    assert out["student_ratio"] == "7.8:1"  # 9300 / 1200 = 7.75
    assert "schools__total__schools" not in definition["fields"], "合计 is never an input"


def test_national_totals_sum_each_column(calls):
    definition = definition_of("national_zone")
    values = {
        "schools__primary__public_schools": 40,
        "schools__junior__public_schools": 12,
        "schools__senior__public_schools": 3,
        "schools__nine_year__private_schools": 2,
        "schools__complete__private_students": 1500,
    }
    out = compute(definition, values)
    assert out["schools__total__public_schools"] == 55
    assert out["schools__total__private_schools"] == 2
    assert out["schools__total__private_students"] == 1500
    assert out["schools__total__public_students"] is None


def test_school_ratio_needs_a_nonzero_count(calls):
    definition = definition_of("guangxi_school")
    assert compute(definition, {"students": 1800, "student_computers": 0})["student_ratio"] is None
    assert compute(definition, {"students": 1800, "student_computers": 200})["student_ratio"] == "9:1"
    assert compute(definition, {"teachers": 90, "teacher_computers": 100})["teacher_ratio"] == "0.9:1"
