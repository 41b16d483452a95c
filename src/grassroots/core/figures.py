"""The figure registry: every figure the system reports, declared once.

A figure is a number (or an object of numbers) about one party organisation on a day, over a
period or over years. Each app declares its figures in its own ``figures.py`` with
:func:`register` — its stable name, its parameters, the function that computes it, the records
behind every number of it (the drill-down), its Vietnamese label and definition. Everything
that shows figures reads this registry: the dashboard's cards, the drill-down page,
``GET /api/v1/reports/{figure}``, ``grassroots report <figure>``, the definitions page and the
data-version cache. Adding a figure is one :func:`register` call; the pages, the API, the command
line and the generated tests pick it up.

The modules are found by :func:`django.utils.module_loading.autodiscover_modules` on first use
(``<app>.figures`` for every installed app), so ``core`` imports no domain app and an app never
needs to import the app that shows its figures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.module_loading import autodiscover_modules

from grassroots.core.dataversion import cached
from grassroots.core.errors import NotFound
from grassroots.core.temporal import parse_date

#: At most this many years in one figure over years.
MAX_YEARS = 21

#: A figure's JSON object: the organisation, the parameters and the numbers.
Result = dict[str, Any]


class InvalidParameter(ValueError):
    """A figure's parameter is missing or malformed. ``template`` names the parameters with
    ``{}`` so that each caller words them its way (``from`` in the API, ``--from`` on the
    command line)."""

    def __init__(self, template: str, *names: str):
        super().__init__(template.format(*names))
        self.template = template
        self.names = names

    def message(self, option: Callable[[str], str] = str) -> str:
        return self.template.format(*(option(name) for name in self.names))


@dataclass(frozen=True)
class Param:
    """One parameter of a figure besides the organisation, which every figure takes.

    ``name`` is its key in the query string and in the figure's JSON (``as_of``, ``from``…),
    ``keyword`` the compute function's keyword argument (``day``, ``start``…), ``kind`` one of
    ``date``, ``year``, ``choice`` or ``code`` (the code of a record, e.g. a resolution's)."""

    name: str
    keyword: str
    kind: str
    label: str
    choices: tuple[str, ...] = ()
    default: str | None = None

    def parse(self, raw: str | None) -> Any:
        if raw in (None, ""):
            if self.default is not None:
                raw = self.default
            else:
                raise InvalidParameter(f"Thiếu {{}} ({self.label}).", self.name)
        if self.kind == "date":
            parsed = parse_date(raw)
            if parsed is None:
                raise InvalidParameter(
                    f"Ngày không hợp lệ cho {{}}: '{raw}' (dùng dạng YYYY-MM-DD).", self.name
                )
            return parsed
        if self.kind == "year":
            if not str(raw).isdigit() or not 1900 <= int(raw) <= 2200:
                raise InvalidParameter(f"Năm không hợp lệ cho {{}}: '{raw}'.", self.name)
            return int(raw)
        if self.kind == "code":
            text = str(raw).strip()
            if not text or len(text) > 64 or any(c.isspace() for c in text):
                raise InvalidParameter(f"Mã không hợp lệ cho {{}}: '{raw}'.", self.name)
            return text
        if raw not in self.choices:
            allowed = ", ".join(self.choices)
            raise InvalidParameter(
                f"Giá trị không hợp lệ cho {{}}: '{raw}' ({allowed}).", self.name
            )
        return raw

    def dump(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


#: The parameter sets of the figures: on a day, over a period (both days included), over years.
ON_DAY = (Param("as_of", "day", "date", "ngày, YYYY-MM-DD"),)
PERIOD = (
    Param("from", "start", "date", "từ ngày (kể cả), YYYY-MM-DD"),
    Param("to", "end", "date", "đến ngày (kể cả), YYYY-MM-DD"),
)
YEARS = (
    Param("year_from", "year_from", "year", "từ năm"),
    Param("year_to", "year_to", "year", "đến năm"),
)


@dataclass(frozen=True)
class Records:
    """The records behind one number of a figure: exactly as many rows as the number.
    ``kind`` says how the drill-down page lists them (``members``, ``places``,
    ``organizations``, ``events``, ``candidates``, ``ratings``)."""

    kind: str
    queryset: QuerySet[Any]


@dataclass(frozen=True)
class Figure:
    """One registered figure.

    - ``compute(organization=, **params)`` returns the figure's JSON object (the API's answer,
      ``grassroots report <name> --json``), starting with ``organization`` and the parameters;
    - ``records(organization=, path=, **params)`` returns the :class:`Records` behind the number
      at ``path`` in that object (``members.official``, ``by_year.2015``…) and raises
      :class:`NotFound` for a path that names no number;
    - ``title(path)`` is the Vietnamese name of the number at ``path`` (drill-down page);
    - ``text(result)`` renders the object as a readable table (command line; a generic list of
      the numbers without it);
    - ``drill_paths(result)`` lists the numbers of the object that count records, as
      ``(path, number)``: by default every whole number outside the parameters (:func:`walk`);
    - ``organization_of(values)``, for a figure about one record of an organisation named by a
      parameter (the ``indicators`` review of a resolution): that record's organisation, so the
      organisation need not be given (``--org`` and ``organization`` are then optional, and
      when given must be that one).
    """

    name: str
    label: str
    definition: str
    params: tuple[Param, ...]
    compute: Callable[..., Result]
    records: Callable[..., Records]
    title: Callable[[str], str] | None = None
    text: Callable[[Result], str] | None = None
    drill_paths: Callable[[Result], Iterable[tuple[str, int]]] | None = None
    module: str = ""
    organization_of: Callable[[Mapping[str, Any]], Model] | None = None

    def parse(
        self, raw: Mapping[str, Any], *, defaults: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The compute keywords from raw strings keyed by parameter name; ``defaults`` fill
        what ``raw`` lacks (the drill-down page's header date)."""
        values: dict[str, Any] = {}
        for param in self.params:
            given = raw.get(param.name)
            if given in (None, "") and defaults:
                given = defaults.get(param.name)
            values[param.keyword] = param.parse(given)
        self.check(values)
        return values

    @staticmethod
    def check(values: Mapping[str, Any]) -> None:
        """The parameters agree with each other: a period does not end before it starts."""
        if "start" in values and "end" in values and values["start"] > values["end"]:
            raise InvalidParameter("Ngày {} phải trước hoặc trùng ngày {}.", "from", "to")
        if "year_from" in values and "year_to" in values:
            span = values["year_to"] - values["year_from"]
            if not 0 <= span < MAX_YEARS:
                raise InvalidParameter(
                    f"Khoảng năm không hợp lệ: {{}} không sau {{}}, tối đa {MAX_YEARS} năm.",
                    "year_from",
                    "year_to",
                )

    @staticmethod
    def scope_day(values: Mapping[str, Any]) -> date | None:
        """The day on which a scoped user must have the organisation in their scope to read
        this figure of it (``core.scope``): its day, the end of its period, or the last day of
        its years."""
        for keyword in ("day", "end"):
            value = values.get(keyword)
            if isinstance(value, date):
                return value
        if isinstance(values.get("year_to"), int):
            return date(values["year_to"], 12, 31)
        return None

    def organization(self, code: str | None, values: Mapping[str, Any]) -> Model | None:
        """For a figure with ``organization_of``: the organisation its parameters name;
        :class:`InvalidParameter` when ``code`` names another one. None for other figures."""
        if self.organization_of is None:
            return None
        found = self.organization_of(values)
        if code and getattr(found, "code", None) != code:
            raise InvalidParameter(
                f"Tổ chức {{}} không khớp: số liệu này thuộc tổ chức {getattr(found, 'code', '')}.",
                "organization",
            )
        return found

    def compute_uncached(self, organization: Model, **values: Any) -> Result:
        return self.compute(organization=organization, **values)

    def report(self, organization: Model, **values: Any) -> Result:
        """The figure's object, from the data-version cache when computed before at this
        version (its key: the figure's name, the organisation and the parameters)."""
        parts = [values[param.keyword] for param in self.params]
        return cached(
            f"figure:{self.name}",
            organization.pk,
            *parts,
            compute=lambda: self.compute(organization=organization, **values),
        )

    def drill(self, organization: Model, path: str, **values: Any) -> Records:
        return self.records(organization=organization, path=path, **values)

    def counted(self, result: Result) -> list[tuple[str, int]]:
        """The numbers of ``result`` (this figure's object) behind which the drill-down lists
        records, with their paths."""
        if self.drill_paths is not None:
            return list(self.drill_paths(result))
        skip = {"organization", *(param.name for param in self.params)}
        return [(path, n) for path, n in walk(result) if path.split(".")[0] not in skip]

    def title_of(self, path: str) -> str:
        return self.title(path) if self.title else self.label

    def query(self, organization_code: str, values: Mapping[str, Any]) -> dict[str, str]:
        """The query string (as a dict) naming this figure's parameters."""
        query = {"organization": organization_code}
        for param in self.params:
            query[param.name] = param.dump(values[param.keyword])
        return query


@dataclass(frozen=True)
class Card:
    """A card of the dashboard: a template and the function giving its context from an
    organisation and a day. Cards read their numbers through the registry (:func:`get`)."""

    name: str
    template: str
    context: Callable[..., dict[str, Any]]
    order: int = 100


@dataclass
class _Registry:
    figures: dict[str, Figure] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    discovered: bool = False


_registry = _Registry()
_lock = threading.RLock()


def register(figure: Figure) -> Figure:
    """Declare a figure (at import of an app's ``figures.py``). Names are unique."""
    with _lock:
        existing = _registry.figures.get(figure.name)
        if existing is not None and existing.module != figure.module:
            raise ImproperlyConfigured(
                f"Figure {figure.name!r} is declared twice ({existing.module}, {figure.module})."
            )
        _registry.figures[figure.name] = figure
    return figure


def register_card(card: Card) -> Card:
    """Declare a card of the dashboard."""
    with _lock:
        _registry.cards[card.name] = card
    return card


def discover() -> None:
    """Import every installed app's ``figures`` module, once."""
    if _registry.discovered:
        return
    with _lock:
        if not _registry.discovered:
            autodiscover_modules("figures")
            _registry.discovered = True


def get(name: str) -> Figure:
    """The figure called ``name``; :class:`NotFound` when there is none."""
    discover()
    try:
        return _registry.figures[name]
    except KeyError:
        raise NotFound(f"Không có chỉ tiêu '{name}'.", code="unknown_figure") from None


def all_figures() -> list[Figure]:
    """Every registered figure, by name."""
    discover()
    return [_registry.figures[name] for name in sorted(_registry.figures)]


def cards() -> list[Card]:
    """The dashboard's cards, in their order."""
    discover()
    return sorted(_registry.cards.values(), key=lambda card: (card.order, card.name))


def split(name_and_path: str) -> tuple[Figure, str]:
    """``members.official`` → the ``members`` figure and the path ``official``."""
    name, _, path = name_and_path.partition(".")
    return get(name), path


def walk(result: Any, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Every whole number of a figure's object with its path (``places.village.total``);
    the parameters and lists are skipped."""
    if isinstance(result, dict):
        for key, value in result.items():
            yield from walk(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(result, int) and not isinstance(result, bool):
        yield prefix, result


def path_part(path: str, choices: Container[str]) -> str:
    """``path`` when it is one of ``choices``; else :class:`NotFound` (no such number)."""
    if path not in choices:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    return path


def text_table(rows: list[list[str]]) -> str:
    """A readable table for the command line: first column left-aligned, numbers right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def generic_text(figure: Figure, result: Result) -> str:
    """A figure's numbers one per line, for figures without a text of their own."""
    from grassroots.core.text import format_number

    head = f"{figure.label} — tổ chức đảng {result.get('organization', '')}"
    params = ", ".join(f"{p.name} = {result[p.name]}" for p in figure.params if p.name in result)
    rows = [["Chỉ tiêu", "Số"]]
    rows += [[path, format_number(n)] for path, n in figure.counted(result)]
    return "\n".join([head, params, "", text_table(rows)])
