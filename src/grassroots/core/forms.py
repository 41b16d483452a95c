"""Form building blocks shared by every app: date inputs, and running a service from a form so
that a refused rule re-renders the form with the Vietnamese message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker (sends ISO dates); shown dd/mm/yyyy by a Vietnamese browser."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Ngày không hợp lệ (dd/mm/yyyy).", "required": "Cần nhập ngày."},
        )
        super().__init__(*args, **kwargs)


def run_service(request, form: forms.Form, call: Callable[[], object]):
    """Call a service for a valid form. A refused rule (``ValidationError``/``RuleError``)
    becomes a form error and returns None; warnings returned as ``(result, warnings)`` are
    flashed. The service's own transaction guarantees that a refusal changed nothing."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
        for warning in result[1]:
            messages.warning(request, f"Cảnh báo: {warning}")
    return result if result is not None else True
