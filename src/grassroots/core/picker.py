"""The picker: a code field that also finds its object by part of a name, diacritics optional.

The field stays a code input (a typed code is still accepted); the browser asks the app's
picker endpoint (htmx, as the user types) for the objects of the user's scope whose folded name
(``core.text.fold``, stored as ``name_folded``) contains the folded words typed, or whose code
begins with them, and a click on one puts its code in the field (``grassroots.js``).

An app declares one endpoint per kind with :func:`picker_view` and a search function
``search(user, day, words, text) -> rows`` restricted by its scope function."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from grassroots.core.forms import CodeListInput
from grassroots.core.text import fold, nfc

#: At most this many choices are offered; typing more narrows them.
PICKER_LIMIT = 15
#: Fewer characters than this find nothing (every row would match).
PICKER_MIN_CHARS = 2


@dataclass(frozen=True)
class Choice:
    """One offered object: its code (what the field receives), its name and a hint."""

    code: str
    label: str
    hint: str = ""


def name_or_code(words: Sequence[str], text: str, *, name: str, code: str) -> Q:
    """Rows whose folded ``name`` contains every folded word, or whose ``code`` begins with
    the text typed."""
    by_name = Q()
    for word in words:
        by_name &= Q(**{f"{name}__contains": word})
    return by_name | Q(**{f"{code}__istartswith": text})


Search = Callable[[Any, date, list[str], str], Sequence[Choice]]


def picker_view(search: Search) -> Callable[[HttpRequest], HttpResponse]:
    """The endpoint of one kind: ``?q=`` (or the field's own name, given as ``?field=``, which
    htmx sends) → an HTML list of choices, or JSON with ``?format=json``."""

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        field = request.GET.get("field") or "q"
        typed = request.GET.get(field) or request.GET.get("q") or ""
        # In a box of several codes, the words after the last separator are the ones searched.
        text = nfc(re.split(r"[,;\n]", typed)[-1])
        words = fold(text).split()
        choices: Sequence[Choice] = []
        if len(text) >= PICKER_MIN_CHARS:
            day: date = request.as_of  # type: ignore[attr-defined]
            choices = list(search(request.user, day, words, text)[:PICKER_LIMIT])
        if request.GET.get("format") == "json":
            return JsonResponse(
                {"results": [c.__dict__ for c in choices]}, headers={"Cache-Control": "no-store"}
            )
        response = render(
            request,
            "core/widgets/picker_results.html",
            {"choices": choices, "text": text, "short": len(text) < PICKER_MIN_CHARS},
        )
        response["Cache-Control"] = "no-store"
        return response

    return view


def picker_attrs(url_name: str, name: str, results_id: str) -> dict[str, str]:
    """The htmx attributes of a picker field: as the user types, ask the kind's endpoint and
    put its list in ``results_id``."""
    return {
        "role": "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": results_id,
        "hx-get": f"{reverse(url_name)}?field={name}",
        "hx-trigger": "input changed delay:250ms",
        "hx-target": f"#{results_id}",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "data-picker": "",
    }


class PickerInput(forms.TextInput):
    """A code input that offers matching objects as the user types (``url_name``: the
    kind's picker endpoint)."""

    template_name = "core/widgets/picker.html"
    inner_template = "django/forms/widgets/input.html"

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None):
        self.url_name = url_name
        super().__init__(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "Gõ tên hoặc mã",
                **(attrs or {}),
            }
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["results_id"] = f"{widget['attrs'].get('id') or name}-results"
        widget["attrs"].update(picker_attrs(self.url_name, name, widget["results_id"]))
        widget["inner_template"] = self.inner_template
        return context


class PickerListInput(CodeListInput):
    """Several codes in one box, each found by name like :class:`PickerInput`: the words after
    the last comma are searched, a click replaces them with the chosen code."""

    template_name = "core/widgets/picker.html"
    inner_template = "django/forms/widgets/textarea.html"

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None):
        self.url_name = url_name
        super().__init__(
            attrs={"placeholder": "Gõ tên hoặc mã, cách nhau bởi dấu phẩy", **(attrs or {})}
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["results_id"] = f"{widget['attrs'].get('id') or name}-results"
        widget["attrs"].update(picker_attrs(self.url_name, name, widget["results_id"]))
        widget["inner_template"] = self.inner_template
        return context
