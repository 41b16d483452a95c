"""Tests for grassroots.places.divisions and the data files it reads.

The expected numbers are facts of the shipped data (vietnam-provinces 0.6.0 for pre-2025,
2025.10.1 for post-2025); see src/grassroots/places/data/README.md.
"""

import dataclasses
import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from datetime import date

import pytest

from grassroots.places.divisions import (
    DATA_DIR,
    ERAS,
    KINDS,
    DivisionRecord,
    load_lineage,
    load_tree,
    provinces,
)

LAI_CHAU = "12"
NAM_NHUN = "112"


def by_code(era: str) -> dict[str, DivisionRecord]:
    return {r.code: r for r in load_tree(era)}


# --- Lai Châu ---------------------------------------------------------------------------------


def test_lai_chau_exists_in_both_eras():
    assert (LAI_CHAU, "Tỉnh Lai Châu") in provinces("pre2025")
    assert (LAI_CHAU, "Tỉnh Lai Châu") in provinces("post2025")
    for era in ERAS:
        record = by_code(era)[LAI_CHAU]
        assert record.kind == "province"
        assert record.division_type == "tỉnh"
        assert record.parent_code is None
        assert record.key == (era, LAI_CHAU)


def test_pre2025_lai_chau_has_eight_districts():
    districts = [(r.code, r.name) for r in load_tree("pre2025", LAI_CHAU) if r.kind == "district"]
    assert districts == [
        ("105", "Thành phố Lai Châu"),
        ("106", "Huyện Tam Đường"),
        ("107", "Huyện Mường Tè"),
        ("108", "Huyện Sìn Hồ"),
        ("109", "Huyện Phong Thổ"),
        ("110", "Huyện Than Uyên"),
        ("111", "Huyện Tân Uyên"),
        ("112", "Huyện Nậm Nhùn"),
    ]
    types = {r.code: r.division_type for r in load_tree("pre2025", LAI_CHAU)}
    assert types["105"] == "thành phố"
    assert types[NAM_NHUN] == "huyện"


def test_pre2025_nam_nhun_has_its_eleven_communes():
    communes = [
        (r.code, r.name, r.division_type)
        for r in load_tree("pre2025", LAI_CHAU)
        if r.parent_code == NAM_NHUN
    ]
    # The source spells 03460 "Hua Bun" (the post-2025 list spells the same code "Hua Bum").
    assert communes == [
        ("03434", "Thị trấn Nậm Nhùn", "thị trấn"),
        ("03460", "Xã Hua Bun", "xã"),
        ("03472", "Xã Mường Mô", "xã"),
        ("03473", "Xã Nậm Chà", "xã"),
        ("03474", "Xã Nậm Manh", "xã"),
        ("03475", "Xã Nậm Hàng", "xã"),
        ("03481", "Xã Lê Lợi", "xã"),
        ("03484", "Xã Pú Đao", "xã"),
        ("03488", "Xã Nậm Pì", "xã"),
        ("03502", "Xã Nậm Ban", "xã"),
        ("03503", "Xã Trung Chải", "xã"),
    ]
    assert all(
        r.kind == "commune" for r in load_tree("pre2025", LAI_CHAU) if r.parent_code == NAM_NHUN
    )


def test_pre2025_lai_chau_counts():
    kinds = Counter(r.kind for r in load_tree("pre2025", LAI_CHAU))
    assert kinds == {"province": 1, "district": 8, "commune": 106}


def test_post2025_lai_chau_has_36_communes_and_2_wards():
    tree = load_tree("post2025", LAI_CHAU)
    assert tree[0].code == LAI_CHAU
    communes = tree[1:]
    assert len(communes) == 38
    assert {r.kind for r in communes} == {"commune"}
    assert {r.parent_code for r in communes} == {LAI_CHAU}
    assert Counter(r.division_type for r in communes) == {"xã": 36, "phường": 2}
    wards = sorted(r.name for r in communes if r.division_type == "phường")
    assert wards == ["Phường Tân Phong", "Phường Đoàn Kết"]


# --- national counts --------------------------------------------------------------------------


def test_post2025_national_counts():
    tree = load_tree("post2025")
    assert Counter(r.kind for r in tree) == {"province": 34, "commune": 3321}
    assert len(provinces("post2025")) == 34
    communes = [r for r in tree if r.kind == "commune"]
    assert Counter(r.division_type for r in communes) == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert Counter(r.division_type for r in tree if r.kind == "province") == {
        "tỉnh": 28,
        "thành phố trung ương": 6,
    }


def test_pre2025_national_counts():
    tree = load_tree("pre2025")
    assert Counter(r.kind for r in tree) == {"province": 63, "district": 696, "commune": 10051}
    assert len(provinces("pre2025")) == 63


def test_header_counts_match_records():
    for era in ERAS:
        header = json.loads((DATA_DIR / f"divisions-{era}.json").read_text(encoding="utf-8"))
        assert header["era"] == era
        assert header["counts"] == dict(Counter(r.kind for r in load_tree(era)))


# --- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_parents_precede_children(era):
    seen: dict[str, DivisionRecord] = {}
    for record in load_tree(era):
        if record.kind == "province":
            assert record.parent_code is None
        else:
            assert record.parent_code in seen, record
            parent = seen[record.parent_code]
            expected = "district" if era == "pre2025" and record.kind == "commune" else "province"
            assert parent.kind == expected
        seen[record.code] = record


@pytest.mark.parametrize("era", ERAS)
def test_codes_unique_within_each_era(era):
    codes = [r.code for r in load_tree(era)]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("era", ERAS)
def test_code_format_by_kind(era):
    width = {"province": 2, "district": 3, "commune": 5}
    for record in load_tree(era):
        assert record.code.isascii() and record.code.isdigit()
        assert len(record.code) == width[record.kind], record


@pytest.mark.parametrize("era", ERAS)
def test_names_are_nfc_and_clean(era):
    for record in load_tree(era):
        assert unicodedata.normalize("NFC", record.name) == record.name
        assert unicodedata.normalize("NFC", record.division_type) == record.division_type
        assert " ".join(record.name.split()) == record.name


@pytest.mark.parametrize("era", ERAS)
def test_kinds_and_division_types(era):
    allowed = {
        "pre2025": {
            "province": {"tỉnh", "thành phố trung ương"},
            "district": {"huyện", "quận", "thị xã", "thành phố"},
            "commune": {"xã", "phường", "thị trấn"},
        },
        "post2025": {
            "province": {"tỉnh", "thành phố trung ương"},
            "commune": {"xã", "phường", "đặc khu"},
        },
    }[era]
    for record in load_tree(era):
        assert record.kind in KINDS
        assert record.division_type in allowed[record.kind], record
        assert record.era == era


def test_validity_intervals():
    reform = date(2025, 7, 1)
    for record in load_tree("pre2025"):
        assert record.valid_from == date(2025, 1, 4)  # the source's retrieval date, see README
        assert record.valid_to == reform
    for record in load_tree("post2025"):
        assert record.valid_from == reform
        assert record.valid_to is None


# --- codes shared by both eras (documented in data/README.md) ------------------------------


def test_codes_in_both_eras_are_different_units_told_apart_by_era():
    old, new = by_code("pre2025"), by_code("post2025")
    shared = set(old) & set(new)
    # Every post-2025 province code and all but 11 post-2025 commune codes are reused.
    assert len([c for c in shared if new[c].kind == "province"]) == 34
    assert len([c for c in shared if new[c].kind == "commune"]) == 3310
    # Same code, different unit: the records differ and their keys differ.
    before, after = old["03434"], new["03434"]
    assert (before.name, before.parent_code) == ("Thị trấn Nậm Nhùn", NAM_NHUN)
    assert (after.name, after.parent_code) == ("Xã Nậm Hàng", LAI_CHAU)
    assert before.key == ("pre2025", "03434")
    assert after.key == ("post2025", "03434")
    assert before != after
    # Even province codes can change hands.
    assert (old["24"].name, new["24"].name) == ("Tỉnh Bắc Giang", "Tỉnh Bắc Ninh")
    # A code shared at different levels never happens: a shared code has one kind in both eras.
    assert all(old[c].kind == new[c].kind for c in shared)
    # Nothing says a shared code is the same unit: only lineage could, and none ships.
    assert load_lineage() == []


# --- filters and errors -----------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_province_filter_is_a_whole_subtree(era):
    subtree = load_tree(era, LAI_CHAU)
    codes = {r.code for r in subtree}
    assert subtree[0].code == LAI_CHAU
    assert all(r.parent_code in codes for r in subtree[1:])
    everything = load_tree(era)
    assert [r for r in everything if r.code in codes] == subtree
    # Every province's subtrees together are the whole tree.
    assert sum(len(load_tree(era, code)) for code, _ in provinces(era)) == len(everything)


def test_unknown_era_and_province_are_errors():
    with pytest.raises(ValueError):
        load_tree("2025")
    with pytest.raises(ValueError):
        provinces("post-2025")
    with pytest.raises(ValueError):
        load_tree("post2025", "02")  # Hà Giang: a pre-2025 province only
    with pytest.raises(ValueError):
        load_tree("pre2025", NAM_NHUN)  # a district, not a province
    with pytest.raises(ValueError):
        load_lineage("99")
    assert load_tree("pre2025", "02")[0].name == "Tỉnh Hà Giang"


def test_lineage_ships_empty():
    assert load_lineage() == []
    assert load_lineage(LAI_CHAU) == []
    header = json.loads((DATA_DIR / "lineage-2025.json").read_text(encoding="utf-8"))
    assert header["date"] == "2025-07-01"
    assert header["records"] == []


def test_records_are_frozen_and_results_are_fresh_lists():
    record = load_tree("post2025", LAI_CHAU)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "x"  # type: ignore[misc]
    first = load_tree("post2025")
    first.clear()
    assert len(load_tree("post2025")) == 34 + 3321


def test_data_files_are_small_plain_json():
    for name in ("divisions-pre2025.json", "divisions-post2025.json", "lineage-2025.json"):
        path = DATA_DIR / name
        assert path.stat().st_size < 1_500_000
        json.loads(path.read_text(encoding="utf-8"))


def test_module_does_not_import_django():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    code = (
        "import sys, grassroots.places.divisions as d; d.load_tree('pre2025', '12'); "
        "sys.exit('django' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
