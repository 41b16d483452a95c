"""The Word export of a document's first page (Hướng dẫn 36-HD/VPTW): read back with
python-docx, and converted to PDF by LibreOffice where it is installed."""

import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from docx.shared import Pt

from grassroots.resolutions.word import document_docx
from tests.resolutions.documents_world import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(reg):
    return make_document(
        reg.committee,
        "CTr",
        issued_on=date(2021, 3, 5),
        title="Chương trình hành động thực hiện Nghị quyết số 07-NQ/TU của Tỉnh ủy",
        summary="Mục đích, yêu cầu.\nNhiệm vụ và giải pháp.",
    )


def _lines(cell):
    return [p.text for p in cell.paragraphs]


def test_header_text_and_layout(programme):
    word = WordDocument(BytesIO(document_docx(programme)))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [30, 15]
    left, right = word.tables[0].rows[0].cells
    assert _lines(left) == ["ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY NẬM NHÙN", "*", "Số 01-CTr/HU"]
    assert _lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Nậm Nhùn, ngày 05 tháng 03 năm 2021"]
    party = right.paragraphs[0].runs[0]
    assert party.underline and party.bold
    assert right.paragraphs[2].runs[0].italic
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold
    body = [p for p in word.paragraphs if p.text]
    assert body[0].text == "CHƯƠNG TRÌNH" and body[0].runs[0].bold
    assert body[1].text == programme.title and body[1].runs[0].bold
    assert [p.text for p in body[3:]] == ["Mục đích, yêu cầu.", "Nhiệm vụ và giải pháp."]
    runs = [r for p in word.paragraphs for r in p.runs] + [
        r for c in (left, right) for p in c.paragraphs for r in p.runs
    ]
    assert runs and all(r.font.name == "Times New Roman" and r.font.size == Pt(14) for r in runs)


def test_the_page_downloads_the_export(client, admin_user, programme):
    client.force_login(admin_user)
    response = client.get(reverse("resolutions:document_word", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="01-ctr-hu.docx"'
    word = WordDocument(BytesIO(response.content))
    assert word.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số 01-CTr/HU"


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export(programme, tmp_path):
    source = tmp_path / "01-ctr-hu.docx"
    source.write_bytes(document_docx(programme))
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "01-ctr-hu.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_the_command_line_writes_the_export(programme, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    target = tmp_path / "ctr.docx"
    out = StringIO()
    call_command("document_word", "01-CTr/HU", "--org", "DB-112", "--out", str(target), stdout=out)
    assert "01-CTr/HU" in out.getvalue()
    header = WordDocument(str(target)).tables[0].rows[0].cells[0]
    assert header.paragraphs[-1].text == "Số 01-CTr/HU"
    with pytest.raises(CommandError, match="Không tìm thấy văn bản số 99-CTr/HU"):
        call_command("document_word", "99-CTr/HU", "--out", str(target))
