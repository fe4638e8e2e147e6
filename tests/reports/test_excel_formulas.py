"""Text a user wrote never becomes a formula in an export. A name such as
=HYPERLINK("http://e.cn","点") used to arrive in the province summary as a live link, and so did an
expert's comment in the score sheet."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from portal.experts.models import Assignment
from portal.experts.services.assignment import assign
from portal.experts.services.sheets import save_sheet
from portal.programmes.services.applications import save_draft, start_application, submit_application
from portal.reports import services
from portal.reports.renderers.excel import FORMULA_TRIGGERS, Sheet
from tests.programmes.helpers import complete_application

LINK = '=HYPERLINK("http://e.cn","点")'
HOSTILE = [LINK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    def _ask(actor, kind, pk):
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.request_report(actor=actor, kind=kind, pk=pk, regenerate=True)
        job.refresh_from_db()
        assert job.status == "done", job.error
        return (services.storage_dir() / job.stored_name).read_bytes()

    return _ask


def _formulas(data: bytes) -> list[str]:
    """Every <f> element (a stored formula) in any sheet of the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def _cells_with(data: bytes, text: str):
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value == text]


def test_every_trigger_is_written_as_quoted_text_and_numbers_stay_numbers():
    wb = Workbook(write_only=True)
    sheet = Sheet(wb, "表", [10, 10, 10])
    sheet.append(HOSTILE + [sheet.cell(LINK), 12, 3.5, "普通文字", "a=b"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _formulas(buffer.getvalue()) == []
    row = next(load_workbook(buffer).worksheets[0].iter_rows())
    for cell, text in zip(row, HOSTILE + [LINK]):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix, text
    assert [(c.value, c.data_type) for c in row[-4:-2]] == [(12, "n"), (3.5, "n")]
    assert not row[-2].quotePrefix and not row[-1].quotePrefix  # ordinary text is left as it is
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_an_experiment_name_in_the_province_summary_is_text(calls, tree, school_user, role_users, ask):
    from portal.orgs.choices import Role

    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    data = dict(application.data, experiment_name=LINK)
    save_draft(actor=school_user, application=application, raw=data, expected_version=application.lock_version)
    application.refresh_from_db()
    assert application.data["experiment_name"] == LINK
    submit_application(actor=school_user, application=application)
    out = ask(role_users[Role.PROVINCE_ADMIN], "province_summary", calls.guangxi.pk)
    assert _formulas(out) == []
    (cell,) = _cells_with(out, LINK)
    assert cell.data_type == "s" and cell.quotePrefix


def test_an_experts_comment_in_the_score_sheet_is_text(tree, admin, experts, panel, at_expert_stage, ask):
    (a1,) = at_expert_stage(tree.school_a1)
    assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    save_sheet(
        actor=experts.huang.user,
        assignment=Assignment.objects.get(expert=experts.huang),
        points=dict.fromkeys("1234", "20"),
        comments={},
        comment=LINK,
        submit=True,
    )
    out = ask(admin, "expert_scores", panel.pk)
    assert _formulas(out) == []
    (cell,) = _cells_with(out, LINK)
    assert cell.data_type == "s" and cell.quotePrefix
