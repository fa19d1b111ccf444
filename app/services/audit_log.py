"""Reading and verifying the audit log."""

from app.errors import ValidationError
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit
from app.store.audit import AuditEntry, ChainReport

MAX_PAGE = 1000


def verify(session: Session) -> ChainReport:
    """Walk the whole hash chain; the report names the first broken link, if any."""
    require(session.user.role, Action.VERIFY_AUDIT_LOG)
    return audit.verify(session.conn)


def list_entries(
    session: Session,
    *,
    before_seq: int | None = None,
    limit: int = 100,
    action_prefix: str | None = None,
    actor: str | None = None,
) -> list[AuditEntry]:
    """One page of entries, newest first; the next page starts before the last ``seq``."""
    require(session.user.role, Action.VERIFY_AUDIT_LOG)
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit: between 1 and {MAX_PAGE}")
    return audit.page(
        session.conn, before_seq=before_seq, limit=limit, action_prefix=action_prefix, actor=actor
    )


def actors(session: Session) -> list[str]:
    """The users who appear in the log (the list's user filter)."""
    require(session.user.role, Action.VERIFY_AUDIT_LOG)
    return audit.actors(session.conn)
