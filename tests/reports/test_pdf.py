"""Printed forms: every label and value of the form is in the PDF's text, the red seal is on the boxes
of levels that recommended or approved and nowhere else, and the verification page names the version."""

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from portal.formspec.sample import sample_post
from portal.orgs.choices import Role
from portal.reports import services
from portal.reports.models import IssuedDocument
from portal.reports.pdf import application_html, application_pdf, chinese_date, issue
from portal.review.models import RecommendationList
from portal.review.services.decisions import Decision, decide
from tests.factories import make_user

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils 未安装（make test 会自动安装）")


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode())


def _red_pixels(pdf: bytes, page: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", "-", f"{folder}/page"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        image = Image.open(f"{folder}/page.png").convert("RGB")
    width, height = image.size
    pixels = image.load()
    return sum(
        1
        for x in range(width)
        for y in range(height)
        if pixels[x, y][0] > 170 and pixels[x, y][1] < 110 and pixels[x, y][2] < 110
    )


def _printed_labels(definition: dict) -> list[str]:
    """The labels the paper form prints: table label cells, captions, block titles, row headings."""
    fields, labels = definition["fields"], []
    for section in definition["sections"]:
        for item in section["items"]:
            if item["type"] == "table":
                for row in item["rows"]:
                    if all(fields.get(c.get("field"), {}).get("aux") for c in row if "field" in c) and any(
                        "field" in c for c in row
                    ):
                        continue
                    for cell in row:
                        if cell.get("label"):
                            labels.append(cell["label"])
                        elif cell.get("caption"):
                            labels.append(fields[cell["field"]]["label"])
            else:
                spec = fields[item["field"]]
                labels.append(spec["label"])
                labels += [col["label"] for col in spec.get("columns", [])]
    return labels


def _pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.mark.parametrize(
    "key,call_name,org_attr,role",
    [
        ("guangxi_school", "guangxi", "school_a1", Role.SCHOOL_APPLICANT),
        ("guangxi_zone", "guangxi", "county_a", Role.BUREAU_APPLICANT),
        ("national_zone", "national", "county_a", Role.BUREAU_APPLICANT),
    ],
)
def test_every_label_and_value_is_printed(calls, tree, submitted, key, call_name, org_attr, role, artifacts_dir):
    application = submitted(
        make_user(role, getattr(tree, org_attr)), getattr(calls, call_name), multiple=call_name == "national"
    )
    assert application.schema.key == key
    pdf, document = application_pdf(application, application.created_by)
    text = _text(pdf)
    definition = application.schema.definition
    for label in _printed_labels(definition):
        assert re.sub(r"\s+", "", label) in text, f"label {label} missing"
    for name, spec in definition["fields"].items():
        if spec.get("aux"):
            assert re.sub(r"\s+", "", spec["label"]) not in text, f"{name} is not printed"
    values = application.versions.get().content["values"]
    post = sample_post(definition, multiple=call_name == "national")
    for name, spec in definition["fields"].items():
        if spec["kind"] in {"text", "textarea"} and not spec.get("aux") and post.get(name):
            assert re.sub(r"\s+", "", str(values[name])) in text, f"value of {name} missing"
    for section in definition["sections"]:
        if section["title"]:
            assert section["title"] in text
    assert definition["title"] in text and f"第1页共{_pages(pdf)}页" in text
    assert document.code in text
    # Pages to look at beside the seed forms.
    (Path(artifacts_dir) / f"pdf_{key}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            str(Path(artifacts_dir) / f"pdf_{key}.pdf"),
            str(Path(artifacts_dir) / f"pdf_{key}"),
        ],
        check=True,
    )


def test_the_seal_is_printed_on_recommending_boxes_only(calls, tree, school_user, submitted, role_users):
    application = submitted(school_user, calls.guangxi)
    county = role_users[Role.COUNTY_REVIEWER]
    version = application.versions.get()
    html = application_html(application, version, issue(application, version, county))
    assert html.count('class="rv-seal"') == 0
    plain = application_pdf(application, county)[0]
    decide(actor=county, application=application, decision=Decision(outcome="recommend", text="同意推荐。"))
    sealed = application_pdf(application, county)[0]
    html = application_html(application, version, issue(application, version, county))
    assert html.count('class="rv-seal"') == 1
    # The boxes end the form; the page after them is the portal's appendix.
    last = _pages(sealed) - 1
    assert _red_pixels(plain, last) < 20 < _red_pixels(sealed, last)
    assert _red_pixels(sealed, last + 1) < 20
    assert "同意推荐。" in _text(sealed) and chinese_date(application.opinions.get().signed_on) in _text(sealed)


def test_chinese_dates():
    from datetime import date

    assert chinese_date(date(2023, 9, 15)) == "二〇二三年九月十五日"
    assert chinese_date(date(2019, 10, 24)) == "二〇一九年十月二十四日"
    assert chinese_date(date(2020, 1, 1)) == "二〇二〇年一月一日"


def test_the_verification_page_names_what_was_issued(calls, school_user, submitted, client):
    application = submitted(school_user, calls.guangxi)
    _, document = application_pdf(application, school_user)
    page = client.get(reverse("verify", args=[document.code.lower()])).content.decode()
    assert application.versions.get().sha256 in page and application.applicant.name in page
    assert client.get(reverse("verify", args=["NOTACODE00"])).status_code == 404


def test_a_citys_list_as_one_zip_of_pdfs(calls, tree, reviewers, submitted, django_capture_on_commit_callbacks):
    from portal.review.services import lists

    apps = [submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi) for org in (tree.school_a1, tree.school_a2)]
    for app in apps:
        decide(actor=reviewers.county, application=app, decision=Decision(outcome="recommend", text="推荐"))
    lst = RecommendationList.objects.get(level="county")
    lists.rank(actor=reviewers.county, lst=lst, order=[e.pk for e in lst.entries.order_by("-rank")])
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.request_report(actor=reviewers.county, kind="list_pdfs", pk=lst.pk)
    job.refresh_from_db()
    with zipfile.ZipFile(services.storage_dir() / job.stored_name) as archive:
        names = archive.namelist()
        assert names == [f"01_{tree.school_a2.name}.pdf", f"02_{tree.school_a1.name}.pdf"]
        assert archive.read(names[0])[:5] == b"%PDF-"
    assert IssuedDocument.objects.count() == 2


def test_a_provinces_call_as_one_zip_of_every_submitted_form(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    from portal.programmes.models import Application
    from portal.programmes.services.applications import start_application

    for org in (tree.school_c1, tree.school_a2, tree.school_a1):
        submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi)
    draft_user = make_user(Role.SCHOOL_APPLICANT, tree.school_b1)
    start_application(actor=draft_user, call=calls.guangxi)  # a draft is not printed
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.request_report(actor=reviewers.province, kind="call_pdfs", pk=calls.guangxi.pk)
    job.refresh_from_db()
    assert job.status == "done" and Application.objects.filter(call=calls.guangxi).count() == 4
    ordered = sorted((tree.school_a1, tree.school_a2, tree.school_c1), key=lambda o: (o.path, o.name))
    with zipfile.ZipFile(services.storage_dir() / job.stored_name) as archive:
        assert archive.namelist() == [f"{i:02d}_{org.name}.pdf" for i, org in enumerate(ordered, 1)]
        for name, org in zip(archive.namelist(), ordered):
            # Each file is its own applicant's form: it carries the code issued for that application.
            issued = IssuedDocument.objects.get(application__applicant=org)
            assert f"核验码{issued.code}" in _text(archive.read(name))
    from portal.core.exceptions import ServiceError

    with pytest.raises(ServiceError, match="没有生成此报表的权限"):
        services.request_report(actor=reviewers.city, kind="call_pdfs", pk=calls.guangxi.pk)


def test_the_pdf_is_signed_and_a_tampered_copy_is_detected(calls, school_user, submitted, settings):
    from portal.reports.signing import verify

    application = submitted(school_user, calls.guangxi)
    pdf, _ = application_pdf(application, school_user)
    assert verify(pdf) == {"signed": True, "intact": True, "valid": True, "covers_whole_file": True}
    tampered = bytearray(pdf)
    at = tampered.find(b"/Title")
    assert at > 0
    tampered[at + 8] = ord("X") if tampered[at + 8] != ord("X") else ord("Y")
    assert verify(bytes(tampered))["intact"] is False
    out = subprocess.run(["pdfsig", "-"], input=pdf, capture_output=True)
    if out.returncode == 0:  # poppler agrees when it can read stdin
        assert "Signature is Valid" in out.stdout.decode()
