"""Who may do what (DESIGN.md section 3), enforced here rather than by greyed-out buttons."""

from enum import StrEnum

from app.errors import PermissionDenied


class Role(StrEnum):
    OWNER = "owner"
    BOOKKEEPER = "bookkeeper"
    ASSISTANT = "assistant"
    AUDITOR = "auditor"


class Action(StrEnum):
    """Each value reads as the end of "A {role} may not ..."."""

    VIEW = "see documents, clients and payments"
    EXPORT = "export documents"
    EDIT_DRAFTS = "create or change drafts, clients and items"
    ISSUE = "issue documents or credit notes"
    RECORD_PAYMENT = "record payments"
    SEND_REMINDER = "send payment reminders"
    MANAGE_SETTINGS = "change the company profile or the settings"
    MANAGE_RECURRING = "change recurring invoices"
    CHANGE_OWN_PASSPHRASE = "change your own passphrase"  # noqa: S105 - a label
    REMEMBER_ON_LAPTOP = "remember your key on this laptop"
    ROTATE_DATABASE_KEY = "rotate the database key"
    VERIFY_AUDIT_LOG = "verify the audit log"
    FILL_DEMO = "fill the vault with demo data"
    BACKUP = "make or check backups"


OWNER, BOOKKEEPER, ASSISTANT, AUDITOR = Role.OWNER, Role.BOOKKEEPER, Role.ASSISTANT, Role.AUDITOR
EVERYONE = frozenset(Role)
# DESIGN.md section 3: Owner all; Bookkeeper reads all, records payments, no settings,
# users or deletes; Assistant creates and edits drafts, no issuing or voiding, no
# backups; Auditor reads and exports only.
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW: EVERYONE,
    Action.EXPORT: EVERYONE,
    Action.EDIT_DRAFTS: frozenset({OWNER, ASSISTANT}),
    Action.ISSUE: frozenset({OWNER}),
    Action.RECORD_PAYMENT: frozenset({OWNER, BOOKKEEPER}),
    Action.SEND_REMINDER: frozenset({OWNER, BOOKKEEPER}),
    Action.MANAGE_SETTINGS: frozenset({OWNER}),
    Action.MANAGE_RECURRING: frozenset({OWNER}),
    Action.CHANGE_OWN_PASSPHRASE: EVERYONE,
    Action.REMEMBER_ON_LAPTOP: EVERYONE,
    Action.ROTATE_DATABASE_KEY: frozenset({OWNER}),
    Action.VERIFY_AUDIT_LOG: frozenset({OWNER, BOOKKEEPER, AUDITOR}),
    Action.FILL_DEMO: frozenset({OWNER}),
    Action.BACKUP: frozenset({OWNER, BOOKKEEPER, AUDITOR}),
}


def require(role: str, action: Action) -> None:
    if Role(role) not in ALLOWED[action]:
        raise PermissionDenied(f"A {role} may not {action.value}; ask the owner of this vault.")
