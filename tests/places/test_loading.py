"""load_divisions: one province's real tree, both eras, through the services; idempotent."""

from datetime import date
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from grassroots.core.errors import RuleError
from grassroots.places.loading import REFORM_DAY, load_divisions, place_code
from grassroots.places.models import Place, PlaceClosure, PlaceVersion

pytestmark = pytest.mark.django_db


def _communes(day):
    return PlaceVersion.objects.valid_on(day).filter(kind="commune")


def _counts():
    return (
        Place.objects.count(),
        PlaceVersion.objects.count(),
        PlaceClosure.objects.count(),
        LogEntry.objects.count(),
    )


def test_province_12_both_eras_is_idempotent():
    out = StringIO()
    call_command("load_divisions", "--province", "12", stdout=out)
    assert "đã tạo 153 địa bàn" in out.getvalue()
    assert _communes(date(2025, 6, 30)).count() == 106
    assert _communes(REFORM_DAY).count() == 38
    assert PlaceVersion.objects.filter(kind="district").count() == 8
    before = _counts()
    out = StringIO()
    call_command("load_divisions", "--province", "12", "--era", "both", stdout=out)
    assert "đã tạo 0 địa bàn, 153 địa bàn đã có" in out.getvalue()
    assert _counts() == before


def test_codes_and_validity():
    call_command(
        "load_divisions", "--province", "12", "--valid-from", "2013-01-01", stdout=StringIO()
    )
    # Lai Châu continues: one Place, one open version, under which both trees hang.
    province = Place.objects.get(code="12")
    assert list(province.versions.values_list("name", "valid_from", "valid_to")) == [
        ("Tỉnh Lai Châu", date(2013, 1, 1), None)
    ]
    old = Place.objects.get(code="03434").versions.get()
    assert (old.name, old.valid_from, old.valid_to) == (
        "Thị trấn Nậm Nhùn",
        date(2013, 1, 1),
        REFORM_DAY,
    )
    assert old.parent.code == "112"
    new = Place.objects.get(code="2025:03434").versions.get()
    assert (new.name, new.valid_from, new.valid_to, new.parent_id) == (
        "Xã Nậm Hàng",
        REFORM_DAY,
        None,
        province.pk,
    )
    # Descendants of the province on either side of the reform, through the closure.
    inside = PlaceClosure.objects.filter(ancestor=province, depth__gt=0)
    assert (
        inside.filter(valid_from__lte=date(2025, 6, 30), valid_to__gt=date(2025, 6, 30)).count()
        == 114
    )
    assert inside.filter(valid_from__lte=REFORM_DAY, valid_to__isnull=True).count() == 38


def test_code_mapping():
    assert place_code("pre2025", "03434") == "03434"
    assert place_code("post2025", "03434") == "2025:03434"
    assert place_code("post2025", "12") == "12"  # Lai Châu kept its borders
    assert place_code("post2025", "15") == "2025:15"  # Lào Cai, not Yên Bái
    assert place_code("post2025", "03980") == "03980"  # a new code


def test_eras_in_either_order_agree(admin_user):
    load_divisions(acting_user=admin_user, province="12", eras=("post2025",))
    assert Place.objects.get(code="12").versions.get().valid_from == date(2025, 1, 4)
    result = load_divisions(acting_user=admin_user, province="12", eras=("pre2025",))
    assert result.unchanged == 1 and len(result.created) == 114
    assert _communes(date(2025, 6, 30)).count() == 106 and _communes(REFORM_DAY).count() == 38


def test_an_earlier_stored_start_is_kept(admin_user):
    load_divisions(acting_user=admin_user, province="12", valid_from=date(2013, 1, 1))
    before = _counts()
    result = load_divisions(acting_user=admin_user, province="12")
    assert (result.created, result.unchanged) == ([], 153)
    assert _counts() == before


def test_conflicting_history_is_refused(admin_user):
    load_divisions(acting_user=admin_user, province="12", eras=("pre2025",))
    before = _counts()
    with pytest.raises(RuleError) as info:
        load_divisions(acting_user=admin_user, province="12", valid_from=date(2013, 1, 1))
    assert info.value.code == "conflict"
    assert _counts() == before


def test_unknown_province():
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("load_divisions", "--province", "99", stdout=StringIO())
    with pytest.raises(CommandError, match="mã 10 trong danh mục đơn vị hành chính từ 1/7/2025"):
        call_command("load_divisions", "--province", "10", "--era", "post2025", stdout=StringIO())
    assert not Place.objects.exists()
