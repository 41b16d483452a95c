"""The one error and warning shape of the services.

Services raise :class:`RuleError` (a Django ``ValidationError``, so forms show it next to the
field and the API returns it as a 400) with a Vietnamese message for users; nothing is written.
Rules that only warn return :class:`RuleWarning` values; the change is saved and the warning is
shown and listed on the checks page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError


class RuleError(ValidationError):
    """A business rule refused the change. ``code`` names the rule for tests and the API."""


@dataclass(frozen=True)
class RuleWarning:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


class NotFound(Exception):
    """What was asked for does not exist *or* lies outside the acting user's scope — the two are
    never told apart. Selectors and services raise it; pages and the API answer 404, the command
    line prints the message."""

    def __init__(self, message: str = "Không tìm thấy.", *, code: str = "not_found"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
