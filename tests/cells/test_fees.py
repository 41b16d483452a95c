"""Party fee arithmetic (integers only, rounding as ``policy`` states, at the boundaries) and the
monthly collection."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from grassroots.cells.models import FeePayment
from grassroots.cells.services import (
    Collected,
    due_for,
    fee_collect,
    fee_due,
    fee_remit,
    income_basis_set,
    round_fee,
)
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.templatetags.vn import vn_money
from grassroots.core.text import format_money


@pytest.mark.parametrize(
    ("kind", "amount", "fee"),
    [
        ("salary", 5_000_000, 50_000),
        ("salary", 4_950_000, 50_000),  # 49,500 đ: an exact half goes up
        ("salary", 4_949_999, 49_000),  # 49,499.99 đ
        ("salary", 4_949_900, 49_000),  # 49,499 đ
        ("salary", 49_999, 0),  # 499.99 đ
        ("salary", 50_000, 1_000),  # 500 đ
        ("salary", 0, 0),
        ("pension", 3_100_000, 16_000),  # 15,500 đ: half up
        ("pension", 3_099_999, 15_000),  # 15,499.995 đ
        ("pension", 3_000_000, 15_000),
        ("student", 0, 5_000),
        ("student", 9_000_000, 5_000),  # students pay the flat fee whatever the amount
        ("fixed", 2_000, 2_000),
    ],
)
def test_fee_due_at_the_boundaries(kind, amount, fee):
    due = fee_due(kind=kind, amount=amount)
    assert due == fee and type(due) is int


def test_round_fee_is_integer_half_up_to_the_policy_unit(settings):
    assert round_fee(1_499) == 1_000 and round_fee(1_500) == 2_000 and round_fee(2_500) == 3_000
    assert round_fee(149_999, 100) == 1_000 and round_fee(150_000, 100) == 2_000
    settings.GRASSROOTS_POLICY = {"FEE_ROUNDING_UNIT": 1}
    assert round_fee(149, 100) == 1 and round_fee(150, 100) == 2
    assert fee_due(kind="salary", amount=123_456) == 1_235  # 1,234.56 đ → whole đồng
    assert fee_due(kind="pension", amount=123_400) == 617  # 617.0
    assert fee_due(kind="pension", amount=123_500) == 618  # 617.5 → up


def test_big_salaries_stay_exact():
    # A float would lose the last digits; integer arithmetic does not.
    assert fee_due(kind="salary", amount=10**17 + 50_000) == 10**15 + 1_000


@pytest.mark.parametrize("amount", [-1, 1.5, Decimal("100"), True, "100"])
def test_only_whole_non_negative_dong(amount):
    with pytest.raises(RuleError):
        fee_due(kind="salary", amount=amount)


def test_unknown_basis_kind_is_refused():
    with pytest.raises(RuleError):
        fee_due(kind="farmer", amount=0)


def test_money_is_formatted_the_vietnamese_way():
    assert format_money(5000) == "5.000 đ"
    assert format_money(1_234_567) == "1.234.567 đ"
    assert format_money(0) == "0 đ"
    assert vn_money(50_000) == "50.000 đ" and vn_money(None) == ""
    with pytest.raises(TypeError):
        format_money(5000.0)


@pytest.mark.django_db
def test_collection_computes_due_from_the_basis_in_force(reg, members_a, editor_a):
    ana, binh = members_a[0], members_a[1]
    income_basis_set(
        acting_user=editor_a,
        member=ana,
        kind="salary",
        amount=6_000_000,
        valid_from=date(2023, 1, 1),
    )
    income_basis_set(
        acting_user=editor_a,
        member=ana,
        kind="pension",
        amount=6_000_000,
        valid_from=date(2023, 6, 2),
    )
    assert due_for(member=ana, month=date(2023, 6, 1)) == 60_000  # the pension starts on 2 June
    assert due_for(member=ana, month=date(2023, 7, 1)) == 30_000
    assert due_for(member=binh, month=date(2023, 7, 1)) == 0  # no basis recorded
    rows = fee_collect(
        acting_user=editor_a,
        organization=reg.cell_a,
        month=date(2023, 7, 1),
        rows=[Collected(ana, 30_000, date(2023, 7, 5)), Collected(binh, 2_000, date(2023, 7, 5))],
    )
    assert [(p.due, p.paid) for p in rows] == [(30_000, 30_000), (0, 2_000)]
    assert LogEntry.objects.filter(content_type__model="feepayment").count() == 2
    # Again with the same values: nothing changes, no audit entry.
    fee_collect(
        acting_user=editor_a,
        organization=reg.cell_a,
        month=date(2023, 7, 1),
        rows=[Collected(ana, 30_000, date(2023, 7, 5))],
    )
    assert LogEntry.objects.filter(content_type__model="feepayment").count() == 2


@pytest.mark.django_db
def test_collection_is_all_or_nothing(reg, members_a, member_b, editor_a):
    with pytest.raises(RuleError) as exc:
        fee_collect(
            acting_user=editor_a,
            organization=reg.cell_a,
            month=date(2023, 7, 1),
            rows=[
                Collected(members_a[0], 5_000, date(2023, 7, 5)),
                Collected(member_b, 5_000, date(2023, 7, 5)),  # of cell B
            ],
        )
    assert "không sinh hoạt tại chi bộ" in exc.value.message
    for bad in (
        Collected(members_a[0], -1, date(2023, 7, 5)),
        Collected(members_a[0], 1, date(2023, 6, 30)),
    ):
        with pytest.raises(RuleError):
            fee_collect(
                acting_user=editor_a, organization=reg.cell_a, month=date(2023, 7, 1), rows=[bad]
            )
    assert not FeePayment.objects.exists()


@pytest.mark.django_db
def test_outsider_cannot_collect_or_remit(reg, members_a, editor_b):
    with pytest.raises(NotFound):
        fee_collect(
            acting_user=editor_b,
            organization=reg.cell_a,
            month=date(2023, 7, 1),
            rows=[Collected(members_a[0], 5_000, date(2023, 7, 5))],
        )
    with pytest.raises(NotFound):
        fee_remit(
            acting_user=editor_b,
            organization=reg.cell_a,
            month_from=date(2023, 1, 1),
            month_to=date(2023, 3, 1),
            amount=100_000,
            sent_on=date(2023, 4, 2),
        )
    assert not FeePayment.objects.exists()


@pytest.mark.django_db
def test_remittance_period_must_be_in_order(reg, editor_a):
    with pytest.raises(RuleError):
        fee_remit(
            acting_user=editor_a,
            organization=reg.cell_a,
            month_from=date(2023, 3, 1),
            month_to=date(2023, 1, 1),
            amount=1,
            sent_on=date(2023, 4, 1),
        )
    r = fee_remit(
        acting_user=editor_a,
        organization=reg.cell_a,
        month_from=date(2023, 1, 15),
        month_to=date(2023, 3, 1),
        amount=150_000,
        sent_on=date(2023, 4, 1),
    )
    assert (r.month_from, r.amount) == (date(2023, 1, 1), 150_000)
