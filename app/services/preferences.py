"""The user's choices that are not invoices: auto-lock, languages, backup folder and reminder.

Kept in the vault's settings table (encrypted, backed up with everything else),
each with a default, a check and an audit record when changed.
"""

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from app.documents.source import LANGUAGES
from app.domain.model import VatCategory
from app.errors import ValidationError
from app.services.backup import REMIND_AFTER_DAYS
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, settings
from app.store.connection import transaction

KEY_PREFIX = "preference."


@dataclass(frozen=True)
class Preferences:
    auto_lock_minutes: int = 5  # 0: never
    invoice_language: str = "en"  # for new clients
    backup_folder: str = ""  # where "Make a backup" starts
    backup_reminder_days: int = REMIND_AFTER_DAYS
    default_vat_category: str = VatCategory.STANDARD.value  # for new lines
    default_vat_rate: str = "19"  # percent, for new lines


def _check(prefs: Preferences) -> None:
    if not 0 <= prefs.auto_lock_minutes <= 240:
        raise ValidationError("auto_lock_minutes: from 0 (never) to 240")
    if prefs.invoice_language not in LANGUAGES:
        raise ValidationError(f"invoice_language: one of {', '.join(LANGUAGES)}")
    if not 1 <= prefs.backup_reminder_days <= 365:
        raise ValidationError("backup_reminder_days: from 1 to 365")
    if len(prefs.backup_folder) > 4096:
        raise ValidationError("backup_folder: too long")
    if prefs.default_vat_category not in tuple(VatCategory):
        raise ValidationError(f"default_vat_category: one of {', '.join(VatCategory)}")
    try:
        rate = Decimal(prefs.default_vat_rate)
    except InvalidOperation:
        rate = Decimal(-1)
    if not rate.is_finite() or not 0 <= rate <= 100 or rate.as_tuple().exponent < -2:
        raise ValidationError("default_vat_rate: a percentage from 0 to 100, like 19 or 7.5")


def get(session: Session) -> Preferences:
    require(session.user.role, Action.VIEW)
    found: dict[str, Any] = {}
    for item in fields(Preferences):
        stored = settings.get(session.conn, KEY_PREFIX + item.name)
        if stored is not None:
            found[item.name] = int(stored) if item.type is int else stored
    return replace(Preferences(), **found)


def update(session: Session, **changes: Any) -> Preferences:
    """Change some preferences (by field name); returns them all."""
    require(session.user.role, Action.MANAGE_SETTINGS)
    names = {item.name for item in fields(Preferences)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise ValidationError(f"{unknown[0]}: not a preference")
    updated = replace(get(session), **changes)
    _check(updated)
    with transaction(session.conn) as conn:
        for name, value in changes.items():
            settings.put(conn, KEY_PREFIX + name, str(value))
        audit.append(conn, session.user.name, "preferences.changed", dict(sorted(changes.items())))
    return updated
