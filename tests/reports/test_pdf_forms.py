"""The three official forms printed at the end of the review, filled with realistic content at every
limit, read back with pdftotext as a person would copy them: every label of the paper form on one line
as one string, every value, the applicant's signature line, the boxes in the paper form's order, and
nothing the paper form does not have inside the form."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.core.samples import blank_pdf
from portal.formspec.realistic import realistic_post
from portal.orgs.choices import Role
from portal.programmes.services.applications import save_draft, start_application, submit_application
from portal.programmes.services.attachments import add_attachment
from portal.reports.pdf import application_pdf
from tests.factories import make_user
from tests.fixtures.review import FINAL_OPINIONS

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils 未安装（make test 会自动安装）")

EVIDENCE = blank_pdf()

# The boxes of each paper form, in its order, with the lines each ends with (seed forms).
PAPER_BOXES = {
    "national_zone": [
        ("", "负责人", "（公章）"),
        ("省级教育行政部门意见", "负责人", "（公章）"),
        ("审核意见(申报、推荐单位不填写此项)", "", ""),
    ],
    "guangxi_zone": [
        ("申报单位意见", "负责人(签字)", "（公章）"),
        ("市级教育行政部门审核推荐意见", "", "（公章）"),
        ("专家组评审意见", "组长签字：", ""),
        ("自治区教育厅意见", "", "（公章）"),
    ],
    "guangxi_school": [
        ("申报单位意见", "负责人（签字）", "（公章）"),
        ("县级教育行政部门推荐意见", "", "（公章）"),
        ("市级教育行政部门审核推荐意见", "", "（公章）"),
        ("专家组评审意见", "组长签字：", ""),
        ("自治区教育厅意见", "", "（公章）"),
    ],
}

# Labels that wrapped mid-label before (the issue's list), checked by name besides the generic walk.
LONG_LABELS = {
    "national_zone": ["近3年区域教育信息化投入经费", "区域内学校宽带网络接入率", "校园无线网络覆盖率"],
    "guangxi_zone": [
        "市或县（市、区）教育局规范名称（盖章）",
        "近3年教育信息化投入经费（万元）",
        "广西数字教材规模化应用教师比例",
        "教师信息技术应用能力培训覆盖率",
    ],
    "guangxi_school": [
        "学校规范名称（盖章）",
        "广西数字教材规模化应用教师比例",
        "教师信息技术应用能力培训覆盖率",
        "近3年教育信息化投入经费",
    ],
}


def _lines(pdf: bytes) -> list[str]:
    """pdftotext's reading order (as a person copies text), each line without spaces."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [re.sub(r"\s+", "", line) for line in out.decode().splitlines() if line.strip()]


FOOTER = re.compile(r"第\d+页共\d+页核验码[A-Z0-9]{10}")


def _pages(pdf: bytes) -> list[str]:
    """Each page's text in content order, without spaces and without the page footer (which would
    otherwise sit in the middle of a text that runs on to the next page)."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [FOOTER.sub("", re.sub(r"\s+", "", page)) for page in out.decode().split("\f")]


def _paper_labels(definition: dict) -> list[str]:
    """The labels the paper prints inside the form: label cells, captions, block labels."""
    fields, labels = definition["fields"], []
    for section in definition["sections"]:
        if section.get("print") == "appendix":
            continue
        for item in section["items"]:
            if item["type"] == "table":
                for row in item["rows"]:
                    names = [c["field"] for c in row if "field" in c]
                    if names and all(fields[n].get("aux") for n in names):
                        continue
                    labels += [c["label"] for c in row if c.get("label")]
                    labels += [fields[c["field"]]["label"] for c in row if c.get("caption")]
            elif fields[item["field"]].get("kind") != "rows":
                labels.append(fields[item["field"]]["label"])
    return [re.sub(r"\s+", "", label) for label in labels if label.strip()]


def _fill(application, actor, *, multiple):
    definition = application.schema.definition
    post = realistic_post(
        definition,
        multiple=multiple,
        org_name=application.applicant.name,
        org_code=application.applicant.code,
        at_limit=True,
    )
    save_draft(actor=actor, application=application, raw=post, expected_version=application.lock_version)
    for name, spec in definition["fields"].items():
        if spec.get("attach") == "evidence":
            add_attachment(
                actor=actor,
                application=application,
                name="工作基础支撑材料.pdf",
                data=EVIDENCE,
                purpose="evidence",
                field=name,
            )
    submit_application(actor=actor, application=application)
    application.refresh_from_db()
    return post


FORMS = [
    ("guangxi_school", "guangxi", "school_a1", Role.SCHOOL_APPLICANT),
    ("guangxi_zone", "guangxi", "county_a", Role.BUREAU_APPLICANT),
    ("national_zone", "national", "county_a", Role.BUREAU_APPLICANT),
]


@pytest.fixture
def final_pdf(calls, tree, decided_everywhere, artifacts_dir):
    def make(key, call_name, org_attr, role, keep=False):
        actor = make_user(role, getattr(tree, org_attr))
        application = start_application(actor=actor, call=getattr(calls, call_name))
        assert application.schema.key == key
        post = _fill(application, actor, multiple=call_name == "national")
        application = decided_everywhere(application)
        pdf, document = application_pdf(application, actor)
        if keep:  # pages to look at beside the seed form
            target = Path(artifacts_dir) / f"pdf_final_{key}.pdf"
            target.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(target), str(target.with_suffix(""))], check=True)
        return application, post, pdf, document

    return make


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_every_paper_label_is_one_string_on_one_line(final_pdf, key, call_name, org_attr, role):
    application, post, pdf, _ = final_pdf(key, call_name, org_attr, role, keep=True)
    lines = _lines(pdf)
    definition = application.schema.definition
    for label in _paper_labels(definition) + LONG_LABELS[key]:
        assert any(label in line for line in lines), f"{label} is split across lines or missing"


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_every_value_is_printed_and_amounts_hold_together(final_pdf, key, call_name, org_attr, role):
    application, post, pdf, _ = final_pdf(key, call_name, org_attr, role)
    text = "".join(_pages(pdf))
    lines = _lines(pdf)
    values = application.versions.get().content["values"]
    for name, spec in application.schema.definition["fields"].items():
        if spec.get("aux") or values.get(name) in (None, "", []):
            continue
        if spec["kind"] in {"text", "textarea"} and not spec.get("format"):
            assert re.sub(r"\s+", "", values[name]) in text, f"value of {name} missing"
        elif spec.get("format") in ("mobile", "phone", "fax", "postcode"):
            assert any(values[name] in line for line in lines), f"{name} is broken across lines"
        elif spec["kind"] == "decimal" and spec.get("unit") == "万元":
            # An amount and its unit never break apart, and 万元 is not printed twice beside a （万元） label.
            assert any(values[name] in line for line in lines), name
            assert "万/元" not in text and "万元万元" not in text
    assert "万元万元" not in text


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_the_boxes_are_the_paper_forms_in_its_order(final_pdf, key, call_name, org_attr, role):
    application, post, pdf, document = final_pdf(key, call_name, org_attr, role)
    form_pages = _pages(pdf)
    form = "".join(p for p in form_pages if "附页" not in p)
    position = 0
    for label, signer, seal in PAPER_BOXES[key]:
        if label:
            found = form.find(label, position)
            assert found >= position, f"box {label} missing or out of order"
            position = found + len(label)
        for line in (signer, seal):
            if line:
                found = form.find(line, position)
                assert found >= position, f"{line} missing after {label}"
        if label:
            level = next(
                b["level"] for b in application.schema.definition["opinions"] if b["label"] and b["label"] in label
            )
            if level != "applicant":
                assert re.sub(r"\s+", "", FINAL_OPINIONS[level]) in form
    # Every box that a seal belongs to ends with its date line; the applicant signs on paper.
    assert form.count("年月日") >= 1
    # Nothing the paper form lacks: no 审核意见 heading, no "签字：" line, no doubled （签字）.
    assert "签字：" not in form.replace("组长签字：", "")
    assert "（签字）（签字）" not in form and "审核意见审核意见" not in form
    if key == "national_zone":
        assert "市级教育行政部门" not in form  # the chain's city level is not a box of this form
        assert form.index("审核意见(申报、推荐单位不填写此项)") > form.index("省级教育行政部门意见")
        assert (
            form.rstrip().endswith(
                "审核意见(申报、推荐单位不填写此项)" + re.sub(r"\s+", "", FINAL_OPINIONS["ministry"])
            )
            or "经审核，同意列为实验区。" in form
        )
    # The portal's own data (categories, keywords of the Guangxi forms; other levels; attachments;
    # verification) is on the separate page after the form.
    appendix = "".join(p for p in form_pages if "附页" in p)
    assert document.code in appendix and "附件清单" in appendix
    if key.startswith("guangxi"):
        assert "实验类别" in appendix and "关键词" in appendix
        assert "实验类别" not in form and "关键词" not in form
    if key == "national_zone":
        assert "市级教育行政部门" in appendix


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_yes_no_answers_print_as_on_the_form(final_pdf, key, call_name, org_attr, role):
    application, post, pdf, _ = final_pdf(key, call_name, org_attr, role)
    text = "".join(_pages(pdf))
    yesno = [n for n, s in application.schema.definition["fields"].items() if s["kind"] == "yesno"]
    assert text.count("是☑否□") == len(yesno) == {"guangxi_zone": 0, "guangxi_school": 2, "national_zone": 2}[key]
    assert "是否" not in text.replace("是否采用", "").replace("是否参与", "").replace("是否全覆盖", "")


@pytest.fixture
def laid_out(calls, tree, decided_everywhere):
    """laid_out(call, organisation, role) → (application at the end of its chain, WeasyPrint's rendered
    document of its form), to read the layout's own boxes."""
    from weasyprint import HTML

    from portal.reports.pdf import application_html, issue

    def make(call_name, org_attr, role):
        actor = make_user(role, getattr(tree, org_attr))
        application = start_application(actor=actor, call=getattr(calls, call_name))
        _fill(application, actor, multiple=call_name == "national")
        application = decided_everywhere(application)
        version = application.versions.get()
        return application, HTML(
            string=application_html(application, version, issue(application, version, actor))
        ).render()

    return make


def _walk(box):
    box = getattr(box, "_box", box)  # an absolutely positioned box sits behind a placeholder
    yield box
    for child in getattr(box, "children", []):
        yield from _walk(child)


def _boxes_by_class(page_box, tag: str, css_class: str):
    for box in _walk(page_box):
        element = getattr(box, "element", None)
        if (
            getattr(box, "element_tag", None) == tag
            and element is not None
            and css_class in (element.get("class") or "").split()
        ):
            yield box


def _rect(box):
    """The border box: what is drawn (a seal's negative margin only moves it)."""
    x, y = box.border_box_x(), box.border_box_y()
    return (x, y, x + box.border_width(), y + box.border_height())


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_each_seal_lies_inside_its_own_box(laid_out, key, call_name, org_attr, role):
    """Laid out by WeasyPrint itself: every seal's rectangle lies within the rectangle of the opinion
    box it belongs to, so it neither crosses into the next box nor leaves the frame."""
    application, document = laid_out(call_name, org_attr, role)
    seals = 0
    for page in document.pages:
        cells = list(_boxes_by_class(page._page_box, "td", "rv-cell"))
        for seal in _boxes_by_class(page._page_box, "img", "rv-seal"):
            x0, y0, x1, y1 = _rect(seal)
            owner = [c for c in cells if _rect(c)[0] <= x0 and _rect(c)[1] <= (y0 + y1) / 2 <= _rect(c)[3]]
            assert len(owner) == 1, "a seal outside every box"
            cx0, cy0, cx1, cy1 = _rect(owner[0])
            assert cx0 <= x0 and x1 <= cx1 and cy0 <= y0 and y1 <= cy1, (
                f"seal {(x0, y0, x1, y1)} crosses its box {(cx0, cy0, cx1, cy1)}"
            )
            seals += 1
    sealed_levels = [
        b["level"]
        for b in application.schema.definition["opinions"]
        if b["level"] != "applicant" and b.get("seal", True)
    ]
    assert seals == len(sealed_levels) > 0


@pytest.mark.parametrize("key,call_name,org_attr,role", FORMS)
def test_nothing_that_belongs_together_is_split_by_a_page(laid_out, key, call_name, org_attr, role):
    """Laid out by WeasyPrint: no row group (the two lines of 负责人, a rowspan) and no opinion box spans
    two pages, no long text's title stays alone at a page foot, every box has its four borders, and
    every number — typed or computed — is aligned alike."""
    application, document = laid_out(call_name, org_attr, role)
    seen: dict[int, set[int]] = {}
    alignments = set()
    for number, page in enumerate(document.pages):
        for tag, css in (("tbody", "fs-keep"), ("td", "rv-cell")):
            for box in _boxes_by_class(page._page_box, tag, css):
                seen.setdefault(id(box.element), set()).add(number)
        for cell in _boxes_by_class(page._page_box, "td", "rv-cell"):
            assert (
                min(cell.border_top_width, cell.border_bottom_width, cell.border_left_width, cell.border_right_width)
                > 0
            ), "an opinion box lacks a border"
        for box in _boxes_by_class(page._page_box, "div", "fs-box"):
            parts = {c.element.get("class") for c in box.children if getattr(c, "element", None) is not None}
            assert parts != {"fs-box-label"}, "a title left alone at the foot of a page"
        alignments |= {cell.style["text_align_all"] for cell in _boxes_by_class(page._page_box, "td", "fs-num")}
    assert all(len(pages) == 1 for pages in seen.values()), "a group of rows or a box split across pages"
    assert alignments == {"right"}


def test_a_title_never_leaves_a_character_alone():
    from portal.reports.pdf import title_lines

    assert title_lines("基础教育信息化融合创新实验校申请表") == ["基础教育信息化融合创新实验校申请表"]
    national = "“基于教学改革、融合信息技术的新型教与学模式实验区”申请表"
    assert title_lines(national) == ["“基于教学改革、融合信息技术的", "新型教与学模式实验区”申请表"]
    for length in range(1, 80):
        lines = title_lines("字" * length)
        assert "".join(lines) == "字" * length and all(len(line) <= 24 for line in lines)
        assert min(map(len, lines)) >= min(length, 12), lines
