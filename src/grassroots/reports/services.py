"""Sending a report upward: freeze a figure's JSON object as a :class:`Submission`, read it back
as sent, and compare it with the figure recomputed today.

The canonical content of a submission is ``{"figure": NAME, "params": {...}, "report": {...}}``
serialised with sorted keys, no whitespace and UTF-8 (``ensure_ascii=False``); its SHA-256 is
the hash of those bytes. ``params`` are the figure's query (``organization`` and each parameter
as a string, e.g. ``{"organization": "DB-112", "from": "2024-01-01", "to": "2024-12-31"}``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from grassroots.core import figures as registry
from grassroots.core import scope
from grassroots.core.audit import acting_as
from grassroots.core.errors import NotFound, RuleError
from grassroots.organizations.selectors import organization_by_code
from grassroots.reports.models import Submission


def canonical(obj: Any) -> str:
    """The canonical JSON text of ``obj``: sorted keys, no whitespace, UTF-8 characters."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A figure with its parsed parameters and organisation, ready to compute."""

    figure: registry.Figure
    organization: Any
    values: dict[str, Any]
    params: dict[str, str]
    day: date


def prepare(figure_name: str, params: Mapping[str, Any], acting_user: Any) -> Prepared:
    """The figure ``figure_name`` with ``params`` (``organization`` plus the figure's
    parameters, as strings or dates): :class:`~grassroots.core.figures.InvalidParameter` on a
    bad parameter, :class:`NotFound` on an unknown figure or an organisation the user may not
    read on the report's day."""
    figure = registry.get(figure_name)
    raw = {
        key: (value.isoformat() if isinstance(value, date) else value)
        for key, value in params.items()
    }
    values = figure.parse(raw)
    day = figure.scope_day(values)
    if day is None:  # every registered figure has a day, a period or years
        raise RuleError("Chỉ tiêu này không có ngày số liệu.", code="no_day")
    code = str(raw.get("organization") or "")
    organization = organization_by_code(code, user=acting_user, on=day)
    return Prepared(figure, organization, values, figure.query(organization.code, values), day)


def submit(
    figure_name: str, params: Mapping[str, Any], acting_user: Any, *, period: str = ""
) -> Submission:
    """Freeze the figure ``figure_name`` of ``params`` (see :func:`prepare`) as sent now by
    ``acting_user``; the figure is computed afresh (not from the cache). The user must be an
    editor whose scope holds the organisation today (``scope.require``)."""
    prepared = prepare(figure_name, params, acting_user)
    scope.require(acting_user, prepared.organization, scope.CHANGE)
    result = prepared.figure.compute_uncached(prepared.organization, **prepared.values)
    content = canonical(
        {"figure": prepared.figure.name, "params": prepared.params, "report": result}
    )
    name = ""
    if acting_user is not None:
        name = acting_user.display_name
    with transaction.atomic(), acting_as(acting_user):
        submission = Submission.objects.create(
            figure=prepared.figure.name,
            organization=prepared.organization,
            organization_code=prepared.organization.code,
            params=prepared.params,
            report_day=prepared.day,
            period=period,
            content=content,
            sha256=digest(content),
            submitted_by=acting_user,
            submitted_by_name=name,
        )
        scope.require(acting_user, prepared.organization, scope.CHANGE)
    return submission


def submission_by_id(pk: Any, *, user: Any = None) -> Submission:
    """The submission ``pk`` the user may read; :class:`NotFound` otherwise."""
    found = None
    if str(pk).isdigit():
        found = (
            Submission.objects.visible_to(user)
            .select_related("organization", "submitted_by")
            .filter(pk=int(pk))
            .first()
        )
    if found is None:
        raise NotFound(f"Không tìm thấy báo cáo đã gửi số {pk}.", code="unknown_submission")
    return found


def as_sent(submission: Submission) -> dict[str, Any]:
    """``{"submission": ID, "sha256": …, "report": {…}}`` — the report exactly as sent."""
    return {"submission": submission.pk, "sha256": submission.sha256, "report": submission.report}


def leaves(obj: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar of a figure's object with its dotted path."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from leaves(value, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, obj


def differences(sent: Mapping[str, Any], now: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The paths whose value differs between two objects of one figure (a path absent on one
    side has ``None`` there), in the order of the sent object then the new paths."""
    before = dict(leaves(sent))
    after = dict(leaves(now))
    paths = list(before) + [path for path in after if path not in before]
    return [
        {"path": path, "sent": before.get(path), "now": after.get(path)}
        for path in paths
        if before.get(path) != after.get(path)
    ]


def recompute(submission: Submission) -> dict[str, Any]:
    """The submission's figure computed today with the parameters it was sent with."""
    prepared = prepare(submission.figure, submission.params, None)
    result: dict[str, Any] = prepared.figure.compute_uncached(
        prepared.organization, **prepared.values
    )
    return result


def compare(submission: Submission, *, user: Any = None) -> dict[str, Any]:
    """``{"submission", "sha256", "differences", "corrections"}`` (INTERCHANGE.md, "Submitted
    reports"): each number that differs now, and the records entered after the sending that
    touch the report's organisation up to its day (:func:`corrections`)."""
    from grassroots.reports.corrections import corrections

    now = recompute(submission)
    return {
        "submission": submission.pk,
        "sha256": submission.sha256,
        "differences": differences(submission.report, now),
        "corrections": corrections(submission, user=user),
    }
