"""What the settings screen reads: the logo, the number series, the keyring option.

The changes themselves go through :mod:`app.services.invoicing`,
:mod:`app.services.preferences` and :mod:`app.services.access`.
"""

from dataclasses import dataclass
from datetime import date

from app.documents.source import Logo
from app.domain.model import DocumentType
from app.services import exports
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import numbering, reports


@dataclass(frozen=True)
class SeriesView:
    """A number series and the sequence numbers it would give next."""

    doc_type: str
    pattern: str
    yearly_reset: bool
    next_this_year: int  # with a yearly reset
    next_without_reset: int  # without one

    def next_seq(self, yearly_reset: bool) -> int:
        return self.next_this_year if yearly_reset else self.next_without_reset


def current_logo(session: Session) -> Logo | None:
    """The seller's logo kept in the vault (checked image bytes), or None."""
    require(session.user.role, Action.VIEW)
    return exports.current_logo(session.conn)


def numbering_series(session: Session, today: date | None = None) -> list[SeriesView]:
    """Every document type's series, in the order invoice, credit note, quote."""
    require(session.user.role, Action.VIEW)
    year = (today or date.today()).year
    conn = session.conn
    found = []
    for doc_type in (DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.QUOTE):
        series = numbering.get_series(conn, doc_type.value)
        found.append(
            SeriesView(
                series.doc_type,
                series.pattern,
                series.yearly_reset,
                reports.last_number_drawn(conn, series.doc_type, year) + 1,
                reports.last_number_drawn(conn, series.doc_type, 0) + 1,
            )
        )
    return found


def remembered_until(session: Session) -> str | None:
    """Until when this laptop's keyring opens the vault without the passphrase (UTC), or None."""
    return session.vault.vault.remembered_until(session.user.name)
