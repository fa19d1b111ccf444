"""Dates of recurring invoices: monthly, quarterly or yearly on an anchor day.

The anchor day is kept apart from the next date so that an invoice due on the
31st falls on the last day of shorter months and returns to the 31st after them.
"""

import calendar
from datetime import date
from enum import StrEnum


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


def on_anchor(year: int, month: int, anchor_day: int) -> date:
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def following(current: date, frequency: Frequency, anchor_day: int) -> date:
    """The next date after ``current`` in the schedule."""
    months = current.year * 12 + current.month - 1 + MONTHS[frequency]
    return on_anchor(months // 12, months % 12 + 1, anchor_day)
