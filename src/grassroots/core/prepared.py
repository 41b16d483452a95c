"""Querysets built and compiled once, run many times.

Building a queryset with subqueries and compiling it to SQL costs Django a few milliseconds of
Python: more than the query itself takes for a commune or a cell. A figure asked for many
organisations and dates (reports, the API, the benchmark's 200 pairs) pays that every time,
although only the organisation and the date change, and they reach the SQL as parameters.

:class:`Prepared` builds the queryset once per database vendor with stand-in arguments, keeps
its SQL and notes where each stand-in lands among the parameters; each call then runs that SQL
with the real arguments. The queryset stays the one definition of the figure (the drill-down
lists the same records from the same selectors). A builder whose SQL would not be the same for
other arguments — a date computed from the argument, a list whose length varies — is refused
the first time it is prepared: it is compiled with two different sets of stand-ins, and they
must give the same SQL with the stand-ins, and only them, in the same places.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection, connections
from django.db.models import IntegerField, QuerySet, Value
from django.dispatch import receiver

from grassroots.core import replica

#: Two sets of stand-ins per argument type, values no real argument takes; the n-th argument
#: of a type gets them moved by n (days or units), so that no two arguments share one.
_STAND_INS: dict[type, tuple[Any, Any]] = {
    date: (date(1111, 1, 11), date(1222, 2, 22)),
    int: (-911_111_111, -922_222_222),
}


def _stand_ins(arguments: dict[str, type], which: int) -> dict[str, Any]:
    seen: dict[type, int] = {}
    result = {}
    for name, kind in arguments.items():
        n = seen[kind] = seen.get(kind, -1) + 1
        base = _STAND_INS[kind][which]
        result[name] = base + timedelta(days=n) if kind is date else base - n
    return result


def aggregating(queryset: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """``queryset.aggregate(**aggregates)`` as a queryset of exactly one row (grouped by a
    constant, which SQL leaves out), so that it can be prepared."""
    result: QuerySet[Any] = (
        queryset.order_by()
        .annotate(_all=Value(1, output_field=IntegerField()))
        .values("_all")
        .annotate(**aggregates)
        .values(*aggregates)
    )
    return result


#: Every prepared figure: a change of the policy (tests override it) compiles them again.
_EVERY: weakref.WeakSet[Prepared] = weakref.WeakSet()


@receiver(setting_changed)
def _policy_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting == "GRASSROOTS_POLICY":
        for prepared in list(_EVERY):
            prepared.forget()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, bool], ...]  # (position, argument, as text)


class Prepared:
    """``Prepared(build, organization=int, day=date)``: ``build(organization=…, day=…)``
    returns a ``values()`` queryset; the prepared object is called with the same keyword
    arguments and returns the rows as dicts. Model instances may be passed for ``int``
    arguments (their primary key is used).

    ``build`` may return several querysets with distinct column names, the first ones of
    exactly one row (:func:`aggregating`): they run as one statement, one round trip, whose
    rows are the last queryset's rows, each with the columns of the others (one row with
    ``None`` in the last queryset's columns when it has no rows)."""

    def __init__(
        self, build: Callable[..., QuerySet[Any] | Sequence[QuerySet[Any]]], **arguments: type
    ):
        for name, kind in arguments.items():
            if kind not in _STAND_INS:
                raise ImproperlyConfigured(f"no stand-in for {name}: {kind.__name__}")
        self.build, self.arguments = build, arguments
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()
        _EVERY.add(self)

    def forget(self) -> None:
        """Compile again on the next call (a policy value the builder reads has changed)."""
        with self._lock:
            self._compiled.clear()

    def rows(self, **arguments: Any) -> list[dict[str, Any]]:
        compiled = self._compiled.get(connection.vendor) or self._prepare()
        params = list(compiled.params)
        for position, name, as_text in compiled.slots:
            value = getattr(arguments[name], "pk", arguments[name])
            params[position] = value.isoformat() if as_text else value
        with connections[replica.read_alias()].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, **arguments: Any) -> dict[str, Any]:
        """The single row of an :func:`aggregating` queryset."""
        (row,) = self.rows(**arguments)
        return row

    def _prepare(self) -> _Compiled:
        with self._lock:
            if connection.vendor not in self._compiled:
                first, second = (self._compile(i) for i in (0, 1))
                self._compiled[connection.vendor] = self._check(first, second)
        return self._compiled[connection.vendor]

    def _compile(self, which: int) -> tuple[str, tuple[Any, ...]]:
        built = self.build(**_stand_ins(self.arguments, which))
        if isinstance(built, QuerySet):
            return built.query.sql_with_params()
        # SQL compiled by Django from querysets; every value stays a parameter.
        parts = [queryset.query.sql_with_params() for queryset in built]
        joins = [f" LEFT JOIN ({sql}) p{i} ON 1 = 1" for i, (sql, _) in enumerate(parts[1:], 1)]
        sql = "SELECT * FROM (" + parts[0][0] + ") p0" + "".join(joins)  # noqa: S608
        return sql, tuple(param for _, params in parts for param in params)

    def _check(
        self, first: tuple[str, tuple[Any, ...]], second: tuple[str, tuple[Any, ...]]
    ) -> _Compiled:
        (sql, params), (sql_2, params_2) = first, second
        if sql != sql_2 or len(params) != len(params_2):
            raise ImproperlyConfigured(f"{self.build}: the SQL depends on the arguments")
        stand_ins = [_stand_ins(self.arguments, which) for which in (0, 1)]
        slots = []
        for position, (a, b) in enumerate(zip(params, params_2, strict=True)):
            if a == b:
                continue
            slot = next(
                (
                    (position, name, as_text)
                    for name in self.arguments
                    for as_text in (False, True)
                    if (a, b) == tuple(_form(s[name], as_text) for s in stand_ins)
                ),
                None,
            )
            if slot is None:
                raise ImproperlyConfigured(
                    f"{self.build}: parameter {position} is derived from an argument ({a!r})"
                )
            slots.append(slot)
        return _Compiled(sql, tuple(params), tuple(slots))


def _form(value: Any, as_text: bool) -> Any:
    return value.isoformat() if as_text and isinstance(value, date) else value
