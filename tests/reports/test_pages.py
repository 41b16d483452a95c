"""The form pages as on paper, their .xlsx and PDF (read back and compared with the page's
numbers), "Gửi báo cáo" and the comparison page."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from grassroots.members import services as member_services
from grassroots.reports.models import Submission
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(reg):
    made = []
    for i, (gender, birth) in enumerate(
        [("female", date(1990, 1, 1)), ("male", date(1970, 6, 1)), ("female", date(1999, 2, 2))]
    ):
        made.append(
            factories.member(
                full_name=f"Lò Thị Ánh {i}",
                gender=gender,
                birth_date=birth,
                ethnicity="Thái",
                religion="Công giáo" if i == 1 else "",
                organization=reg.cell_a,
                place=reg.village_a,
                admitted=date(2023 + (i == 2), 3, 1),
                confirmed=date(2024, 3, 5) if i < 2 else None,
            )
        )
    return made


@pytest.fixture
def officer(make_user, reg):
    return make_user(
        "xa-a", roles=["editor"], scope=reg.commune_committee_a, full_name="Cán bộ xã A"
    )


def _page_numbers(html: str) -> dict[str, str]:
    """path → the "Kỳ này" text of each row of the paper form."""
    rows = re.findall(r'data-path="([^"]+)">(.*?)</tr>', html, flags=re.S)
    found = {}
    for path, row in rows:
        cell = re.search(r'<td class="num this">(?:<a [^>]*>)?([^<]*)', row)
        found[path] = cell.group(1).strip() if cell else ""
    return found


@pytest.mark.parametrize("name", ["form1", "form2", "form3", "form4", "form5", "form7"])
def test_page_xlsx_docx_and_pdf_agree(client, reg, members, officer, name):
    client.force_login(officer)
    url = reverse("reports:form", args=[name])
    query = {"organization": "DU-03434", "period": "2024"}
    response = client.get(url, query)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "BAN TỔ CHỨC",
        "Biểu số",
        "Kỳ này",
        "Cùng kỳ năm trước",
        "NGƯỜI LẬP BIỂU",
        "TRƯỞNG BAN",
    ):
        assert text in html
    numbers = _page_numbers(html)
    assert numbers, "the form has rows"
    assert 'href="/statistics/records/?figure=' in html  # numbers drill down

    xlsx = client.get(url, {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.active
    assert (
        sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    )
    assert sheet.print_title_rows and "A1:C1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "BAN TỔ CHỨC"
    labels_in_sheet = {}
    for row in sheet.iter_rows(min_row=8, values_only=True):
        if row[1] is not None:
            labels_in_sheet.setdefault(row[1], row[3])
    page_by_label = dict(
        re.findall(
            r'<td class="label">([^<]*)</td>\s*<td class="num this">(?:<a [^>]*>)?([^<]*)', html
        )
    )
    compared = 0
    for label, text in page_by_label.items():
        value = labels_in_sheet[label.replace("&#x27;", "'")]
        decimals = 1 if "," in text else 0
        shown = "" if value is None else f"{float(value):,.{decimals}f}"
        assert shown.replace(",", "X").replace(".", ",").replace("X", ".") == text.strip(), label
        compared += 1
    assert compared >= 10

    pdf = client.get(url, {**query, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Biểu số {html.split('Biểu số ')[1][:7]}" in text
    assert "BAN TỔ CHỨC" in text and "TRƯỞNG BAN" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in f for f in fonts)
    for label, value in page_by_label.items():
        if value.strip():
            assert re.search(
                re.escape(label.split(" (")[0][:25]) + r".*?" + re.escape(value.strip()),
                text,
                flags=re.S,
            ), label

    word = client.get(url, {**query, "format": "docx"})
    assert word.status_code == 200 and word["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(word.content))
    section = document.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    heading, table, _signatures = document.tables
    assert heading.rows[0].cells[1].text == f"Biểu số {html.split('Biểu số ')[1][:7]}".strip()
    rows = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    for label, value in page_by_label.items():
        assert rows[label.replace("&#x27;", "'")] == value.strip(), label
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    narrative = re.search(r'<p id="narrative">([^<]+)</p>', html)
    assert narrative and narrative.group(1)[:60] in paragraphs


def test_send_freezes_and_compare_lists_later_records(client, reg, members, officer):
    client.force_login(officer)
    url = reverse("reports:form", args=["form3"])
    page = client.get(url, {"organization": "DU-03434", "period": "2024"}).content.decode()
    assert "Gửi báo cáo" in page
    response = client.post(
        reverse("reports:send"), {"figure": "form3", "organization": "DU-03434", "period": "2024"}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reports:submission", args=[submission.pk]
    )
    assert submission.period == "2024" and submission.submitted_by == officer
    assert submission.report["total"] == 3 and submission.report["women"] == 2

    # a death in 2024 recorded after the sending
    member_services.member_leave(
        acting_user=officer, member=members[1], day=date(2024, 11, 2), reason="died"
    )
    member_services.member_procedure_record(
        acting_user=officer, member=members[0], day=date(2024, 6, 1), kind="card"
    )
    detail = client.get(submission_url := reverse("reports:submission", args=[submission.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Phát thẻ đảng viên" in html  # a procedure recorded after the sending is listed
    assert "So sánh với hiện tại" in html and 'id="differences"' in html
    assert members[1].code in html and "Cán bộ xã A" in html
    assert submission.report["total"] == Submission.objects.get().report["total"] == 3
    again = client.get(url, {"organization": "DU-03434", "period": "2024"}).content.decode()
    assert submission_url in again  # "Đã gửi kỳ này"


def test_bad_input_answers_clearly(client, reg, officer, make_user):
    client.force_login(officer)
    response = client.get(
        reverse("reports:form", args=["form3"]), {"organization": "DU-03434", "period": "20x4"}
    )
    assert response.status_code == 400
    assert "Kỳ báo cáo không hợp lệ" in response.content.decode()
    response = client.post(
        reverse("reports:send"), {"figure": "form3", "organization": "DU-03460", "period": "2024"}
    )
    assert response.status_code == 404 and not Submission.objects.exists()  # outside the scope
    response = client.post(
        reverse("reports:send"), {"figure": "form3", "organization": "DU-03434", "period": "abc"}
    )
    assert (
        "Kỳ báo cáo không hợp lệ" in response.content.decode() and not Submission.objects.exists()
    )
    viewer = make_user("xem", roles=["viewer"], scope=reg.commune_committee_a)
    client.force_login(viewer)
    page = client.get(
        reverse("reports:form", args=["form3"]), {"organization": "DU-03434", "period": "2024"}
    )
    assert "send-report" not in page.content.decode()
