"""Form building blocks shared by every app: date inputs, and running a service from a form so
that a refused rule re-renders the form with the Vietnamese message and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar, overload

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from grassroots.core.text import format_date, nfc

T = TypeVar("T")


class DateInput(forms.DateInput):
    """The browser's date picker (sends ISO dates); shown dd/mm/yyyy by a Vietnamese browser."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Ngày không hợp lệ (dd/mm/yyyy).", "required": "Cần nhập ngày."},
        )
        super().__init__(*args, **kwargs)


@overload
def run_service(
    request: HttpRequest, form: forms.Form, call: Callable[[], None]
) -> Literal[True] | None: ...
@overload
def run_service(request: HttpRequest, form: forms.Form, call: Callable[[], T]) -> T | None: ...
def run_service(request: HttpRequest, form: forms.Form, call: Callable[[], object]) -> object:
    """Call a service for a valid form. A refused rule (``ValidationError``/``RuleError``)
    becomes a form error and returns None; warnings returned as ``(result, warnings)`` are
    flashed (a service returning ``(…, warnings)``). The service's own transaction guarantees that a refusal changed nothing."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    if isinstance(result, tuple) and result and isinstance(result[-1], list):
        for warning in result[-1]:
            messages.warning(request, f"Cảnh báo: {warning}")
    return result if result is not None else True


# --- Objects chosen by code -------------------------------------------------------------------
# Places, organisations and members are typed by code and checked against the queryset the user
# may see, never offered in a <select> of every row: a national registry has too many.


class CodeInput(forms.TextInput):
    """A code typed by hand, e.g. ``03434``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class CodeListInput(forms.Textarea):
    """Several codes in one box, separated by commas, spaces or new lines. Also reads the
    repeated hidden inputs a confirmation step posts back."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 3, "spellcheck": "false", **(attrs or {})})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [code for text in data.getlist(name) for code in re.split(r"[\s,;]+", text) if code]

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        formatted: str | None = super().format_value(value)
        return formatted


class CodeChoiceField(forms.ModelChoiceField[Model]):
    """One object chosen by its code among a queryset (set per user by the form). With
    ``picker`` (the URL name of a kind's picker endpoint, see :mod:`grassroots.core.picker`)
    the input also finds the object by part of its name."""

    widget = CodeInput

    def __init__(
        self,
        *,
        label: str,
        not_found: str,
        required: bool = True,
        picker: str = "",
        visible_to: Callable[[Any], QuerySet[Any]] | None = None,
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        #: The scope function a :class:`ScopedForm` restricts the field to, per user.
        self.visible_to = visible_to
        #: With ``visible_to`` and no queryset: the user whose scope is built when a value is
        #: given (a filter left blank on a list page then costs nothing).
        self.user = user
        if picker:
            from grassroots.core.picker import PickerInput

            kwargs.setdefault("widget", PickerInput(picker))
        super().__init__(
            queryset=kwargs.pop("queryset", None),
            to_field_name="code",
            label=label,
            required=required,
            error_messages={
                "invalid_choice": not_found,
                "required": "Cần nhập mã.",
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> Model | None:
        value = value.strip() if isinstance(value, str) else value
        if value not in self.empty_values and self.queryset is None and self.user is not None:
            assert self.visible_to is not None, "a lazy field needs its scope function"
            self.queryset = self.visible_to(self.user)
        return super().to_python(value)


class CodeListField(forms.ModelMultipleChoiceField[Model]):
    """Several objects chosen by their codes among a queryset (set per user by the form)."""

    widget = CodeListInput

    def __init__(
        self,
        *,
        label: str,
        not_found: str,
        visible_to: Callable[[Any], QuerySet[Any]] | None = None,
        picker: str = "",
        **kwargs: Any,
    ) -> None:
        self.visible_to = visible_to
        if picker:
            from grassroots.core.picker import PickerListInput

            kwargs.setdefault("widget", PickerListInput(picker))
        super().__init__(
            queryset=kwargs.pop("queryset", None),
            to_field_name="code",
            label=label,
            error_messages={
                "invalid_choice": not_found,
                "invalid_pk_value": not_found,
                "required": "Cần nhập ít nhất một mã.",
            },
            **kwargs,
        )


def user_sees_everything(user: Any) -> bool:
    """A superuser without a scope: the only user who may put places or organisations at the
    top level (with no parent)."""
    from grassroots.core import scope

    return scope.sees_all(user)


class ScopedForm(forms.Form):
    """A form taking the user, whose code fields declared with ``visible_to`` (the app's scope
    function) accept only what the user may see."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            visible_to = getattr(field, "visible_to", None)
            if visible_to is not None and isinstance(field, forms.ModelChoiceField):
                field.queryset = visible_to(user)


class HierarchyNodeForm(ScopedForm):
    """Creating or changing a node of a versioned hierarchy (a place, an organisation): the
    same rules for both. ``parent`` is chosen among ``visible_to(user)`` (the hierarchy's scope
    function); when changing, the node's current parent is accepted too, even outside the scope
    (a commune's district: keeping it is fine, choosing another one outside is not). Only a user
    who sees everything may leave the parent blank (a top-level node); anyone else must give
    one, unless the node changed already has none."""

    visible_to: Callable[[Any], QuerySet[Any]]
    top_level_help = ""

    def __init__(self, *args: Any, user: Any, current: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        parents = type(self).visible_to(user)
        if current is not None and current.parent_id is not None:
            parents = parents | parents.model.objects.filter(pk=current.parent_id)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents
        if user_sees_everything(user):
            parent.required = False
            parent.help_text = self.top_level_help
        else:
            parent.required = current is None or current.parent_id is not None


def note_field() -> forms.CharField:
    return forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def report_change(request: HttpRequest, version: Any, data: dict[str, Any]) -> None:
    """Flash what a change form did. A change service returns the version valid on the day,
    unchanged, when nothing differs."""
    if version.valid_from == data["day"]:
        messages.success(
            request, f"Đã ghi nhận thay đổi của {data['name']} từ ngày {format_date(data['day'])}."
        )
    else:
        messages.info(request, "Không có gì thay đổi.")


def parse_lines(text: str, *, fields: int, optional: int = 0, example: str) -> list[list[str]]:
    """Lines of ``;``-separated fields (``fields`` required, ``optional`` more) → lists of
    ``fields + optional`` strings (blank when left out). Blank lines are skipped; the first field,
    a code, must not repeat."""
    rows, codes = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        values = [nfc(v) for v in line.split(";")]
        if not fields <= len(values) <= fields + optional or not all(values[:fields]):
            raise forms.ValidationError(
                f"Dòng {number} không đúng dạng “{example}”: {line.strip()}"
            )
        if values[0] in codes:
            raise forms.ValidationError(f"Mã {values[0]} bị nhập hai lần.")
        codes.add(values[0])
        rows.append(values + [""] * (fields + optional - len(values)))
    return rows
