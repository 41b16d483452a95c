"""The demo's reports sent upward (called by :func:`grassroots.demo.build.build_demo`).

Đảng bộ huyện Nậm Nhùn (``DB-112``) sent the figures the seed's paragraphs quote, so that the
news written from them can cite a frozen report (``reports.Submission``):

1. ``coverage`` of DB-112 on 2013-06-30 (period ``2013-H1``) — the district as founded:
   ``report.places.village.without_cell`` = 20 of ``report.places.village.total`` = 70;
2. ``coverage`` of DB-112 on 2023-11-23 — ``report.places.village.total`` = 69 and
   ``report.places.village.without_cell`` = 0 ("69/69 bản đã thành lập chi bộ");
3. ``admissions`` of DB-112 from 2013-06-01 to 2023-11-23 — ``report.admitted`` = 1023
   ("đã kết nạp được 1.023 quần chúng vào Đảng").

Each goes through :func:`grassroots.reports.services.submit`, the path of the "Gửi báo cáo"
button, so the numbers are the live figures frozen at build time.
"""

from __future__ import annotations

from typing import Any

from grassroots.reports.models import Submission
from grassroots.reports.services import submit

DISTRICT = "DB-112"

#: (figure, parameters, period) of the demo's sent reports, in sending order.
SENT: tuple[tuple[str, dict[str, str], str], ...] = (
    ("coverage", {"organization": DISTRICT, "as_of": "2013-06-30"}, "2013-H1"),
    ("coverage", {"organization": DISTRICT, "as_of": "2023-11-23"}, ""),
    ("admissions", {"organization": DISTRICT, "from": "2013-06-01", "to": "2023-11-23"}, ""),
)


def build_reports(*, acting_user: Any) -> list[Submission]:
    """Send the demo's reports (see the module text); returns them in order."""
    return [submit(figure, params, acting_user, period=period) for figure, params, period in SENT]
