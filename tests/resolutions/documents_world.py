"""Shared builders of the documents and tasks tests (not a conftest: the resolutions tests of
indicators keep their own)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.resolutions.services import document_create

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def docx_bytes(text: str = "Nội dung") -> bytes:
    from docx import Document

    word = Document()
    word.add_paragraph(text)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def make_document(organization=None, doc_type="NQ", issued_on=date(2021, 3, 5), **kwargs):
    kwargs.setdefault("title", "Về phát triển kinh tế - xã hội huyện Nậm Nhùn")
    return document_create(
        acting_user=kwargs.pop("user", None),
        organization=organization,
        doc_type=doc_type,
        issued_on=issued_on,
        **kwargs,
    )
