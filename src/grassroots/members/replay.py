"""Replaying a member's events: the state on any date and the derived membership spans.

Pure Python, no database: the services use it on every change, the bulk import uses it per
member, and the property tests compare it with a deliberately plain re-implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from grassroots.core.text import format_date

ADMITTED, CONFIRMED = "admitted", "confirmed"
JOINED_OFFICIAL, JOINED_PROBATIONARY = "joined_official", "joined_probationary"
MOVED, EXEMPTED, EXEMPTION_ENDED, LEFT = "moved", "exempted", "exemption_ended", "left"
CANCELLED = "cancelled"
PROBATIONARY, OFFICIAL = "probationary", "official"
REASONS = {"transferred_out", "died", "removed", "expelled", "resigned", "not_confirmed"}

KIND_LABELS = {
    ADMITTED: "kết nạp",
    CONFIRMED: "công nhận chính thức",
    JOINED_OFFICIAL: "chuyển đến (chính thức)",
    JOINED_PROBATIONARY: "chuyển đến (dự bị)",
    MOVED: "chuyển sinh hoạt nội bộ",
    EXEMPTED: "miễn công tác và sinh hoạt",
    EXEMPTION_ENDED: "thôi miễn công tác và sinh hoạt",
    LEFT: "ra khỏi danh sách",
}


@dataclass(frozen=True)
class Fact:
    """One effective event, as the replay needs it."""

    date: date
    kind: str
    # Ids; the import's validation passes codes instead (replay only compares them).
    organization_id: int | str | None = None
    place_id: int | str | None = None
    reason: str = ""
    seq: int = 0  # same-day order (file order / id)


@dataclass(frozen=True)
class State:
    status: str | None = None  # None: not a member
    # Ids; the import's validation passes codes instead (replay only compares them).
    organization_id: int | str | None = None
    place_id: int | str | None = None
    exempted: bool = False
    dead: bool = False  # after ``left`` with reason ``died``: no event may follow


@dataclass(frozen=True)
class Span:
    organization_id: int
    place_id: int
    status: str
    exempted: bool
    valid_from: date
    valid_to: date | None
    #: ``valid_from`` moved back by the days of membership before this span (the earlier spans
    #: of the member): the party age on a day D inside the span is D − ``served_since`` days.
    served_since: date


class ReplayError(ValueError):
    """An event does not fit the member's state. ``index`` is the fact's position (sorted)."""

    def __init__(self, fact: Fact, message: str, code: str):
        self.fact, self.code = fact, code
        super().__init__(message)


def _refuse(fact: Fact, why: str, code: str):
    label = KIND_LABELS.get(fact.kind, fact.kind)
    raise ReplayError(
        fact, f"Sự kiện '{label}' ngày {format_date(fact.date)} không hợp lệ: {why}", code
    )


def step(state: State, fact: Fact) -> State:
    """The state after ``fact``; raises :class:`ReplayError` when the event does not fit."""
    kind = fact.kind
    if state.dead:
        _refuse(
            fact,
            "đảng viên đã từ trần; chỉ có thể đính chính hoặc hủy sự kiện từ trần.",
            "after_death",
        )
    member = state.status is not None
    if kind == ADMITTED:
        if member:
            _refuse(fact, "người này đang là đảng viên.", "already_member")
        if not fact.organization_id or not fact.place_id:
            _refuse(fact, "cần có tổ chức đảng và địa bàn.", "org_place_required")
        return State(PROBATIONARY, fact.organization_id, fact.place_id, False)
    if kind in (JOINED_OFFICIAL, JOINED_PROBATIONARY):
        if member:
            _refuse(fact, "người này đang là đảng viên.", "already_member")
        if not fact.organization_id or not fact.place_id:
            _refuse(fact, "cần có tổ chức đảng và địa bàn.", "org_place_required")
        status = OFFICIAL if kind == JOINED_OFFICIAL else PROBATIONARY
        return State(status, fact.organization_id, fact.place_id, False)
    if not member:
        _refuse(fact, "người này không phải là đảng viên vào ngày đó.", "not_member")
    if kind == CONFIRMED:
        if state.status != PROBATIONARY:
            _refuse(fact, "đảng viên không phải là đảng viên dự bị.", "not_probationary")
        for given, current in (
            (fact.organization_id, state.organization_id),
            (fact.place_id, state.place_id),
        ):
            if given and given != current:
                _refuse(fact, "công nhận chính thức không đổi tổ chức hay địa bàn.", "no_move")
        return replace(state, status=OFFICIAL)
    if kind == MOVED:
        org = fact.organization_id or state.organization_id
        place = fact.place_id or state.place_id
        if (org, place) == (state.organization_id, state.place_id):
            _refuse(fact, "không có thay đổi tổ chức hay địa bàn.", "no_change")
        return replace(state, organization_id=org, place_id=place)
    if kind == EXEMPTED:
        if state.exempted:
            _refuse(fact, "đảng viên đã được miễn công tác và sinh hoạt.", "already_exempted")
        return replace(state, exempted=True)
    if kind == EXEMPTION_ENDED:
        if not state.exempted:
            _refuse(fact, "đảng viên không được miễn công tác và sinh hoạt.", "not_exempted")
        return replace(state, exempted=False)
    if kind == LEFT:
        if fact.reason not in REASONS:
            _refuse(fact, "cần ghi lý do hợp lệ.", "reason_required")
        if fact.reason == "not_confirmed" and state.status != PROBATIONARY:
            _refuse(
                fact, "chỉ đảng viên dự bị mới có thể không được công nhận.", "not_probationary"
            )
        return State(dead=fact.reason == "died")
    _refuse(fact, "loại sự kiện không rõ.", "unknown_kind")
    raise AssertionError  # unreachable


def ordered(facts) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.date, f.seq))


#: A gap in membership before the registry's history: (lost on, restored on).
Gap = tuple[date, date]


def parse_gaps(text: str) -> list[Gap]:
    """The member record's earlier gaps, ``YYYY-MM-DD/YYYY-MM-DD`` (or ``dd/mm/yyyy -
    dd/mm/yyyy``) separated by ``;`` or new lines: membership lost on the first day and restored
    on the second. Raises ValueError with a Vietnamese message."""
    gaps: list[Gap] = []
    for part in (text or "").replace("\n", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        ends = [e.strip() for e in (part.split(" - ") if " - " in part else part.split("/", 1))]
        if "/" not in part or len(ends) != 2:
            raise ValueError(
                f"“{part}”: mỗi khoảng gián đoạn ghi “ngày mất đảng tịch - ngày khôi phục”, "
                "ví dụ 01/03/2001 - 10/05/2003."
            )
        try:
            lost, restored = (_parse_day(e) for e in ends)
        except ValueError:
            raise ValueError(f"“{part}”: ngày không hợp lệ (dd/mm/yyyy).") from None
        if restored <= lost:
            raise ValueError(f"“{part}”: ngày khôi phục phải sau ngày mất đảng tịch.")
        gaps.append((lost, restored))
    gaps.sort()
    for (_, restored), (lost, _) in zip(gaps, gaps[1:], strict=False):
        if lost < restored:
            raise ValueError("Các khoảng gián đoạn không được chồng lên nhau.")
    return gaps


def _parse_day(text: str) -> date:
    if "-" in text and len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def format_gaps(gaps: list[Gap]) -> str:
    """The stored (and exported) form: ``YYYY-MM-DD/YYYY-MM-DD;…``."""
    return ";".join(f"{lost.isoformat()}/{restored.isoformat()}" for lost, restored in gaps)


def gaps_display(text: str) -> str:
    """The stored gaps as people write them: ``01/03/2001 - 10/05/2003``, one per line."""
    return "\n".join(
        f"{format_date(lost)} - {format_date(restored)}" for lost, restored in parse_gaps(text)
    )


def replay(facts, admitted_on: date | None = None, gaps: Sequence[Gap] = ()) -> list[Span]:
    """The membership spans of a member from its effective events (validated). Spans that
    follow each other with the same organisation, place, status and exemption are one span.
    ``admitted_on``: the date of admission on the member's record (Phiếu đảng viên); when the
    first event is an arrival (``joined_*``) after it, the time from admission to arrival
    counts as served, minus the record's earlier ``gaps`` (membership lost and restored before
    the registry's history). (Called for every member of an import: spans are built as lists, then
    frozen once.)"""
    facts = ordered(facts)
    rows: list[list] = []  # [organization_id, place_id, status, exempted, valid_from, valid_to]
    state = State()
    for fact in facts:
        new = step(state, fact)
        if rows and rows[-1][5] is None:
            if rows[-1][4] < fact.date:
                rows[-1][5] = fact.date
            else:
                rows.pop()  # replaced on the day it began
        if new.status is not None:
            key = [new.organization_id, new.place_id, new.status, new.exempted]
            if rows and rows[-1][5] == fact.date and rows[-1][:4] == key:
                rows[-1][5] = None  # the same state goes on: one span
            else:
                rows.append([*key, fact.date, None])
        state = new
    spans, served = [], timedelta(0)
    if (
        admitted_on is not None
        and rows
        and facts[0].kind in (JOINED_OFFICIAL, JOINED_PROBATIONARY)
        and admitted_on < rows[0][4]
    ):
        served = rows[0][4] - admitted_on
        for lost, restored in gaps:
            start, end = max(lost, admitted_on), min(restored, rows[0][4])
            if start < end:
                served -= end - start
    for organization_id, place_id, status, exempted, start, end in rows:
        spans.append(Span(organization_id, place_id, status, exempted, start, end, start - served))
        if end is not None:
            served += end - start
    return spans


def state_on(facts, day: date) -> State:
    """The member's state on ``day`` (events dated ≤ day count)."""
    state = State()
    for fact in ordered(facts):
        if fact.date > day:
            break
        state = step(state, fact)
    return state
