"""Reading and verifying the audit log."""

from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit
from app.store.audit import ChainReport


def verify(session: Session) -> ChainReport:
    """Walk the whole hash chain; the report names the first broken link, if any."""
    require(session.user.role, Action.VERIFY_AUDIT_LOG)
    return audit.verify(session.conn)
