"""The day on which full years are reached, as the structure tallies compute it in SQL, equals
the definition the figures use (``policy.add_months``), on both databases."""

from datetime import date, timedelta

import pytest
from django.db import connection

from grassroots import policy
from grassroots.members import tally

pytestmark = pytest.mark.django_db


def _first_day_reaching(start: date, years: int) -> date:
    day = policy.add_months(start, 12 * years) - timedelta(days=3)
    while policy.add_months(day, -12 * years) < start:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(
    "start",
    [date(2000, 2, 29), date(2000, 3, 1), date(2000, 2, 28), date(1999, 3, 1),
     date(1964, 2, 29), date(1990, 12, 31), date(1990, 1, 1), date(1996, 2, 29)],
)  # fmt: skip
@pytest.mark.parametrize("years", [1, 4, 10, 30, 46, 61])
def test_years_after_is_the_first_day_the_years_are_full(start, years):
    with connection.cursor() as cursor:
        expression = tally.years_after("%s", years)
        cursor.execute(f"SELECT {expression}", [start] * expression.count("%s"))
        (found,) = cursor.fetchone()
    found = found if isinstance(found, date) else date.fromisoformat(found)
    assert found == _first_day_reaching(start, years)
