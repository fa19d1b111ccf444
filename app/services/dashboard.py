"""The figures of the dashboard: what clients owe per currency, recent documents, backups."""

from dataclasses import dataclass
from datetime import date

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency

from app import money
from app.services import backup, preferences
from app.services.backup import BackupStatus
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import documents, reports
from app.store.documents import ListQuery, Summary

RECENT = 8
FALLBACK_LOCALE = "en"


@dataclass(frozen=True)
class CurrencySummary:
    """Unpaid and overdue invoices in one currency, as amounts and as text for ``locale``."""

    currency: str
    unpaid_count: int
    unpaid: str
    overdue_count: int
    overdue: str


@dataclass(frozen=True)
class DashboardSummary:
    totals: list[CurrencySummary]  # one per currency with something unpaid, by currency code
    recent: list[Summary]  # the latest documents, newest first
    backup: BackupStatus


def summary(
    session: Session, locale: str = FALLBACK_LOCALE, today: date | None = None
) -> DashboardSummary:
    """Everything the dashboard shows, in one read; amounts formatted for ``locale`` (``de_DE``)."""
    require(session.user.role, Action.VIEW)
    day = (today or date.today()).isoformat()
    language = _locale(locale)
    totals = [
        CurrencySummary(
            row.currency,
            row.unpaid_count,
            _money(row.unpaid_minor, row.currency, language),
            row.overdue_count,
            _money(row.overdue_minor, row.currency, language),
        )
        for row in reports.outstanding_by_currency(session.conn, day)
    ]
    recent, _next = documents.page(session.conn, ListQuery(doc_type=None, limit=RECENT, today=day))
    remind = preferences.get(session).backup_reminder_days
    return DashboardSummary(totals, recent, backup.backup_status(session, remind_after_days=remind))


def format_amount(minor: int, currency: str, locale: str = FALLBACK_LOCALE) -> str:
    """An amount in minor units as the user's locale writes it: ``1.234,50 €``."""
    return _money(minor, currency, _locale(locale))


def _money(minor: int, currency: str, locale: Locale) -> str:
    return format_currency(money.from_minor(minor, currency), currency, locale=locale)


def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name or FALLBACK_LOCALE)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LOCALE)
