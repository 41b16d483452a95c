"""Writing the demo (:func:`build_demo`): one transaction, every write by ``acting_user``.

1. Places: Lai Châu's real tree of both eras through :func:`~grassroots.places.loading.
   load_divisions` (Lai Châu from 2004-01-01, Huyện Nậm Nhùn and its 11 communes from
   2013-01-01, the rest of the old tree from the list's date), then the sample villages,
   schools, health stations and commune offices through ``place_create``.
2. Organisations through ``organization_found``: Đảng bộ tỉnh Lai Châu (``DB-12``), Đảng bộ
   huyện Nậm Nhùn (``DB-112``, 2013-06-01), the 11 commune committees (``DU-<commune>``) and
   the cells (``CB-<place>``), each founded on its planned day.
3. Members **in bulk**, not through ``members.services`` (one call per event would take
   minutes): each member's complete event list comes from :mod:`grassroots.demo.plan`, is
   validated and turned into spans by :func:`grassroots.members.replay.replay` — the rule code
   the services use — and then events, spans and one audit entry per member are bulk-inserted.
4. The village merge of 2019 through ``place_merge`` and ``organization_merge``.
5. The reorganisation of 2025-07-01 through the services: sample places move to the post-2025
   communes, every commune committee moves directly under ``DB-12`` (and to its new commune),
   ``DB-112`` is dissolved; the district and the old communes end that day (loader).
6. Two demo users: an editor scoped to ``DB-12`` and a viewer scoped to one commune committee.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from grassroots.accounts.models import User
from grassroots.accounts.services import user_create
from grassroots.core import roles
from grassroots.core.text import fold, name_collation_key, nfc
from grassroots.demo import plan as demo_plan
from grassroots.demo.admissions import build_admissions
from grassroots.demo.cadres import build_cadres
from grassroots.demo.cells import build_cells
from grassroots.demo.documents import build_documents
from grassroots.demo.inspections import build_inspections
from grassroots.demo.news import build_news
from grassroots.demo.ratings import build_ratings
from grassroots.demo.reports import build_reports
from grassroots.demo.resolutions import build_resolutions
from grassroots.members import tally
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from grassroots.members.replay import Fact, replay
from grassroots.organizations.models import Organization
from grassroots.organizations.services import (
    organization_change,
    organization_dissolve,
    organization_found,
    organization_merge,
)
from grassroots.places.loading import REFORM_DAY, load_divisions
from grassroots.places.models import Place
from grassroots.places.services import place_create, place_merge, place_reparent

PROVINCE_ORG, DISTRICT_ORG = "DB-12", "DB-112"
VIEWER_SCOPE = "DU-03475"  # Đảng bộ xã Nậm Hàng
#: username -> (full name, role, scope organisation code, environment variable for the password)
DEMO_USERS = {
    "bantochuc": (
        "Cán bộ Ban Tổ chức Tỉnh ủy (mẫu)",
        roles.EDITOR,
        PROVINCE_ORG,
        "DEMO_EDITOR_PASSWORD",
    ),
    "xanamhang": ("Đảng ủy xã Nậm Hàng (mẫu)", roles.VIEWER, VIEWER_SCOPE, "DEMO_VIEWER_PASSWORD"),
}


@dataclass
class DemoResult:
    members: int
    events: int
    seconds: float


def demo_actor() -> User | None:
    """Who the demo's writes are recorded by: the demo administrator ``admin``, else the first
    active superuser."""
    superusers = User.objects.filter(is_superuser=True, is_active=True).order_by("pk")
    return superusers.filter(username="admin").first() or superusers.first()


def demo_loaded() -> bool:
    """The demo is in the registry (it is written in one transaction, so all of it)."""
    return Organization.objects.filter(code=DISTRICT_ORG).exists()


def demo_password(username: str) -> str:
    """The demo user's password, kept in ``var/`` like the administrator's (created once)."""
    path = settings.VAR_DIR / f"demo_{username}_password"
    if path.exists():
        return path.read_text().strip()
    password = os.environ.get(DEMO_USERS[username][3]) or secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password


def demo_logins() -> list[str]:
    """One line per demo user whose password file exists and who exists."""
    lines = []
    for username, (_name, role, scope, _env) in DEMO_USERS.items():
        path = settings.VAR_DIR / f"demo_{username}_password"
        if path.exists() and User.objects.filter(username=username).exists():
            lines.append(
                f"Đăng nhập mẫu ({roles.ROLES[role].lower()}, phạm vi {scope}): tên đăng nhập "
                f"'{username}', mật khẩu '{path.read_text().strip()}'"
            )
    return lines


@transaction.atomic
def build_demo(*, acting_user) -> DemoResult | None:
    """Build the demo; None (nothing written) when it is already there."""
    if demo_loaded():
        return None
    started = time.perf_counter()
    plan = demo_plan.make_plan()
    with tally.deferred():  # the spans are written in bulk: the tallies once, at the end
        places = _places(acting_user, plan)
        orgs = _organizations(acting_user, plan, places)
        members, events = _members(acting_user, plan, places, orgs)
        _merge(acting_user, plan, places, orgs)
        _reorganise(acting_user, plan, places, orgs)
    build_admissions(acting_user=acting_user)
    build_ratings(acting_user=acting_user)
    build_documents(acting_user=acting_user)
    build_resolutions(acting_user=acting_user)
    build_cadres(acting_user=acting_user)
    build_inspections(acting_user=acting_user)
    build_cells(acting_user=acting_user)
    _users(orgs)
    build_reports(acting_user=acting_user)
    build_news(acting_user=acting_user)
    return DemoResult(members, events, time.perf_counter() - started)


def _places(user, plan: demo_plan.Plan) -> dict[str, Place]:
    dates = {
        demo_plan.PROVINCE: demo_plan.PROVINCE_FROM,
        demo_plan.DISTRICT: demo_plan.DISTRICT_FROM,
    }
    dates.update({c.code: demo_plan.DISTRICT_FROM for c in plan.communes})
    load_divisions(acting_user=user, province=demo_plan.PROVINCE, valid_from_by_code=dates)
    codes = [demo_plan.PROVINCE, demo_plan.DISTRICT]
    codes += [c.code for c in plan.communes] + [c.new_code for c in plan.communes]
    places = {p.code: p for p in Place.objects.filter(code__in=codes)}
    for slot in plan.slots:
        places[slot.code] = place_create(
            acting_user=user,
            code=slot.code,
            name=slot.name,
            kind=slot.kind,
            parent=places[slot.commune.code],
            valid_from=demo_plan.DISTRICT_FROM,
            is_sample=True,
        )
    return places


def _organizations(user, plan, places) -> dict[str, Organization]:
    def found(code, name, kind, place, day, parent=None):
        orgs[code] = organization_found(
            acting_user=user,
            code=code,
            name=name,
            kind=kind,
            place=place,
            parent=parent,
            valid_from=day,
            is_sample=True,
        )

    orgs: dict[str, Organization] = {}
    found(
        PROVINCE_ORG,
        "Đảng bộ tỉnh Lai Châu",
        "committee",
        places[demo_plan.PROVINCE],
        demo_plan.PROVINCE_FROM,
    )
    found(
        DISTRICT_ORG,
        "Đảng bộ huyện Nậm Nhùn",
        "committee",
        places[demo_plan.DISTRICT],
        demo_plan.FOUNDED,
        orgs[PROVINCE_ORG],
    )
    for c in plan.communes:
        found(
            c.committee,
            c.committee_name,
            "grassroots_committee",
            places[c.code],
            demo_plan.FOUNDED,
            orgs[DISTRICT_ORG],
        )
    for s in sorted(plan.slots, key=lambda s: s.cell_from):
        found(s.cell, s.cell_name, "cell", places[s.code], s.cell_from, orgs[s.commune.committee])
    return orgs


def _members(user, plan, places, orgs) -> tuple[int, int]:
    place_ids = {code: p.pk for code, p in places.items()}
    org_ids = {code: o.pk for code, o in orgs.items()}
    members = Member.objects.bulk_create(
        [
            Member(
                code=p.code,
                full_name=nfc(p.full_name),
                name_folded=fold(p.full_name),
                name_key=name_collation_key(p.full_name),
                gender=p.gender,
                birth_date=p.birth_date,
                ethnicity=p.ethnicity,
                education=p.education,
                occupation=p.occupation,
                hometown=p.hometown,
                admitted_on=p.admitted_on,
                confirmed_on=p.confirmed_on,
                is_sample=True,
            )
            for p in plan.people
        ],
        batch_size=500,
    )
    events, spans, entries = [], [], []
    content_type = ContentType.objects.get_for_model(Member)
    for member, person in zip(members, plan.people, strict=True):
        facts = []
        for seq, e in enumerate(person.events):
            org_id, place_id = org_ids.get(e.organization), place_ids.get(e.place)
            facts.append(Fact(e.date, e.kind, org_id, place_id, e.reason, seq))
            events.append(
                MemberEvent(
                    member=member,
                    date=e.date,
                    kind=e.kind,
                    organization_id=org_id,
                    place_id=place_id,
                    reason=e.reason,
                    note=e.note,
                    recorded_by=user,
                )
            )
        spans += [
            MembershipSpan(
                member=member,
                organization_id=s.organization_id,
                place_id=s.place_id,
                status=s.status,
                exempted=s.exempted,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
                served_since=s.served_since or s.valid_from,
            )
            for s in replay(
                facts, admitted_on=person.admitted_on
            )  # raises ReplayError: a bug in the plan, never ignored
        ]
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(member.pk),
                object_id=member.pk,
                object_repr=member.full_name,
                action=LogEntry.Action.CREATE,
                changes={"event": ["", f"Dữ liệu mẫu: {len(facts)} sự kiện"]},
                actor=user,
            )
        )
    # Same-day events keep the plan's order: ids grow in insertion order.
    MemberEvent.objects.bulk_create(events, batch_size=1000)
    MembershipSpan.objects.bulk_create(spans, batch_size=1000)
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(members), len(events)


def _merge(user, plan, places, orgs) -> None:
    merged, into, day = plan.merge
    note = "Sáp nhập bản (dữ liệu mẫu)"
    place_merge(acting_user=user, places=[places[merged]], into=places[into], day=day, note=note)
    organization_merge(
        acting_user=user,
        sources=[orgs[f"CB-{merged}"]],
        into=orgs[f"CB-{into}"],
        day=day,
        note=note,
    )


def _reorganise(user, plan, places, orgs) -> None:
    merged = plan.merge[0]
    for s in plan.slots:
        if s.code != merged:
            place_reparent(
                acting_user=user,
                place=places[s.code],
                parent=places[s.commune.new_code],
                day=REFORM_DAY,
            )
    for c in plan.communes:
        organization_change(
            acting_user=user,
            organization=orgs[c.committee],
            day=REFORM_DAY,
            parent=orgs[PROVINCE_ORG],
            place=places[c.new_code],
        )
    organization_dissolve(acting_user=user, organization=orgs[DISTRICT_ORG], day=REFORM_DAY)


def _users(orgs) -> None:
    for username, (full_name, role, scope, _env) in DEMO_USERS.items():
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=demo_password(username),
                full_name=full_name,
                roles=[role],
                scope=orgs[scope],
            )
