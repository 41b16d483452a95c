"""Logging filters used by ``settings.LOGGING``."""

import logging


class RoutineClientErrors(logging.Filter):
    """A 4xx answer (a refused permission, a page not found) is routine: ``django.request``
    logs it as one warning line, without the traceback Django attaches to a ``PermissionDenied``.
    Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
