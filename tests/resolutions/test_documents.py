"""Party documents: numbering per type within the issuing committee's term, external documents,
files checked by content, links, diacritic-insensitive search, scope and audit."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.test import override_settings

from grassroots.core.errors import RuleError
from grassroots.resolutions import selectors
from grassroots.resolutions.models import Document, DocumentCounter
from grassroots.resolutions.services import (
    document_link,
    document_update,
    header_defaults,
    issuing_body,
    term_record,
    term_start_for,
)
from tests.resolutions.documents_world import PDF, docx_bytes, make_document, upload

pytestmark = pytest.mark.django_db


def test_numbers_run_from_01_per_type_within_a_committee(reg):
    first = make_document(reg.committee, "NQ")
    second = make_document(reg.committee, "NQ", issued_on=date(2021, 4, 1))
    programme = make_document(reg.committee, "CTr", issued_on=date(2021, 4, 2))
    assert (first.number, second.number, programme.number) == ("01-NQ/HU", "02-NQ/HU", "01-CTr/HU")
    assert first.term_start == date(2020, 11, 1)  # the policy's default term start


def test_two_committees_number_independently(reg):
    district = make_document(reg.committee, "KH")
    commune = make_document(reg.commune_committee_a, "KH")
    other = make_document(reg.commune_committee_b, "KH")
    cell = make_document(reg.cell_a, "KH")
    assert district.number == "01-KH/HU"
    assert commune.number == other.number == "01-KH/ĐU"
    assert cell.number == "01-KH/CB"
    assert DocumentCounter.objects.count() == 4


def test_two_terms_number_independently(reg, make_user):
    editor = make_user("hu", roles=["editor"], scope=reg.committee)
    before = make_document(reg.committee, "NQ", issued_on=date(2019, 5, 1))
    again = make_document(reg.committee, "NQ", issued_on=date(2020, 6, 1))
    term_record(
        acting_user=editor,
        organization=reg.committee,
        starts_on=date(2020, 8, 20),
        label="2020-2025",
    )
    assert term_start_for(reg.committee, date(2020, 8, 19)) == date(2015, 11, 1)
    assert term_start_for(reg.committee, date(2020, 8, 20)) == date(2020, 8, 20)
    new_term = make_document(reg.committee, "NQ", issued_on=date(2020, 9, 1))
    assert (before.number, again.number, new_term.number) == ("01-NQ/HU", "02-NQ/HU", "01-NQ/HU")
    # A term may not start before documents already numbered in the previous one.
    with pytest.raises(RuleError) as exc:
        term_record(acting_user=editor, organization=reg.committee, starts_on=date(2020, 5, 1))
    assert exc.value.code == "term_after_documents"


def test_congress_documents_share_one_sequence(reg):
    resolution = make_document(reg.committee, "NQ", issuer_code="ĐH")
    minutes = make_document(reg.committee, "BB", issuer_code="ĐH")
    ordinary = make_document(reg.committee, "NQ")
    assert (resolution.number, minutes.number, ordinary.number) == (
        "01-NQ/ĐH",
        "02-BB/ĐH",
        "01-NQ/HU",
    )


def test_external_documents_keep_their_number(reg):
    external = make_document(None, "NQ", number="07-NQ/TU", issued_on=date(2021, 1, 12))
    assert external.external and external.organization is None
    assert (external.sequence, external.issuer_code) == (7, "TU")
    for number, code in (
        ("07-NQ/TU", "duplicate_number"),
        ("7/NQ-TU", "number"),
        ("05-CT/TW", "number"),
    ):
        with pytest.raises(RuleError) as exc:
            make_document(None, "NQ", number=number)
        assert exc.value.code == code
    assert Document.objects.count() == 1


def test_refusals_change_nothing(reg, make_user):
    outsider = make_user("xa-b", roles=["editor"], scope=reg.commune_committee_b)
    viewer = make_user("xem", roles=["viewer"], scope=reg.commune_committee_a)
    for kwargs, code in (
        ({"user": outsider}, "organization_out_of_scope"),
        ({"user": viewer}, "organization_out_of_scope"),
        ({"issued_on": date(2099, 1, 1)}, "issued_in_future"),
        ({"doc_type": "XX"}, "type"),
        ({"title": "  "}, "required"),
    ):
        with pytest.raises(RuleError) as exc:
            make_document(reg.commune_committee_a, **{"doc_type": "NQ", **kwargs})
        assert exc.value.code == code
    assert not Document.objects.exists() and not DocumentCounter.objects.exists()


def test_header_names_come_from_the_registry(reg):
    header = header_defaults(reg.committee, date(2021, 3, 5))
    assert header == {
        "superior_name": "Đảng bộ tỉnh Lai Châu",
        "issuer_name": "Huyện ủy Nậm Nhùn",
        "issuer_code": "HU",
        "place_name": "Nậm Nhùn",
    }
    assert issuing_body("Đảng bộ xã Nậm Hàng") == "Đảng ủy xã Nậm Hàng"
    assert issuing_body("Chi bộ bản Nậm Ngà") == "Chi bộ bản Nậm Ngà"


def test_files_are_checked_by_content_and_size(reg):
    pdf = make_document(reg.committee, upload=upload("nq.pdf", PDF))
    assert (pdf.file_type, pdf.file_size) == ("pdf", len(PDF))
    docx = make_document(reg.committee, upload=upload("nq.DOCX", docx_bytes()))
    assert docx.file_type == "docx"
    for name, content in (
        ("gia.pdf", b"<html>not a pdf</html>"),
        ("zip.docx", b"PK\x03\x04rubbish"),
    ):
        with pytest.raises(RuleError) as exc:
            make_document(reg.committee, upload=upload(name, content))
        assert exc.value.code == "file_type"
    with override_settings(GRASSROOTS_POLICY={"DOCUMENT_MAX_FILE_BYTES": 10}):
        with pytest.raises(RuleError) as exc:
            make_document(reg.committee, upload=upload("nq.pdf", PDF))
        assert exc.value.code == "file_too_large"
    assert Document.objects.count() == 2


def test_links_and_their_refusals(reg):
    resolution = make_document(None, "NQ", number="07-NQ/TU", issued_on=date(2021, 1, 12))
    programme = make_document(reg.committee, "CTr")
    link = document_link(acting_user=None, source=programme, target=resolution, kind="implements")
    assert str(link) == "01-CTr/HU thực hiện 07-NQ/TU"
    for target, kind, code in (
        (resolution, "implements", "link_exists"),
        (programme, "guides", "link_self"),
        (resolution, "khac", "link_kind"),
    ):
        with pytest.raises(RuleError) as exc:
            document_link(acting_user=None, source=programme, target=target, kind=kind)
        assert exc.value.code == code


def test_search_ignores_diacritics_and_case(reg, admin_user):
    make_document(reg.committee, "CTr", title="Chương trình hành động thực hiện Nghị quyết")
    make_document(reg.committee, "ĐA", title="Đề án phát triển rừng Nậm Nhùn")
    make_document(None, "CT", number="05-CT/TW", title="Về đẩy mạnh học tập và làm theo tư tưởng")

    def found(text):
        return sorted(d.number for d in selectors.document_list(user=admin_user, search=text))

    assert found("01-ctr/hu") == ["01-CTr/HU"]
    assert found("da/hu") == ["01-ĐA/HU"]
    assert found("NAM NHUN rung") == ["01-ĐA/HU"]
    assert found("nghi quyet") == ["01-CTr/HU"]
    assert found("ct/tw") == ["05-CT/TW"]
    assert found("khong co") == []


def test_scope_of_documents(reg, make_user):
    own = make_document(reg.commune_committee_a, "KH")
    other = make_document(reg.commune_committee_b, "KH")
    district = make_document(reg.committee, "KH")
    external = make_document(None, "CT", number="05-CT/TW")
    cell = make_user("cell", scope=reg.cell_a)
    commune = make_user("commune", scope=reg.commune_committee_a)
    assert set(selectors.document_visible_to(commune)) == {own, external}
    assert set(selectors.document_visible_to(cell)) == {external}
    assert set(selectors.document_visible_to(make_user("hu", scope=reg.committee))) == {
        own,
        other,
        district,
        external,
    }


def test_every_write_is_audited_and_versioned(reg, make_user):
    editor = make_user("hu", roles=["editor"], scope=reg.committee)
    document = make_document(reg.committee, user=editor)
    assert LogEntry.objects.get_for_object(document).count() == 1
    updated = document_update(
        acting_user=editor,
        document=document,
        title="Trích yếu đã sửa",
        summary="Dòng một\nDòng hai",
        based_on=document.version,
    )
    assert updated.summary == "Dòng một\nDòng hai" and updated.title_folded == "trich yeu da sua"
    assert LogEntry.objects.get_for_object(document).count() == 2
    from grassroots.core.locking import StaleError

    with pytest.raises(StaleError):
        document_update(acting_user=editor, document=document, title="Khác", based_on=1)
    assert Document.objects.get().title == "Trích yếu đã sửa"
