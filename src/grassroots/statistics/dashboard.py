"""The dashboard: the registry's cards (:func:`grassroots.core.figures.cards`) of one
organisation on one day, each number paired with the drill-down link to the records behind it.

Cards take their numbers from the registry's figures; :func:`linked` turns a figure's object into
the same tree with every whole number a :class:`Number` (its value and its drill-down URL), so a
card's template writes ``{{ n.members.official.value }}`` and ``{{ n.members.official.url }}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from grassroots.core import figures as registry
from grassroots.organizations.models import Organization

#: The dashboard's history goes back at most this many years.
HISTORY_YEARS = 15


@dataclass(frozen=True)
class Number:
    """A figure on a page and the drill-down list of the records behind it."""

    value: int
    url: str


def drill_url(figure: registry.Figure, organization: Organization, path: str, **values) -> str:
    """The drill-down page of the number at ``path`` of ``figure`` with these parameters
    (compute keywords); an ``as_of`` among ``values`` that the figure does not take keeps the
    page's date."""
    query = {"figure": f"{figure.name}.{path}" if path else figure.name}
    query.update(figure.query(organization.code, values))
    if "as_of" in values and "as_of" not in query:
        query["as_of"] = values["as_of"].isoformat()
    return f"{reverse('statistics:drilldown')}?{urlencode(query)}"


def linked(
    figure: registry.Figure, organization: Organization, result: Any, *, as_of=None, **values
) -> Any:
    """``result`` (the figure's object for ``values``) with every whole number replaced by a
    :class:`Number` linking to its records; the parameters are left as they are."""
    skip = {"organization", *(param.name for param in figure.params)}
    extra = {"as_of": as_of} if as_of is not None else {}

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, dict):
            return {
                key: value if not path and key in skip else walk(value, _join(path, key))
                for key, value in node.items()
            }
        if isinstance(node, int) and not isinstance(node, bool):
            return Number(node, drill_url(figure, organization, path, **values, **extra))
        return node

    return walk(result, "")


def numbers(name: str, organization: Organization, *, as_of=None, **values) -> Any:
    """The figure called ``name`` for ``organization`` and ``values``, linked (uncached: the
    dashboard is cached as a whole)."""
    figure = registry.get(name)
    result = figure.compute_uncached(organization, **values)
    return linked(figure, organization, result, as_of=as_of, **values)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def history_start(organization: Organization, day: date) -> date:
    """From the organisation's founding, at most ``HISTORY_YEARS`` years back from ``day``."""
    founded = organization.versions.order_by("valid_from").values_list("valid_from", flat=True)
    limit = date(day.year - HISTORY_YEARS + 1, 1, 1)
    return min(max(founded.first() or limit, limit), day)


def dashboard(*, organization: Organization, day: date) -> str:
    """Every card of the registry for ``organization`` on ``day``, as HTML: the same for every
    user who may see the organisation (the page caches it under the data version)."""
    html = []
    for card in registry.cards():
        context = {"organization": organization, "as_of": day}
        context.update(card.context(organization=organization, day=day))
        html.append(render_to_string(card.template, context))
    return mark_safe("".join(html))  # noqa: S308 - rendered templates, escaped there
