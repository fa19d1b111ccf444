"""Preferences: defaults, checked changes, audited, kept in the vault."""

import pytest

from app.errors import ValidationError
from app.services import preferences
from app.store import audit


def test_defaults_then_changes_are_kept_and_audited(session):
    assert preferences.get(session) == preferences.Preferences()
    updated = preferences.update(session, auto_lock_minutes=15, invoice_language="de")
    assert updated.auto_lock_minutes == 15 and updated.invoice_language == "de"
    assert preferences.get(session) == updated
    (entry,) = audit.recent(session.conn, 1)
    assert entry.action == "preferences.changed"
    assert entry.details == {"auto_lock_minutes": 15, "invoice_language": "de"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"auto_lock_minutes": -1}, "auto_lock_minutes"),
        ({"invoice_language": "xx"}, "invoice_language"),
        ({"backup_reminder_days": 0}, "backup_reminder_days"),
        ({"colour": "red"}, "colour: not a preference"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(session, change, message):
    with pytest.raises(ValidationError, match=message):
        preferences.update(session, **change)
    assert preferences.get(session) == preferences.Preferences()
