"""Document pages and API: the registry with its search, recording (numbered automatically),
the file upload checked by content, the file download, links; refusals change nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.resolutions.models import Document, DocumentLink
from tests.resolutions.documents_world import PDF, docx_bytes, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(reg, make_user):
    return make_user("hu", roles=["editor"], scope=reg.committee)


def test_record_a_document_with_its_file(client, reg, officer):
    client.force_login(officer)
    url = reverse("resolutions:document_create")
    data = {
        "organization": "DB-112",
        "doc_type": "ĐA",
        "issued_on": "2021-09-10",
        "title": "Đề án trồng mới và bảo vệ rừng",
    }
    refused = client.post(url, {**data, "file": SimpleUploadedFile("de-an.pdf", b"MZ not a pdf")})
    assert refused.status_code == 200
    assert "không phải PDF hay Word" in refused.content.decode()
    assert not Document.objects.exists()
    response = client.post(url, {**data, "file": SimpleUploadedFile("de-an.docx", docx_bytes())})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{document.pk}/")
    assert (document.number, document.file_type, document.file_name) == (
        "01-ĐA/HU",
        "docx",
        "de-an.docx",
    )
    page = client.get(response["Location"]).content.decode()
    assert "01-ĐA/HU" in page and "de-an.docx" in page
    download = client.get(reverse("resolutions:document_file", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK\x03\x04")
    # An external document needs its number.
    missing = client.post(url, {**data, "organization": ""})
    assert "Cần nhập số, ký hiệu" in missing.content.decode()


def test_the_registry_searches_without_diacritics(client, reg, officer):
    make_document(reg.committee, "CTr", title="Chương trình hành động thực hiện Nghị quyết")
    make_document(None, "NQ", number="07-NQ/TU", title="Về phát triển lâm nghiệp")
    client.force_login(officer)
    page = client.get(reverse("resolutions:documents"), {"search": "lam nghiep"}).content.decode()
    assert "07-NQ/TU" in page and "01-CTr/HU" not in page
    page = client.get(reverse("resolutions:documents"), {"search": "01-ctr"}).content.decode()
    assert "01-CTr/HU" in page and "07-NQ/TU" not in page
    xlsx = client.get(reverse("resolutions:documents"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_link_page(client, reg, officer):
    resolution = make_document(None, "NQ", number="07-NQ/TU")
    programme = make_document(reg.committee, "CTr")
    client.force_login(officer)
    url = reverse("resolutions:document_link", args=[programme.pk])
    unknown = client.post(url, {"kind": "implements", "target": "99-NQ/TU"})
    assert "Không tìm thấy văn bản số 99-NQ/TU" in unknown.content.decode()
    assert client.post(url, {"kind": "implements", "target": "07-NQ/TU"}).status_code == 302
    page = client.get(reverse("resolutions:document_detail", args=[resolution.pk])).content.decode()
    assert "01-CTr/HU" in page and "thực hiện văn bản này" in page
    assert DocumentLink.objects.count() == 1


def test_outside_the_scope_is_404(client, reg, make_user):
    other = make_document(reg.commune_committee_b, "KH", upload=SimpleUploadedFile("k.pdf", PDF))
    client.force_login(make_user("xa-a", roles=["editor"], scope=reg.commune_committee_a))
    for name in ("document_detail", "document_file", "document_word", "document_edit"):
        assert client.get(reverse(f"resolutions:{name}", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/resolutions/documents/{other.pk}").status_code == 404


def test_api_records_searches_and_links(client, reg, officer):
    client.force_login(officer)
    created = client.post(
        "/api/v1/resolutions/documents",
        {"type": "NQ", "issued_on": "2021-03-05", "title": "Nghị quyết về giảm nghèo", "organization_code": "DB-112"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["number"] == "01-NQ/HU" and created.json()["term_start"] == "2020-11-01"
    external = client.post(
        "/api/v1/resolutions/documents",
        {"type": "CT", "issued_on": "2016-05-15", "title": "Về đẩy mạnh học tập", "number": "05-CT/TW"},
        content_type="application/json",
    )  # fmt: skip
    assert external.status_code == 201 and external.json()["organization"] is None
    bad = client.post(
        "/api/v1/resolutions/documents",
        {"type": "CT", "issued_on": "2016-05-15", "title": "X", "number": "CT 5"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "number"
    linked = client.post(
        f"/api/v1/resolutions/documents/{created.json()['id']}/links",
        {"kind": "implements", "target_id": external.json()["id"]},
        content_type="application/json",
    )
    assert linked.status_code == 201
    assert linked.json()["links"] == [
        {"kind": "implements", "number": "05-CT/TW", "id": external.json()["id"]}
    ]
    found = client.get("/api/v1/resolutions/documents", {"search": "giam ngheo"}).json()
    assert [d["number"] for d in found["items"]] == ["01-NQ/HU"]
    assert Document.objects.filter(issued_on=date(2016, 5, 15)).count() == 1
