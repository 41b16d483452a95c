"""Every URL and API route, requested by an editor scoped to another commune, must not reveal or
change anything of commune A: detail routes answer 404, lists do not show A's records."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories

SECRET_NAME = "Lù Văn Quân"


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(route: str, values: dict) -> str | None:
    """Turn a route like 'members/<str:code>/events/<int:pk>/correct/' into a real path."""
    import re

    out = route
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name not in values:
            return None
        out = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), out, count=1)
    return "/" + out.replace("^", "").replace("$", "")


@pytest.fixture
def world(reg, make_user):
    m = factories.member(
        full_name=SECRET_NAME,
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 1, 2),
        confirmed=date(2021, 1, 4),
        code="SECRET-1",
    )
    outsider = make_user("ngoai", roles=["editor"], scope=reg.commune_committee_b)
    from grassroots.admissions.services import candidate_create, target_set
    from grassroots.ratings.services import rating_record

    candidate = candidate_create(
        acting_user=None,
        code="SECRET-C",
        full_name="Lò Thị Bí Mật",
        gender="female",
        birth_date=date(2000, 1, 1),
        source="youth_union",
        organization=reg.cell_a,
        place=reg.village_a,
        identified_on=date(2022, 3, 1),
    )
    target = target_set(
        acting_user=None,
        organization=reg.commune_committee_a,
        year_from=2020,
        year_to=2025,
        per_year=5,
    )
    rating, _ = rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2021",
        organization=reg.cell_a,
        level="good",
    )
    m.extra = {"candidate": candidate, "target": target, "rating": rating}
    return reg, m, outsider


@pytest.mark.django_db
def test_every_page_route_hides_another_subtree(client, world):
    reg, member, outsider = world
    client.force_login(outsider)
    event = member.events.first()
    by_kind = {
        "members": {"code": member.code, "pk": event.pk, "kind": "confirmed"},
        "organizations": {"code": reg.cell_a.code},
        "places": {"code": reg.village_a.code},
        "admissions": {
            "code": member.extra["candidate"].code,
            "stage": "trained",
            "pk": member.extra["target"].pk,
        },
        "ratings": {"pk": member.extra["rating"].pk},
    }
    checked = 0
    for route, _pattern in _patterns():
        if route.startswith(("api/", "accounts/", "static/")) or "<" not in route:
            continue
        app = route.split("/", 1)[0]
        path = _fill(route, by_kind.get(app, {}))
        if path is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 404, f"{method.upper()} {path} → {response.status_code}"
            checked += 1
    assert checked >= 6, "the sweep found too few routes to be meaningful"


@pytest.mark.django_db
def test_every_list_page_hides_another_subtree(client, world):
    reg, member, outsider = world
    client.force_login(outsider)
    for route, _ in _patterns():
        if "<" in route or route.startswith(("api/", "accounts/", "admin/")) or not route:
            continue
        response = client.get("/" + route, {"as_of": "2022-01-01"})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        assert SECRET_NAME not in body, f"/{route} shows a member of another subtree"
        assert "Chi bộ bản Nậm Ngà" not in body, f"/{route} shows a cell of another subtree"


@pytest.mark.django_db
def test_every_api_route_hides_another_subtree(client, world):
    from grassroots.api import api

    reg, member, outsider = world
    client.force_login(outsider)
    values = {
        "code": member.code,
        "event_id": member.events.first().pk,
        "rating_id": member.extra["rating"].pk,
    }
    # A well-formed body, so the route reaches its scope check (a malformed one answers 422
    # before anything is looked up, which reveals nothing either).
    body = '{"event": "confirmed", "date": "2024-01-02", "note": "x"}'
    schema = api.get_openapi_schema()
    checked = 0
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        section = path.split("/")[3]
        vals = dict(values)
        if section == "organizations":
            vals["code"] = reg.cell_a.code
        elif section == "places":
            vals["code"] = reg.village_a.code
        elif section == "admissions":
            vals["code"] = member.extra["candidate"].code
        url = path
        for key, value in vals.items():
            url = url.replace("{" + key + "}", str(value))
        if "{" in url:
            continue
        for method in operations:
            response = client.generic(
                method.upper(), url, data=body, content_type="application/json"
            )
            assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
            checked += 1
    assert checked >= 10
