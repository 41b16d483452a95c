"""Factories for tests: build a small registry through the real services (no shortcuts)."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from grassroots.members.services import member_admit, member_confirm, member_create
from grassroots.organizations.services import organization_found
from grassroots.places.services import place_create

_seq = itertools.count(1)


@contextmanager
def rolled_back(django_db_blocker):
    """Rows written once for a whole module (or package) of tests, undone after them: each
    test's own ``db`` transaction is a savepoint inside this one."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def user(username="user", password="mật-khẩu-đủ-dài-1", roles=(), **extra):
    """A user with roles: ``user("ana", roles=["editor"])`` (the ``make_user`` fixture)."""
    from grassroots.accounts.services import user_create

    return user_create(username=username, password=password, roles=list(roles), **extra)


def place(
    *, name: str, kind: str, parent=None, valid_from=date(2000, 1, 1), code=None, user=None, **kw
):
    return place_create(
        acting_user=user,
        code=code or f"P{next(_seq)}",
        name=name,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        **kw,
    )


def org(
    *,
    name: str,
    kind: str,
    place,
    parent=None,
    valid_from=date(2000, 1, 1),
    code=None,
    user=None,
    **kw,
):
    return organization_found(
        acting_user=user,
        code=code or f"O{next(_seq)}",
        name=name,
        kind=kind,
        place=place,
        parent=parent,
        valid_from=valid_from,
        **kw,
    )


def member(
    *,
    full_name="Lò Văn Ánh",
    gender="male",
    birth_date=date(1990, 5, 1),
    code=None,
    user=None,
    organization=None,
    place=None,
    admitted=None,
    confirmed=None,
    **profile,
):
    """A member; admitted (and confirmed) on the given dates when an organisation is given."""
    m = member_create(
        acting_user=user,
        code=code or f"M{next(_seq)}",
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        **profile,
    )
    if organization is not None and admitted is not None:
        member_admit(
            acting_user=user, member=m, day=admitted, organization=organization, place=place
        )
        if confirmed is not None:
            member_confirm(acting_user=user, member=m, day=confirmed)
    return m


@dataclass
class Registry:
    """Two communes under one district under a province, each with a village cell."""

    province: object
    district: object
    commune_a: object
    commune_b: object
    village_a: object
    village_b: object
    committee: object  # district committee
    commune_committee_a: object
    commune_committee_b: object
    cell_a: object
    cell_b: object
    province_committee: object


def registry(user=None) -> Registry:
    d = date(2013, 6, 1)
    prov = place(name="Tỉnh Lai Châu", kind="province", code="12", user=user)
    dist = place(
        name="Huyện Nậm Nhùn", kind="district", parent=prov, code="112", valid_from=d, user=user
    )
    ca = place(
        name="Xã Nậm Hàng", kind="commune", parent=dist, code="03434", valid_from=d, user=user
    )
    cb = place(
        name="Xã Hua Bum", kind="commune", parent=dist, code="03460", valid_from=d, user=user
    )
    va = place(name="Bản Nậm Ngà", kind="village", parent=ca, code="V1", valid_from=d, user=user)
    vb = place(name="Bản Pa Pầu", kind="village", parent=cb, code="V2", valid_from=d, user=user)
    tu = org(name="Đảng bộ tỉnh Lai Châu", kind="committee", place=prov, code="DB-12", user=user)
    hu = org(
        name="Đảng bộ huyện Nậm Nhùn",
        kind="committee",
        place=dist,
        parent=tu,
        code="DB-112",
        valid_from=d,
        user=user,
    )
    xa = org(
        name="Đảng bộ xã Nậm Hàng",
        kind="grassroots_committee",
        place=ca,
        parent=hu,
        code="DU-03434",
        valid_from=d,
        user=user,
    )
    xb = org(
        name="Đảng bộ xã Hua Bum",
        kind="grassroots_committee",
        place=cb,
        parent=hu,
        code="DU-03460",
        valid_from=d,
        user=user,
    )
    cell_a = org(
        name="Chi bộ bản Nậm Ngà",
        kind="cell",
        place=va,
        parent=xa,
        code="CB-V1",
        valid_from=d,
        user=user,
    )
    cell_b = org(
        name="Chi bộ bản Pa Pầu",
        kind="cell",
        place=vb,
        parent=xb,
        code="CB-V2",
        valid_from=d,
        user=user,
    )
    return Registry(prov, dist, ca, cb, va, vb, hu, xa, xb, cell_a, cell_b, tu)
