"""Who may do what (DESIGN.md section 3), enforced here rather than by greyed-out buttons."""

from enum import StrEnum

from app.errors import PermissionDenied


class Role(StrEnum):
    OWNER = "owner"
    BOOKKEEPER = "bookkeeper"
    ASSISTANT = "assistant"
    AUDITOR = "auditor"


class Action(StrEnum):
    CHANGE_OWN_PASSPHRASE = "change your own passphrase"  # noqa: S105 - a label
    REMEMBER_ON_LAPTOP = "remember your key on this laptop"
    ROTATE_DATABASE_KEY = "rotate the database key"
    VERIFY_AUDIT_LOG = "verify the audit log"


EVERYONE = frozenset(Role)
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.CHANGE_OWN_PASSPHRASE: EVERYONE,
    Action.REMEMBER_ON_LAPTOP: EVERYONE,
    Action.ROTATE_DATABASE_KEY: frozenset({Role.OWNER}),
    Action.VERIFY_AUDIT_LOG: frozenset({Role.OWNER, Role.BOOKKEEPER, Role.AUDITOR}),
}


def require(role: str, action: Action) -> None:
    if Role(role) not in ALLOWED[action]:
        raise PermissionDenied(f"A {role} may not {action.value}; ask the owner of this vault.")
