"""The cadre record (Mẫu 2C/TCTW-98, "Sơ yếu lý lịch") as a Word document (python-docx): the
same sections as the record page (``templates/cadres/record.html``)."""

from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from grassroots.cadres.selectors import Record
from grassroots.core.text import format_date


def _date(value) -> str:
    return format_date(value) if value else "—"


def record_rows(record: Record) -> list[tuple[str, list[tuple[str, str]] | list[list[str]]]]:
    """The record's sections: ``(title, rows)``; identity rows are ``(label, value)`` pairs,
    the other sections lists of cells (their first row the header)."""
    m, p = record.member, record.profile
    identity = [
        ("Họ và tên", m.full_name),
        ("Mã đảng viên", m.code),
        ("Giới tính", m.get_gender_display()),
        ("Ngày sinh", _date(m.birth_date)),
        ("Dân tộc", m.ethnicity or "—"),
        ("Tôn giáo", m.religion or "—"),
        ("Quê quán", m.hometown or "—"),
        ("Ngày vào Đảng", _date(m.admitted_on)),
        ("Ngày chính thức", _date(m.confirmed_on)),
        ("Trình độ học vấn", p["education"] or "—"),
        ("Chuyên môn, nghiệp vụ", p["specialist_training"] or "—"),
        ("Lý luận chính trị", p["political_theory"] or "—"),
        ("Quản lý nhà nước", p["state_management"] or "—"),
    ]
    posts = [["Từ ngày", "Đến trước ngày", "Chức danh", "Tổ chức", "Hình thức"]] + [
        [
            _date(a.valid_from),
            _date(a.valid_to),
            a.position.name,
            str(a.organization),
            a.get_how_display(),
        ]
        for a in record.posts
    ]
    plans = [["Quy hoạch", "Chức danh", "Đưa vào", "Đưa ra", "Lý do"]] + [
        [
            f"{e.plan} — {e.plan.organization}",
            e.position.name,
            _date(e.added_on),
            _date(e.removed_on),
            e.get_removal_reason_display() if e.removal_reason else "",
        ]
        for e in record.plans
    ]
    rotations = [["Hình thức", "Từ", "Đến", "Bắt đầu", "Kết thúc"]] + [
        [
            r.get_kind_display(),
            f"{r.from_post} {r.from_organization}".strip(),
            f"{r.to_post} {r.to_organization}".strip(),
            _date(r.starts_on),
            _date(r.actual_end or r.planned_end),
        ]
        for r in record.rotations
    ]
    ratings = [["Kỳ", "Mức xếp loại"]] + [
        [f"{r.get_period_kind_display()} {r.period_label}", r.get_level_display()]
        for r in record.ratings
    ]
    discipline = [["Ngày", "Hình thức"]] + [
        [_date(e.disciplined_on), e.get_discipline_display()] for e in record.discipline
    ]
    return [
        ("I. Sơ lược lý lịch", identity),
        ("II. Quá trình công tác (chức danh đã giữ)", posts),
        ("III. Quy hoạch", plans),
        ("IV. Luân chuyển, điều động", rotations),
        ("V. Đánh giá, xếp loại chất lượng", ratings),
        ("VI. Kỷ luật", discipline),
    ]


def record_docx(record: Record) -> bytes:
    """The record as a .docx file's bytes."""
    doc = WordDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_paragraph("Mẫu 2C/TCTW-98")
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("SƠ YẾU LÝ LỊCH CÁN BỘ")
    run.bold = True
    run.font.size = Pt(15)
    for section, rows in record_rows(record):
        doc.add_heading(section, level=2)
        if section.startswith("I."):
            for label, value in rows:
                doc.add_paragraph(f"{label}: {value}")
            continue
        if len(rows) == 1:
            doc.add_paragraph("Không có.")
            continue
        table = doc.add_table(rows=0, cols=len(rows[0]))
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text)
                if i == 0:
                    for r in cell.paragraphs[0].runs:
                        r.bold = True
    doc.add_paragraph(f"Số liệu tại ngày {format_date(record.day)}.")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
