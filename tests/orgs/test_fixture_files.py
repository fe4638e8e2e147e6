"""The demo's data lives in the top-level fixtures/ as plain files — organisation and
account imports, call configurations, sample applications, the Dongguan project's plans — and
load_demo reads them, so a province can start from them (and `load_call` loads a call file)."""

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.experts.models import Rubric
from portal.orgs.models import Organisation, User
from portal.programmes.models import Application, Call

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def _csv(name):
    with (FIXTURES / "orgs" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _json(relative):
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


@pytest.fixture
def copied_fixtures(tmp_path, settings):
    """A province's own copy of fixtures/, which load_demo then reads instead."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    settings.PORTAL_FIXTURES_DIR = target
    return target


@pytest.mark.django_db
def test_the_demo_is_exactly_what_the_files_say(copied_fixtures, client):
    # Change the files: the demo follows them, so nothing of it is kept in code.
    orgs = copied_fixtures / "orgs" / "organisations.csv"
    orgs.write_text(
        orgs.read_text(encoding="utf-8") + "2450102099,南宁市兴宁区示范小学,学校,450102,450102,小学,公办\n",
        encoding="utf-8",
    )
    accounts = copied_fixtures / "orgs" / "accounts.csv"
    accounts.write_text(
        accounts.read_text(encoding="utf-8")
        + "xn_school,李示范,2450102099,学校申报人,教务主任,13877109999,xn@demo.pilot.edu.cn,Shifan@2026\n",
        encoding="utf-8",
    )
    guangdong = copied_fixtures / "calls" / "guangdong-demo.json"
    data = json.loads(guangdong.read_text(encoding="utf-8"))
    data["call"]["title"] = "广东省融合创新实验校申报（省级试点文件）"
    data["categories"] = data["categories"][:2]
    guangdong.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_demo", "--json", stdout=out)

    listed = {a["username"] for a in json.loads(out.getvalue())}
    assert "xn_school" in listed
    assert Organisation.objects.get(code="2450102099").parent.code == "450102"
    assert client.post("/accounts/login/", {"username": "xn_school", "password": "Shifan@2026"}).status_code == 302
    call = Call.objects.get(document_number="演示〔2026〕1号")
    assert call.title == "广东省融合创新实验校申报（省级试点文件）"
    assert call.categories.count() == 2


@pytest.mark.django_db
def test_every_row_of_every_file_is_in_the_demo():
    call_command("load_demo", stdout=StringIO())
    rows = _csv("organisations.csv")
    assert Organisation.objects.filter(code__in=[r["机构代码"] for r in rows]).count() == len(rows)
    for row in _csv("accounts.csv"):
        user = User.objects.get(username=row["用户名"])
        assert (user.real_name, user.organisation.code, user.phone) == (row["姓名"], row["所属机构代码"], row["手机"])
        assert user.check_password(row["初始密码"])
    for name in ("national-2019.json", "guangxi-2023.json", "guangdong-demo.json"):
        data = _json(f"calls/{name}")
        call = Call.objects.get(document_number=data["call"]["document_number"])
        assert call.title == data["call"]["title"] and list(call.review_chain) == data["call"]["review_chain"]
        assert [c.name for c in call.categories.order_by("number")] == [c["name"] for c in data["categories"]]
        for rubric in data.get("rubrics", []):
            for kind in rubric["applicant_kinds"]:
                saved = Rubric.objects.get(call=call, applicant_kind=kind)
                assert [c.title for c in saved.criteria.order_by("number")] == [c["title"] for c in rubric["criteria"]]
    for number, samples in _json("applications/demo-applications.json").items():
        for sample in samples:
            application = Application.objects.get(call__document_number=number, applicant__code=sample["school"])
            assert application.title == sample["experiment_name"]
    dongguan = _json("projects/dongguan-2021.json")
    from budgets.models import SpendingPlan

    plan = SpendingPlan.objects.get(project__organisation__code="441900")
    assert [line.category for line in plan.lines.order_by("number")] == [line["category"] for line in dongguan["lines"]]


@pytest.fixture
def organisations(db):
    call_command("load_demo", stdout=StringIO())


def _shanxi_file(tmp_path, **changes):
    data = _json("calls/guangxi-2023.json")
    data["programme"] = {"code": "sx-fusion", "name": "山西省信息化融合创新实验校", "organisation": "140000"}
    data["call"] = {
        **data["call"],
        "title": "山西省信息化融合创新实验校申报",
        "document_number": "晋教信〔2026〕9号",
        "issuing_authority": "山西省教育厅",
    }
    data["excluded_calls"] = []
    for key, value in changes.items():
        data[key] = value
    path = tmp_path / "shanxi.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_province_loads_its_own_call_from_an_edited_copy(organisations, tmp_path):
    path = _shanxi_file(tmp_path)
    call_command("load_call", str(path), "--as", "sx_province", "--opens", "2027-03-01", stdout=StringIO())
    call_command("load_call", str(path), "--as", "sx_province", "--opens", "2027-03-01", stdout=StringIO())
    call = Call.objects.get(document_number="晋教信〔2026〕9号")  # loaded twice, one call
    assert call.organisation.code == "140000"
    assert timezone.localtime(call.opens_at).date().isoformat() == "2027-03-01"
    submit = call.deadlines.get(step="submit")
    assert timezone.localtime(submit.due_at).strftime("%Y-%m-%d %H:%M") == "2027-04-30 17:30"  # +60 days
    assert call.rubrics.get(applicant_kind="school").criteria.count() == 4


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"colour": "red"}, "无法识别的项：colour"),
        ({"forms": {"school": "zhejiang_school"}}, "未知的申请表“zhejiang_school”"),
        ({"forms": {"teacher": "guangxi_school"}}, "未知的申报主体类别“teacher”"),
        ({"excluded_calls": ["浙教〔2020〕1号"]}, "文号不存在：浙教〔2020〕1号"),
        ({"programme": {"code": "x", "name": "x", "organisation": "330000"}}, "主管机构代码“330000”不存在"),
    ],
)
def test_a_wrong_call_file_is_refused_with_the_reason(organisations, tmp_path, changes, message):
    path = _shanxi_file(tmp_path, **changes)
    with pytest.raises(CommandError, match=message):
        call_command("load_call", str(path), "--as", "sx_province", stdout=StringIO())
    assert not Call.objects.filter(document_number="晋教信〔2026〕9号").exists()


def test_an_illogical_chain_or_a_broken_file_is_refused(organisations, tmp_path):
    data = _json("calls/guangxi-2023.json")
    path = _shanxi_file(
        tmp_path,
        call={
            **data["call"],
            "document_number": "晋教信〔2026〕9号",
            "review_chain": ["county", "province", "expert", "city"],
        },
    )
    with pytest.raises(CommandError, match="审核推荐流程有误"):
        call_command("load_call", str(path), "--as", "sx_province", stdout=StringIO())
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 UTF-8 JSON"):
        call_command("load_call", str(path), "--as", "sx_province", stdout=StringIO())
    with pytest.raises(CommandError, match="没有管理申报批次的权限"):
        call_command("load_call", "guangxi-2023.json", "--as", "gx_school", stdout=StringIO())
    assert not Call.objects.filter(document_number="晋教信〔2026〕9号").exists()
