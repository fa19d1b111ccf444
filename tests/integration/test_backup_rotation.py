"""Keeping the last N backups, and the reminder when the last one is old."""

from datetime import UTC, datetime, timedelta

import pytest

from app.errors import ValidationError
from app.services import backup


def test_only_the_newest_backups_of_this_vault_are_kept(session, tmp_path):
    target = tmp_path / "usb"
    target.mkdir()
    stranger = target / "someone-else.ivbak"
    stranger.write_bytes(b"not ours")
    made = [backup.create_backup(session, target, keep=2).path for _ in range(4)]
    kept = sorted(p.name for p in target.glob("*.ivbak"))
    assert kept == sorted([made[2].name, made[3].name, stranger.name])
    with pytest.raises(ValidationError, match="keep"):
        backup.create_backup(session, target, keep=0)


def test_the_reminder_follows_the_last_verified_backup(session, tmp_path):
    status = backup.backup_status(session)
    assert status.last is None and status.due and "No backup" in status.message
    backup.create_backup(session, tmp_path / "b")
    fresh = backup.backup_status(session)
    assert fresh.last and not fresh.due and fresh.message.endswith("made today.")
    made = datetime.strptime(fresh.last, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    late = backup.backup_status(session, now=made + timedelta(days=9))
    assert late.due and late.message == "The last backup was made 9 days ago: make a new one."
