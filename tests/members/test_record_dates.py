"""Issue 11, faults 1 and 2: party age from the Phiếu đảng viên's date of admission (not from an
arrival by transfer), and death is final."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.core.errors import RuleError
from grassroots.members import selectors, services
from grassroots.members.models import EventKind, Member
from grassroots.members.replay import Fact, ReplayError, replay
from grassroots.statistics.selectors import party_age_band_conditions
from tests import factories

pytestmark = pytest.mark.django_db


def veteran(reg, **record):
    """Born 1953, admitted 19/05/1980 elsewhere, arrived officially on 01/06/2013."""
    member = factories.member(full_name="Lò Văn Cựu", birth_date=date(1953, 2, 1), **record)
    services.member_join(
        acting_user=None,
        member=member,
        day=date(2013, 6, 1),
        organization=reg.cell_a,
        place=reg.village_a,
    )
    return member


def test_party_age_counts_from_the_date_of_admission_not_the_arrival(reg):
    member = veteran(reg, admitted_on=date(1980, 5, 19), confirmed_on=date(1981, 5, 19))
    age = selectors.member_party_age(member=member, day=date(2026, 12, 1))
    assert (age.years, age.months, age.since) == (46, 6, date(1980, 5, 19))
    assert (age.next_badge_years, age.next_badge_on) == (50, date(2030, 5, 19))
    assert member.spans.get().served_since == date(1980, 5, 19)


def test_party_age_bands_count_from_the_date_of_admission(reg):
    member = veteran(reg, admitted_on=date(1980, 5, 19))
    bands = party_age_band_conditions(date(2026, 12, 1))
    over_40 = [key for key, q in bands.items() if member.spans.filter(q).exists()]
    assert over_40 and all(key[0] != "0" for key in over_40)
    # the age band is the one of 46 years, not of 13
    assert member.spans.filter(served_since__lte=date(1986, 12, 1)).exists()


def test_setting_the_date_of_admission_later_rederives_the_party_age(reg):
    member = veteran(reg)
    assert selectors.member_party_age(member=member, day=date(2026, 12, 1)).years == 13
    services.member_update(acting_user=None, member=member, admitted_on=date(1980, 5, 19))
    assert selectors.member_party_age(member=member, day=date(2026, 12, 1)).years == 46


def test_record_dates_are_checked(reg):
    member = veteran(reg)
    with pytest.raises(RuleError, match="Ngày chính thức không được trước ngày vào Đảng"):
        services.member_update(
            acting_user=None,
            member=member,
            admitted_on=date(1980, 5, 19),
            confirmed_on=date(1979, 1, 1),
        )
    with pytest.raises(RuleError, match="Ngày vào Đảng phải sau ngày sinh"):
        services.member_update(acting_user=None, member=member, admitted_on=date(1950, 1, 1))


def test_an_arrival_without_a_date_of_admission_is_a_warning_on_the_checks_page(reg, admin_user):
    without = veteran(reg)
    veteran(reg, admitted_on=date(1980, 5, 19))
    checks = {c.code: c for c in selectors.checks(user=admin_user, day=date(2026, 12, 1))}
    assert [m for m, _ in checks["admission_date_missing"].rows] == [without]


def test_veteran_entered_through_the_form(client, admin_user, reg):
    client.force_login(admin_user)
    response = client.post(
        reverse("members:create"),
        {
            "code": "NN-1980",
            "full_name": "Lò Văn Cựu",
            "gender": "male",
            "birth_date": "01/02/1953",
            "admitted_on": "19/05/1980",
            "confirmed_on": "19/05/1981",
            "joined_on": "01/06/2013",
            "organization": reg.cell_a.code,
            "place": reg.village_a.code,
        },
    )
    member = Member.objects.get(code="NN-1980")
    assert response.status_code == 302
    assert member.events.get().kind == EventKind.JOINED_OFFICIAL
    page = client.get(reverse("members:detail", args=["NN-1980"]), {"as_of": "2026-12-01"})
    assert "46 năm 6 tháng (từ 19/05/1980)" in page.content.decode()


def test_api_member_detail_gives_the_record_dates_party_age_and_next_badge(client, admin_user, reg):
    member = veteran(reg, admitted_on=date(1980, 5, 19), confirmed_on=date(1981, 5, 19))
    client.force_login(admin_user)
    data = client.get(f"/api/v1/members/{member.code}", {"as_of": "2026-12-01"}).json()
    assert data["admitted_on"] == "1980-05-19" and data["confirmed_on"] == "1981-05-19"
    assert data["party_age_years"] == 46
    assert data["next_badge"] == {"years": 50, "date": "2030-05-19"}


def test_earlier_gaps_are_subtracted_from_the_party_age(reg):
    """Issue 11, fault 1: membership lost and restored before the registry's history."""
    member = veteran(reg, admitted_on=date(1980, 5, 19))
    services.member_update(acting_user=None, member=member, earlier_gaps="19/05/1990 - 19/05/1992")
    member.refresh_from_db()
    assert member.earlier_gaps == "1990-05-19/1992-05-19"
    age = selectors.member_party_age(member=member, day=date(2026, 12, 1))
    assert (age.years, age.months, age.since) == (44, 6, date(1980, 5, 19))
    # the 45-year badge, the gap's 731 days (1992 is a leap year) later than without it
    assert (age.next_badge_years, age.next_badge_on) == (45, date(2027, 5, 20))
    with pytest.raises(RuleError, match="ngày khôi phục phải sau ngày mất đảng tịch"):
        services.member_update(
            acting_user=None, member=member, earlier_gaps="1992-01-01/1990-01-01"
        )
    with pytest.raises(RuleError, match="không thể bắt đầu trước ngày vào Đảng"):
        services.member_update(
            acting_user=None, member=member, earlier_gaps="1975-01-01/1976-01-01"
        )
    with pytest.raises(RuleError, match="chồng lên nhau"):
        services.member_update(
            acting_user=None,
            member=member,
            earlier_gaps="1990-01-01/1992-01-01;1991-01-01/1993-01-01",
        )
    member.refresh_from_db()
    assert member.earlier_gaps == "1990-05-19/1992-05-19"


def test_replay_subtracts_only_the_gaps_before_the_history():
    facts = [Fact(date(2013, 6, 1), "joined_official", 1, 1, "", 0)]
    gaps = [(date(1990, 1, 1), date(1991, 1, 1)), (date(2012, 6, 1), date(2014, 1, 1))]
    span = replay(facts, admitted_on=date(1980, 1, 1), gaps=gaps)[0]
    # one year, and the 2012 gap up to the arrival only (365 + 365 days)
    assert span.served_since == date(1980, 1, 1) + (date(1991, 1, 1) - date(1990, 1, 1)) + (
        date(2013, 6, 1) - date(2012, 6, 1)
    )


def test_earlier_gaps_through_the_form_and_the_page(client, admin_user, reg):
    member = veteran(reg, admitted_on=date(1980, 5, 19))
    client.force_login(admin_user)
    url = reverse("members:edit", args=[member.code])
    form = client.get(url).content.decode()
    assert "Gián đoạn sinh hoạt Đảng" in form
    bad = client.post(url, {**_profile(member), "earlier_gaps": "19/05/1990 - 1992"})
    assert bad.status_code == 200 and "ngày không hợp lệ" in bad.content.decode()
    response = client.post(url, {**_profile(member), "earlier_gaps": "19/05/1990 - 19/05/1992"})
    assert response.status_code == 302
    page = client.get(reverse("members:detail", args=[member.code]), {"as_of": "2026-12-01"})
    html = page.content.decode()
    assert "19/05/1990 - 19/05/1992" in html
    assert "44 năm 6 tháng (từ 19/05/1980)" in html
    data = client.get(f"/api/v1/members/{member.code}", {"as_of": "2026-12-01"}).json()
    assert data["earlier_gaps"] == "1990-05-19/1992-05-19" and data["party_age_years"] == 44


def _profile(member):
    return {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "admitted_on": member.admitted_on.strftime("%d/%m/%Y"),
        "based_on": str(member.version),
    }


# --- Death is final ---------------------------------------------------------------------------


def dead(reg):
    member = factories.member(
        organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 3, 1)
    )
    services.member_leave(acting_user=None, member=member, day=date(2025, 11, 15), reason="died")
    return member


def test_no_event_after_death(reg):
    member = dead(reg)
    with pytest.raises(RuleError, match="đã từ trần") as exc:
        services.member_admit(
            acting_user=None,
            member=member,
            day=date(2025, 11, 20),
            organization=reg.cell_a,
            place=reg.village_a,
        )
    assert exc.value.code == "after_death"
    assert member.events.count() == 1 + 1


def test_replay_refuses_anything_after_death():
    facts = [
        Fact(date(2014, 3, 1), "admitted", 1, 1),
        Fact(date(2025, 11, 15), "left", reason="died"),
        Fact(date(2025, 11, 20), "joined_official", 1, 1),
    ]
    with pytest.raises(ReplayError) as exc:
        replay(facts)
    assert exc.value.code == "after_death"


def test_a_death_recorded_by_mistake_can_be_cancelled_or_corrected(reg):
    member = dead(reg)
    died = member.events.get(kind=EventKind.LEFT)
    corrected, _ = services.member_event_correct(
        acting_user=None, event=died, day=date(2025, 11, 16)
    )
    services.member_event_cancel(acting_user=None, event=corrected)
    services.member_move(
        acting_user=None, member=member, day=date(2025, 11, 20), place=reg.village_b
    )
    assert selectors.member_died_on(member=member) is None


def test_dead_members_page_offers_no_action_and_no_badge(client, admin_user, reg):
    member = dead(reg)
    client.force_login(admin_user)
    response = client.get(reverse("members:detail", args=[member.code]), {"as_of": "2025-11-20"})
    html = response.content.decode()
    assert response.context["actions"] == []
    assert reverse("members:event", args=[member.code, "admitted"]) not in html
    assert "Huy hiệu tiếp theo" not in html and "Đã từ trần" in html
